"""Scores agree with scikit-learn's; bootstrap intervals are reproducible."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support

from stance.eval.metrics import MISSED, bootstrap, confusions, detection, scores, summary

LABELS = ["us", "pakistan_military", "neutral", "other"]


def _sklearn(gold, pred):
    present = sorted(set(gold) | set(pred))
    p, r, f, s = precision_recall_fscore_support(gold, pred, labels=list(range(len(LABELS))), zero_division=0)
    return {"accuracy": accuracy_score(gold, pred), "macro_f1": f1_score(gold, pred, labels=present, average="macro",
                                                                          zero_division=0),
            "default_macro": f1_score(gold, pred, average="macro", zero_division=0),
            "precision": p, "recall": r, "f1": f, "support": s}


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3)), min_size=1, max_size=60))
def test_scores_agree_with_sklearn(pairs):
    gold, pred = map(list, zip(*pairs))
    ours = scores(confusions(gold, pred, len(LABELS))[0])
    ref = _sklearn(gold, pred)
    assert np.isclose(ours["accuracy"], ref["accuracy"])
    assert np.isclose(ours["macro_f1"], ref["macro_f1"])
    assert np.isclose(ours["macro_f1"], ref["default_macro"])  # sklearn's default label set is the same
    for key in ("precision", "recall", "f1", "support"):
        assert np.allclose(ours[key], ref[key]), key


def test_summary_on_a_known_case():
    gold = [0, 0, 1, 1, 2, 2]
    pred = [0, 1, 1, 1, 2, 0]
    out = summary(confusions(gold, pred, len(LABELS))[0], LABELS)
    assert out["n"] == 6
    assert out["accuracy"] == accuracy_score(gold, pred)
    assert out["macro_f1"] == f1_score(gold, pred, average="macro")
    assert out["per_class"]["other"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 0}
    assert out["per_class"]["us"]["support"] == 2


def test_a_missed_claim_lowers_recall_not_precision():
    gold, pred = [0, 0, 1, 1], [0, MISSED, 1, 0]
    s = scores(confusions(gold, pred, 2)[0])
    assert s["accuracy"] == 0.5
    # As sklearn with the miss as a wrong label that is left out of the average.
    named = ["a", "missed", "b", "a"]
    ref = precision_recall_fscore_support(["a", "a", "b", "b"], named, labels=["a", "b"], zero_division=0)
    assert np.allclose(s["precision"], ref[0]) and np.allclose(s["recall"], ref[1])
    assert np.isclose(s["macro_f1"], f1_score(["a", "a", "b", "b"], named, labels=["a", "b"], average="macro"))


def test_grouped_matrices_add_up():
    rng = np.random.default_rng(1)
    gold, pred, groups = rng.integers(0, 4, 100), rng.integers(0, 4, 100), rng.integers(0, 7, 100)
    per_group = confusions(gold, pred, 4, groups, 7)
    assert np.array_equal(per_group.sum(0), confusions(gold, pred, 4)[0])
    for g in range(7):
        assert np.array_equal(per_group[g], confusions(gold[groups == g], pred[groups == g], 4)[0])


def _doc_cms(seed=0, n_docs=30):
    rng = np.random.default_rng(seed)
    docs = rng.integers(0, n_docs, 400)
    gold = rng.integers(0, 4, 400)
    pred = np.where(rng.random(400) < 0.7, gold, rng.integers(0, 4, 400))
    return confusions(gold, pred, 4, docs, n_docs)


def test_bootstrap_is_reproducible_with_a_seed():
    cms = _doc_cms()
    a, b = bootstrap(cms, 500, seed=7), bootstrap(cms, 500, seed=7)
    assert a == b
    assert bootstrap(cms, 500, seed=8) != a
    point = scores(cms.sum(0))
    for key in ("accuracy", "macro_f1"):
        low, high = a[key]
        assert low < point[key] < high
        assert high - low < 0.25


def test_bootstrap_resamples_documents():
    """A set whose documents are all alike has no spread, however its claims differ inside them."""
    one = confusions([0, 1, 1], [0, 1, 0], 2)[0]
    cms = np.stack([one] * 10)
    low, high = bootstrap(cms, 200, seed=0)["accuracy"]
    assert low == high == 2 / 3


def test_detection():
    assert detection(10, 8, 6) == {"precision": 0.75, "recall": 0.6, "f1": 2 * 0.75 * 0.6 / 1.35,
                                   "n_gold": 10, "n_predicted": 8, "n_matched": 6}
    assert detection(0, 0, 0)["f1"] == 0.0
