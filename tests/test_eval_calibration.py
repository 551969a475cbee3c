"""ECE measures the gap between confidence and accuracy; temperature scaling closes it on dev data."""

import numpy as np

from stance.eval.calibration import fit_temperature, reliability, scale


def test_ece_of_a_known_case():
    # Two claims at confidence 0.9 (one right), two at 0.6 (both right).
    probs = np.array([[0.9, 0.1], [0.9, 0.1], [0.4, 0.6], [0.4, 0.6]])
    gold = np.array([0, 1, 1, 1])
    out = reliability(probs, gold, n_bins=10)
    assert np.isclose(out["ece"], 0.5 * abs(0.5 - 0.9) + 0.5 * abs(1.0 - 0.6))
    assert [(b["count"], b["accuracy"]) for b in out["bins"]] == [(2, 1.0), (2, 0.5)]
    assert np.isclose(out["bins"][0]["confidence"], 0.6)


def test_a_calibrated_classifier_has_small_ece():
    rng = np.random.default_rng(0)
    confidence = rng.uniform(0.5, 1.0, 20000)
    right = rng.random(20000) < confidence
    probs = np.stack([confidence, 1 - confidence], 1)
    assert reliability(probs, np.where(right, 0, 1))["ece"] < 0.02


def _overconfident(n, seed):
    rng = np.random.default_rng(seed)
    logits = rng.normal(size=(n, 3))
    gold = np.array([rng.choice(3, p=np.exp(row) / np.exp(row).sum()) for row in logits])
    sharp = np.exp(3 * logits)
    return sharp / sharp.sum(1, keepdims=True), gold


def test_temperature_scaling_fixes_overconfidence_and_keeps_predictions():
    dev, dev_gold = _overconfident(3000, 1)
    test, test_gold = _overconfident(3000, 2)
    temperature = fit_temperature(dev, dev_gold)
    assert 2.5 < temperature < 3.5  # the logits were multiplied by 3
    scaled = scale(test, temperature)
    assert np.array_equal(scaled.argmax(1), test.argmax(1))
    assert np.allclose(scaled.sum(1), 1)
    assert reliability(scaled, test_gold)["ece"] < reliability(test, test_gold)["ece"] / 3
