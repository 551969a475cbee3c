"""Knowledge first: a group the speakers stage knows is the group; the group head decides the rest.

Most claims follow their speaker's side, so the stance head reads the group
in its input. A group that knowledge decided (gazetteer, rule, context, or
given by the user) is certain; where knowledge is silent the group head reads
the input with the group shown as ``unknown``, then the stance head reads its
answer.
"""

from __future__ import annotations

from typing import Optional, Sequence

import numpy as np
import torch

from ..records import Claim
from .config import TASKS
from .inputs import collate, encode, known_group
from .network import LOGITS, StanceModel


def predict_proba(model: StanceModel, tokenizer, claims: Sequence[Claim], batch_size: int = 64
                  ) -> dict[str, np.ndarray]:
    """Probabilities per task, rows in the claims' order, columns in ``config.task_labels[task]`` order."""
    claims = list(claims)
    labels = model.config.task_labels
    out = {t: np.zeros((len(claims), len(labels[t])), dtype=np.float32) for t in TASKS}
    if not claims:
        return out
    groups = [g if g in labels["speaker_group"] else None for g in map(known_group, claims)]
    silent = [i for i, g in enumerate(groups) if g is None]
    for i, g in enumerate(groups):
        if g is not None:
            out["speaker_group"][i, labels["speaker_group"].index(g)] = 1.0
    if silent:
        guessed = _forward(model, tokenizer, [claims[i] for i in silent], [None] * len(silent), "speaker_group",
                           batch_size)
        out["speaker_group"][silent] = guessed
        for row, i in enumerate(silent):
            groups[i] = labels["speaker_group"][int(guessed[row].argmax())]
    out["stance"] = _forward(model, tokenizer, claims, groups, "stance", batch_size)
    return out


def predict_labels(model: StanceModel, tokenizer, claims: Sequence[Claim], batch_size: int = 64
                   ) -> dict[str, list[str]]:
    """The most probable label per task and claim."""
    labels = model.config.task_labels
    proba = predict_proba(model, tokenizer, claims, batch_size)
    return {t: [labels[t][i] for i in proba[t].argmax(1)] for t in TASKS}


def _forward(model: StanceModel, tokenizer, claims: Sequence[Claim], groups: Sequence[Optional[str]], task: str,
             batch_size: int) -> np.ndarray:
    encoded = encode(tokenizer, model.config, claims, groups)
    out = np.zeros((len(claims), len(model.config.task_labels[task])), dtype=np.float32)
    order = sorted(range(len(claims)), key=lambda i: len(encoded["input_ids"][i]))  # less padding
    model.eval()
    with torch.inference_mode():
        for b in range(0, len(order), batch_size):
            idx = order[b:b + batch_size]
            batch = {k: v.to(model.device) for k, v in collate(tokenizer, encoded, idx).items()}
            logits = model(**batch)[LOGITS[task]]
            out[idx] = torch.softmax(logits.float(), dim=-1).cpu().numpy()
    return out
