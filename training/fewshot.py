"""The few-shot method for tens of claims: a frozen encoder and logistic-regression heads.

A multinomial logistic regression on the pooled embeddings is exactly a
softmax linear layer, so its weights are copied into the model's heads and
the result saves, loads and predicts like a fine-tuned model.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import torch
from sklearn.linear_model import LogisticRegression

from stance.modeling.config import TASKS
from stance.modeling.inputs import collate, encode
from stance.modeling.network import StanceModel
from stance.records import Claim

from .arguments import TrainingArguments

ABSENT_BIAS = -30.0  # a label never seen in training gets (almost) no probability


def embed(model: StanceModel, tokenizer, claims: Sequence[Claim], groups=None, batch_size: int = 64) -> np.ndarray:
    """The pooled features the heads read, one row per claim."""
    encoded = encode(tokenizer, model.config, claims, groups)
    model.eval()
    rows = []
    with torch.inference_mode():
        for b in range(0, len(claims), batch_size):
            rows.append(model.embed(**collate(tokenizer, encoded, range(b, min(b + batch_size, len(claims))))).numpy())
    return np.concatenate(rows)


def fit_fewshot(model: StanceModel, tokenizer, claims: Sequence[Claim], args: TrainingArguments) -> None:
    """The stance head learns with the gold group in the input, the group head without it."""
    features_by_task = {"stance": embed(model, tokenizer, claims, [c.speaker_group for c in claims]),
                        "speaker_group": embed(model, tokenizer, claims)}
    for task in TASKS:
        features = features_by_task[task]
        labels = model.config.task_labels[task]
        y = np.array([labels.index(getattr(c, task)) for c in claims])
        weight = np.zeros((len(labels), features.shape[1]), dtype=np.float32)
        bias = np.full(len(labels), ABSENT_BIAS, dtype=np.float32)
        present = np.unique(y)
        if len(present) == 1:
            bias[present[0]] = 0.0
        else:
            lr = LogisticRegression(C=1.0, max_iter=2000, random_state=args.seed,
                                    class_weight="balanced" if args.class_weights else None)
            lr.fit(features, y)
            if len(present) == 2:  # sklearn keeps one row: softmax([0, z]) == sigmoid(z)
                weight[present[1]], bias[present[1]] = lr.coef_[0], lr.intercept_[0]
                bias[present[0]] = 0.0
            else:
                weight[present], bias[present] = lr.coef_, lr.intercept_
        head = model.heads[task]
        with torch.no_grad():
            head.weight.copy_(torch.from_numpy(weight))
            head.bias.copy_(torch.from_numpy(bias))
