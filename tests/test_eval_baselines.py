"""Baselines keep the classifier's contract: labels, fit, predict_proba in label order, predict."""

import numpy as np
import pytest

from stance.eval.baselines import (BASELINES, GazetteerBaseline, MajorityBaseline, TfidfBaseline,
                            ZeroShotBaseline)
from eval_fixtures import make_gold
from stance.dispute import load_dispute
from stance.records import Claim

DISPUTE = load_dispute()


def _check_contract(model, claims):
    probs = model.predict_proba(claims)
    predicted = model.predict(claims)
    for task in ("stance", "speaker_group"):
        assert model.labels[task] == DISPUTE.labels(task)
        assert probs[task].shape == (len(claims), len(model.labels[task]))
        assert np.allclose(probs[task].sum(1), 1)
        assert predicted[task] == [model.labels[task][i] for i in probs[task].argmax(1)]
    return probs, predicted


def test_majority_predicts_the_training_frequencies():
    train = make_gold(6, 60)
    model = MajorityBaseline(DISPUTE).fit(train)
    probs, predicted = _check_contract(model, make_gold(3, 10, seed=1))
    stances = [c.stance for c in train]
    assert set(predicted["stance"]) == {max(set(stances), key=stances.count)}
    assert probs["stance"][0][DISPUTE.stance_labels.index("us")] == stances.count("us") / len(train)


def test_tfidf_learns_from_speaker_claim_and_sentence():
    train, test = make_gold(20, 300), make_gold(5, 60, seed=3)
    model = TfidfBaseline(DISPUTE).fit(train)
    _, predicted = _check_contract(model, test)
    for task in ("stance", "speaker_group"):
        accuracy = np.mean([p == getattr(c, task) for p, c in zip(predicted[task], test)])
        assert accuracy > 0.8, task


def test_tfidf_with_one_class_and_no_speakers():
    train = [Claim(id=str(i), doc_id="d", sentence=f"It is said x{i} y.", claim=f"x{i} y", stance="neutral",
                   speaker_group="unattributed") for i in range(5)]
    probs, predicted = _check_contract(TfidfBaseline(DISPUTE).fit(train), train)
    assert set(predicted["stance"]) == {"neutral"}
    assert set(predicted["speaker_group"]) == {"unattributed"}


def test_gazetteer_group_and_the_stance_it_implies():
    claims = [Claim(id=str(i), doc_id="d", sentence=f"{s} said x.", claim="x", speaker=s)
              for i, s in enumerate(["NATO", "the TTP", "a man", ""])]
    _, predicted = _check_contract(GazetteerBaseline(DISPUTE), claims)
    assert predicted["speaker_group"] == ["us", "pakistan_militant", "unattributed", "unattributed"]
    assert predicted["stance"] == ["us", "neutral", "neutral", "neutral"]


def test_registry_names():
    assert list(BASELINES) == ["majority", "tfidf_lr", "zero_shot", "gazetteer"]
    assert [b.learns for b in BASELINES.values()] == [True, True, False, False]


@pytest.mark.slow
def test_zero_shot_with_the_packaged_encoder():
    claims = [
        Claim(id="1", doc_id="d", sentence="ISPR said the attack was an unprovoked violation of sovereignty.",
              claim="the attack was an unprovoked violation of sovereignty", speaker="ISPR"),
        Claim(id="2", doc_id="d", sentence="NATO said the strike was a mistake and it wants to cooperate.",
              claim="the strike was a mistake and it wants to cooperate", speaker="NATO"),
    ]
    model = ZeroShotBaseline(DISPUTE).fit([])
    probs, predicted = _check_contract(model, claims)
    assert predicted["stance"] == ["pakistan_military", "us"]
    assert model.predict_proba([])["stance"].shape == (0, 3)
