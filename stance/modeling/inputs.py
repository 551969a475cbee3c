"""What the network reads: the speaker and their group, then the sentence with the claim marked.

The input is the speaker, who they are and their group as the first segment
and the sentence, with the claim marked, as the second: stance belongs to the
claim, so two opposite claims in one sentence are two different inputs.
"""

from __future__ import annotations

from typing import Callable, Optional, Sequence

from ..records import Claim

CLAIM_MARKERS = ("<<", ">>")
UNKNOWN_GROUP = "unknown"
CONTEXT_WORDS = 40  # words of the sentence kept on each side of a long claim


def group_words(group: Optional[str]) -> str:
    """The group as words the encoder reads (``pakistan_military`` -> ``pakistan military``)."""
    return (group or UNKNOWN_GROUP).replace("_", " ")


def known_group(claim: Claim) -> Optional[str]:
    """The group knowledge decided (gazetteer, rule, context, or given), else None."""
    return claim.speaker_group if claim.speaker_group_source else None


def model_inputs(claims: Sequence[Claim], groups: Sequence[Optional[str]] | None = None,
                 cap: Optional[Callable[[list[str]], list[str]]] = None, markers: Sequence[str] = CLAIM_MARKERS
                 ) -> tuple[list[str], list[str], list[tuple[int, int]]]:
    """(speaker segment, marked sentence segment, claim's character range in it) per claim.

    ``groups`` is the speaker group shown to the encoder per claim (None: ``unknown``);
    ``cap`` shortens the speakers (``cap_segments``) before the group is added, so a
    run-on speaker never pushes the group out.
    """
    speakers = cap([_speaker(c) for c in claims]) if cap else [_speaker(c) for c in claims]
    groups = list(groups) if groups is not None else [None] * len(claims)
    first = [f"{speaker} | {group_words(group)}" for speaker, group in zip(speakers, groups)]
    second, ranges = [], []
    for c in claims:
        text, start, end = _marked_sentence(c, *markers)
        second.append(text)
        ranges.append((start, end))
    return first, second, ranges


def _speaker(claim: Claim) -> str:
    speaker = claim.speaker or "(no named source)"
    if claim.speaker_resolved and claim.speaker_resolved.lower() != claim.speaker.lower():
        speaker = f"{speaker} ({claim.speaker_resolved})"
    return speaker


def _marked_sentence(claim: Claim, open_: str, close: str) -> tuple[str, int, int]:
    """The sentence (at most ``CONTEXT_WORDS`` words each side) with the claim between the markers."""
    sentence = " ".join(claim.sentence.split())
    text = " ".join(claim.claim.split())
    at = sentence.find(text)
    before, after = (sentence[:at], sentence[at + len(text):]) if at >= 0 else ("", " " + sentence)
    before = " ".join(before.split(" ")[-CONTEXT_WORDS:]) if before.count(" ") > CONTEXT_WORDS else before
    after = " ".join(after.split(" ")[:CONTEXT_WORDS + 1]) if after.count(" ") > CONTEXT_WORDS else after
    start = len(before) + len(open_) + 1
    return f"{before}{open_} {text} {close}{after}", start, start + len(text)


def cap_segments(tokenizer, texts: list[str], max_tokens: int) -> list[str]:
    """Each text cut after its first ``max_tokens`` tokens.

    The speaker segment is kept whole by truncation (``only_second``); a
    speaker mention of a thousand characters (a run-on sentence taken for a
    name) would leave the sentence no room and make the tokenizer fail.
    """
    long = [i for i, t in enumerate(texts) if len(t) > max_tokens]  # a token holds at least one character
    if not long:
        return texts
    texts = list(texts)
    encoded = tokenizer([texts[i] for i in long], add_special_tokens=False, return_offsets_mapping=True)
    for i, offsets in zip(long, encoded["offset_mapping"]):
        if len(offsets) > max_tokens:
            texts[i] = texts[i][: offsets[max_tokens - 1][1]]
    return texts


def encode(tokenizer, config, claims: Sequence[Claim], groups: Sequence[Optional[str]] | None = None
           ) -> dict[str, list]:
    """Token ids per claim, with ``claim_mask`` marking the claim's own tokens (``config``: a ``StanceConfig``)."""
    cap = config.max_tokens // 3  # the speaker keeps at most a third; the sentence the rest
    first, second, ranges = model_inputs(claims, groups, lambda texts: cap_segments(tokenizer, texts, cap),
                                         config.claim_markers)
    encoded = tokenizer(first, second, truncation="only_second", max_length=config.max_tokens,
                        return_offsets_mapping=True)
    masks = []
    for i, (start, end) in enumerate(ranges):
        segment = encoded.sequence_ids(i)
        mask = [int(seg == 1 and a < end and b > start) for seg, (a, b) in zip(segment, encoded["offset_mapping"][i])]
        masks.append(mask if any(mask) else [int(seg == 1) for seg in segment])
    out = {k: v for k, v in encoded.items() if k != "offset_mapping"}
    out["claim_mask"] = masks
    return out


def collate(tokenizer, encoded: dict[str, list], idx: Sequence[int]) -> dict:
    """A padded batch of the examples ``idx`` (the tokenizer pads what it knows; we pad the mask)."""
    import torch

    batch = tokenizer.pad({k: [encoded[k][i] for i in idx] for k in encoded if k != "claim_mask"},
                          return_tensors="pt")
    width = batch["input_ids"].shape[1]
    batch["claim_mask"] = torch.tensor([encoded["claim_mask"][i] + [0] * (width - len(encoded["claim_mask"][i]))
                                        for i in idx])
    return batch
