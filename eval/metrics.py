"""Classification scores from confusion matrices, with bootstrap intervals over documents.

Every score is computed from a confusion matrix, so a bootstrap resample of
documents is a weighted sum of per-document matrices: a thousand resamples of
a 1500-claim set cost one matrix product, not a thousand passes over claims.

Matrices have one column more than there are labels: column ``n_labels``
counts gold claims that got no prediction at all (end to end, a missed claim),
which lowers recall and accuracy but no label's precision.
"""

from __future__ import annotations

import numpy as np

MISSED = -1  # predicted index of a gold claim that got no prediction


def confusions(gold: np.ndarray, pred: np.ndarray, n_labels: int, groups: np.ndarray | None = None,
               n_groups: int = 1) -> np.ndarray:
    """Confusion matrices ``(n_groups, n_labels, n_labels + 1)``: rows gold, columns predicted.

    ``pred`` holds label indices or ``MISSED``; ``groups`` (default: one group)
    says which matrix each claim counts in.
    """
    gold, pred = np.asarray(gold, int), np.asarray(pred, int)
    groups = np.zeros(len(gold), int) if groups is None else np.asarray(groups, int)
    pred = np.where(pred == MISSED, n_labels, pred)
    out = np.zeros((n_groups, n_labels, n_labels + 1))
    np.add.at(out, (groups, gold, pred), 1)
    return out


def scores(cm: np.ndarray) -> dict[str, np.ndarray]:
    """Accuracy, macro-F1 and per-class precision/recall/F1/support of matrices ``(..., L, L+1)``.

    As scikit-learn (``zero_division=0``): a class with no prediction has
    precision 0, and macro-F1 averages the classes that occur in the gold or
    the predictions of that matrix.
    """
    n = cm.shape[-2]
    tp = np.diagonal(cm[..., :n], axis1=-2, axis2=-1)
    support = cm.sum(-1)
    predicted = cm[..., :n].sum(-2)
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = np.where(predicted > 0, tp / predicted, 0.0)
        recall = np.where(support > 0, tp / support, 0.0)
        f1 = np.where(precision + recall > 0, 2 * precision * recall / (precision + recall), 0.0)
        present = (support > 0) | (predicted > 0)
        macro = np.where(present.any(-1), (f1 * present).sum(-1) / present.sum(-1), 0.0)
        total = support.sum(-1)
        accuracy = np.where(total > 0, tp.sum(-1) / total, 0.0)
    return {"accuracy": accuracy, "macro_f1": macro, "precision": precision, "recall": recall,
            "f1": f1, "support": support}


def summary(cm: np.ndarray, labels: list[str]) -> dict:
    """The JSON form of one matrix ``(L, L+1)``: headline scores, per class, the matrix itself."""
    s = scores(cm)
    return {
        "n": int(cm.sum()),
        "accuracy": float(s["accuracy"]),
        "macro_f1": float(s["macro_f1"]),
        "per_class": {
            label: {"precision": float(s["precision"][i]), "recall": float(s["recall"][i]),
                    "f1": float(s["f1"][i]), "support": int(s["support"][i])}
            for i, label in enumerate(labels)
        },
    }


def bootstrap(doc_cms: np.ndarray, n_resamples: int = 1000, seed: int = 0,
              confidence: float = 0.95) -> dict[str, tuple[float, float]]:
    """Percentile intervals of accuracy and macro-F1, resampling documents with replacement.

    ``doc_cms`` is ``(n_documents, L, L+1)``. Claims of one article are not
    independent (one writer, one event), so documents are the resampled unit;
    the same ``seed`` gives the same interval.
    """
    n_docs = len(doc_cms)
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, n_docs, size=(n_resamples, n_docs))
    weights = np.bincount((draws + n_docs * np.arange(n_resamples)[:, None]).ravel(),
                          minlength=n_resamples * n_docs).reshape(n_resamples, n_docs)
    resampled = (weights @ doc_cms.reshape(n_docs, -1)).reshape((n_resamples,) + doc_cms.shape[1:])
    s = scores(resampled)
    tail = 100 * (1 - confidence) / 2
    return {key: tuple(float(v) for v in np.percentile(s[key], [tail, 100 - tail]))
            for key in ("accuracy", "macro_f1")}


def detection(n_gold: int, n_predicted: int, n_matched: int) -> dict:
    """Precision, recall and F1 of claim detection from match counts."""
    precision = n_matched / n_predicted if n_predicted else 0.0
    recall = n_matched / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1,
            "n_gold": n_gold, "n_predicted": n_predicted, "n_matched": n_matched}
