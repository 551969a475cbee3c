"""Do the scores mean what they say? Expected calibration error, reliability bins, temperature scaling.

A classifier that says 0.9 should be right nine times in ten. ECE measures
the gap (top-label, equal-width bins); temperature scaling, fitted on a dev
set, is the one-parameter fix that leaves every prediction unchanged.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import minimize_scalar

EPS = 1e-12


def reliability(probs: np.ndarray, gold: np.ndarray, n_bins: int = 10) -> dict:
    """ECE and, per confidence bin ``(lo, hi]``, the claims' mean confidence, accuracy and count."""
    confidence = probs.max(1)
    correct = probs.argmax(1) == np.asarray(gold)
    bins = np.clip(np.ceil(confidence * n_bins).astype(int) - 1, 0, n_bins - 1)
    count = np.bincount(bins, minlength=n_bins)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean_conf = np.bincount(bins, confidence, n_bins) / count
        accuracy = np.bincount(bins, correct, n_bins) / count
    gaps = np.abs(np.nan_to_num(accuracy) - np.nan_to_num(mean_conf)) * count
    return {
        "ece": float(gaps.sum() / max(len(confidence), 1)),
        "bins": [{"low": b / n_bins, "high": (b + 1) / n_bins, "confidence": float(mean_conf[b]),
                  "accuracy": float(accuracy[b]), "count": int(count[b])}
                 for b in range(n_bins) if count[b]],
    }


def scale(probs: np.ndarray, temperature: float) -> np.ndarray:
    """Soften (T > 1) or sharpen (T < 1) probabilities, treating their logs as logits."""
    logits = np.log(np.clip(probs, EPS, None)) / temperature
    logits -= logits.max(1, keepdims=True)
    out = np.exp(logits)
    return out / out.sum(1, keepdims=True)


def fit_temperature(probs: np.ndarray, gold: np.ndarray) -> float:
    """The temperature that minimises the negative log-likelihood of ``gold`` (dev claims)."""
    gold = np.asarray(gold)

    def nll(log_t: float) -> float:
        return -np.log(np.clip(scale(probs, np.exp(log_t))[np.arange(len(gold)), gold], EPS, None)).mean()

    return float(np.exp(minimize_scalar(nll, bounds=(-4.0, 4.0), method="bounded").x))
