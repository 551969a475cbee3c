"""The harness: folds by document, label checks, end to end, calibration, reproducibility."""

import json

import numpy as np
import pytest

import stance
import stance.given
from stance.eval.harness import (Candidate, EvalArguments, baseline_candidates, document_folds, errors, evaluate,
                          given_claims,
                          find_articles, predict, prediction_records)
from eval_fixtures import FakeModel, make_gold
from stance.dispute import load_dispute
from stance.errors import InputError
from stance.records import Claim

DISPUTE = load_dispute()
LABELS = {t: DISPUTE.labels(t) for t in ("stance", "speaker_group")}
FAST = EvalArguments(n_bootstrap=200)


def test_document_folds_are_seeded_balanced_and_checked():
    gold = make_gold(10, 100)
    folds = document_folds(gold, 4, seed=3)
    assert folds == document_folds(gold, 4, seed=3)
    assert folds != document_folds(gold, 4, seed=4)
    sizes = np.bincount([folds[c.doc_id] for c in gold])
    assert len(sizes) == 4 and sizes.max() - sizes.min() <= 10
    with pytest.raises(InputError, match="cannot split 10 gold documents into 11 folds"):
        document_folds(gold, 11)


def test_cross_validation_never_predicts_a_document_it_was_fitted_on():
    gold = make_gold(9, 90)
    fitted = []
    make = lambda: fitted.append(FakeModel()) or fitted[-1]  # noqa: E731
    [p] = predict([Candidate("fresh", make=make)], gold, LABELS, EvalArguments(cv=3))
    assert len(fitted) == 3
    doc = {c.id: c.doc_id for c in gold}
    for model in fitted:
        assert not {doc[i] for i in model.fitted_on} & {doc[i] for i in model.predicted_on}
    assert sorted(i for m in fitted for i in m.predicted_on) == sorted(doc)
    assert p.how == "3-fold cross-validation by document"
    assert sorted(set(p.fold)) == [0, 1, 2]


def test_cv_scores_per_fold_and_pooled():
    gold = make_gold(9, 90)
    ev = evaluate(gold, [Candidate("fresh", make=FakeModel)], DISPUTE, EvalArguments(cv=3, n_bootstrap=100))
    cv = ev.metrics["models"]["fresh"]["tasks"]["stance"]["cv"]
    assert len(cv["fold_macro_f1"]) == 3
    assert cv["mean"] == pytest.approx(np.mean(cv["fold_macro_f1"]), abs=1e-4)
    assert ev.metrics["setup"]["cv"] == 3


def test_learning_baselines_fall_back_to_folds_or_fit_on_train():
    gold = make_gold(8, 80)
    ev = evaluate(gold, baseline_candidates(DISPUTE, ["majority", "gazetteer"]), DISPUTE, FAST)
    assert ev.metrics["baselines"]["majority"]["fitted"] == "5-fold cross-validation by document"
    assert ev.metrics["baselines"]["gazetteer"]["fitted"] == "as given"
    assert ev.metrics["models"] == {}
    train = make_gold(4, 40, seed=5)
    ev = evaluate(gold, baseline_candidates(DISPUTE, ["majority"]), DISPUTE, FAST, train=train)
    assert ev.metrics["baselines"]["majority"]["fitted"] == "fitted on 40 training claims"
    with pytest.raises(ValueError):
        predict(baseline_candidates(DISPUTE, ["majority"]), gold, LABELS, EvalArguments(cv=3), train=train)


def test_columns_are_moved_into_the_disputes_label_order():
    class Reversed(FakeModel):
        def predict_proba(self, claims):
            return {t: np.tile(np.arange(len(l), dtype=float) / sum(range(len(l))), (len(claims), 1))
                    for t, l in self.labels.items()}

    model = Reversed({t: l[::-1] for t, l in LABELS.items()})
    [p] = predict([Candidate("r", model=model)], make_gold(2, 4), LABELS, FAST)
    # The model gives its first label (the dispute's last) probability 0.
    assert p.probs["stance"][0, -1] == 0 and p.probs["stance"][0].argmax() == 0


def test_a_gold_label_the_model_does_not_know_is_one_line_naming_it(tmp_path):
    gold = make_gold(3, 30)
    gold[4].speaker_group = "other"
    gold[4].extra["_source"] = "gold.jsonl:5"
    model = FakeModel({"stance": LABELS["stance"], "speaker_group": [g for g in LABELS["speaker_group"] if g != "other"]})
    with pytest.raises(InputError) as err:
        evaluate(gold, [Candidate("m1", model=model)], DISPUTE, FAST)
    assert str(err.value).startswith("gold.jsonl:5: speaker_group label 'other' is unknown to model m1")
    assert "\n" not in str(err.value)
    odd = FakeModel({"stance": LABELS["stance"] + ["maybe"], "speaker_group": LABELS["speaker_group"]})
    with pytest.raises(InputError, match="model m2: stance label 'maybe' is not in the dispute"):
        evaluate(gold, [Candidate("m2", model=odd)], DISPUTE, FAST)


def test_a_document_with_no_article_is_one_line_naming_it(tmp_path):
    (tmp_path / "doc000.txt").write_text("x")
    (tmp_path / "doc001.html").write_text("x")
    assert find_articles(["doc000", "doc001"], tmp_path) == {"doc000": tmp_path / "doc000.txt",
                                                              "doc001": tmp_path / "doc001.html"}
    with pytest.raises(InputError) as err:
        find_articles([c.doc_id for c in make_gold(4, 8)], tmp_path)
    assert str(err.value) == (f"{tmp_path}: no article for doc_id 'doc002' (and 1 more doc_ids): "
                              "expected doc002.txt or doc002.html")
    with pytest.raises(InputError, match="no such folder of articles"):
        find_articles(["a"], tmp_path / "nope")


@pytest.fixture
def fake_extractor(monkeypatch, tmp_path):
    """Articles for the gold documents, and an extractor that finds every gold claim but one
    (words trimmed, speaker kept) plus one spurious claim per document."""
    gold = make_gold(4, 20)
    for doc in {c.doc_id for c in gold}:
        (tmp_path / f"{doc}.txt").write_text("text")

    def extract(document):
        mine = [c for c in gold if c.doc_id == document.doc_id]
        found = [Claim(id="x", doc_id="", sentence=c.sentence, claim=" ".join(c.claim.split()[1:]), speaker=c.speaker)
                 for c in mine if c is not gold[0]]
        return found + [Claim(id="x", doc_id="", sentence="Nobody said anything.", claim="anything")]

    monkeypatch.setattr(stance, "read_document", lambda path: type("Doc", (), {"doc_id": path.stem}), raising=False)
    monkeypatch.setattr(stance, "extract_documents", lambda documents, dispute=None: [(None, extract(d)) for d in documents],
                        raising=False)
    # The fake articles hold no text to resolve speakers in: who speaks comes from the mention alone.
    monkeypatch.setattr(stance.given, "resolve",
                        lambda claims, dispute, documents=None: [stance.given.from_mention(c, dispute) for c in claims])
    return gold, tmp_path


def test_models_are_given_gold_claims_without_their_labels(tmp_path):
    """Gold claims given: sentence, claim, speaker and the article; never the annotated labels."""
    article = tmp_path / "d1.txt"
    article.write_text("ISLAMABAD - Pakistan's army chief Gen Ashfaq Parvez Kayani said the attack was deliberate.\n\n"
                       "He said the posts had not fired first.\n", encoding="utf-8")
    gold = [Claim("d1-1", "d1", "Pakistan's army chief Gen Ashfaq Parvez Kayani said the attack was deliberate.",
                  "the attack was deliberate", "Pakistan's army chief Gen Ashfaq Parvez Kayani",
                  speaker_resolved="WRONG NAME", speaker_group="us", stance="us"),
            Claim("d1-2", "d1", "He said the posts had not fired first.", "the posts had not fired first", "He",
                  speaker_resolved="ANOTHER WRONG NAME", speaker_group="other", stance="neutral")]
    given = given_claims(gold, {"d1": article}, DISPUTE)
    assert [c.stance for c in given] == [None, None]
    assert [c.speaker_resolved for c in given] == ["Ashfaq Parvez Kayani"] * 2
    assert [c.speaker_group for c in given] == ["pakistan_military"] * 2
    assert all(c.speaker_group_source for c in given)


def test_end_to_end_scores(fake_extractor):
    gold, articles = fake_extractor
    found = find_articles([c.doc_id for c in gold], articles)
    ev = evaluate(gold, [Candidate("m", model=FakeModel(accuracy=1.0))], DISPUTE, FAST, articles=found)
    d = ev.metrics["claim_detection"]
    assert (d["n_gold"], d["n_predicted"], d["n_matched"]) == (20, 23, 19)
    assert d["recall"] == 0.95 and d["precision"] == round(19 / 23, 4)
    e2e = ev.metrics["models"]["m"]["end_to_end"]["stance"]
    assert e2e["matched"]["n"] == 19 and e2e["end_to_end"]["n"] == 20
    # Extracted claims carry no gold label: the fake guesses them, so compare with the matched gold directly.
    p = ev.predictions[0]
    hits = [LABELS["stance"][p.extracted["stance"][e].argmax()] == gold[g].stance for g, e in ev.end_to_end.pairs]
    assert e2e["matched"]["accuracy"] == round(np.mean(hits), 4)
    assert e2e["end_to_end"]["accuracy"] == round(sum(hits) / 20, 4)
    records = prediction_records(ev)
    extracted = [r for r in records if r.get("extracted")]
    assert len(extracted) == 23 and sum(r["matched_id"] is not None for r in extracted) == 19
    assert len({r["id"] for r in extracted}) == 23


def test_end_to_end_leaves_the_classification_scores_as_they_were(fake_extractor):
    """A model whose outputs depend on its batch (as padded, length-sorted batches do) sees the gold alone."""
    gold, articles = fake_extractor

    class BatchSensitive(FakeModel):
        def predict_proba(self, claims):
            probs = super().predict_proba(claims)
            return {t: (p + len(claims) / 1000) / (p + len(claims) / 1000).sum(1, keepdims=True) for t, p in probs.items()}

    plain = evaluate(gold, [Candidate("m", model=BatchSensitive())], DISPUTE, FAST)
    e2e = evaluate(gold, [Candidate("m", model=BatchSensitive())], DISPUTE, FAST,
                   articles=find_articles([c.doc_id for c in gold], articles))
    assert np.array_equal(plain.predictions[0].probs["stance"], e2e.predictions[0].probs["stance"])
    assert plain.metrics["models"]["m"]["tasks"] == e2e.metrics["models"]["m"]["tasks"]


def test_temperature_scaling_on_dev():
    gold, dev = make_gold(6, 60), make_gold(4, 80, seed=9)
    for c in dev:
        c.id = "dev-" + c.id
    ev = evaluate(gold, [Candidate("m", model=FakeModel())], DISPUTE, FAST, dev=dev)
    calibration = ev.metrics["models"]["m"]["tasks"]["stance"]["calibration"]
    assert calibration["temperature"] > 1  # the fake is overconfident
    assert calibration["ece_scaled"] is not None and calibration["bins_scaled"]
    plain = evaluate(gold, [Candidate("m", model=FakeModel())], DISPUTE, FAST)
    assert plain.metrics["models"]["m"]["tasks"]["stance"]["calibration"]["ece_scaled"] is None


def test_metrics_are_reproducible_and_json():
    gold = make_gold(10, 100)
    run = lambda: evaluate(gold, [Candidate("m", model=FakeModel()), Candidate("cv", make=FakeModel)],  # noqa: E731
                           DISPUTE, EvalArguments(n_bootstrap=300, seed=2)).metrics
    first = run()
    assert json.dumps(first) == json.dumps(run())
    stance_f1 = first["models"]["m"]["tasks"]["stance"]["macro_f1"]
    assert stance_f1["ci_low"] <= stance_f1["value"] <= stance_f1["ci_high"]


def test_errors_most_confident_first_and_prediction_records():
    gold = make_gold(5, 50)
    ev = evaluate(gold, [Candidate("m", model=FakeModel(accuracy=0.5))], DISPUTE, FAST)
    errs = errors(ev, "m")
    assert errs and [e["confidence"] for e in errs] == sorted((e["confidence"] for e in errs), reverse=True)
    assert all(e["gold"] != e["predicted"] for e in errs)
    records = prediction_records(ev)
    assert len(records) == 50
    r = records[0]
    assert r["model"] == "m" and r["id"] == gold[0].id and r["gold_stance"] == gold[0].stance
    assert r["stance"] == max(r["stance_scores"], key=r["stance_scores"].get)
    assert sum(r["speaker_group_scores"].values()) == pytest.approx(1, abs=1e-3)
    wrong = {(e["id"], e["task"]) for e in errs}
    assert wrong == {(r["id"], t) for r in records for t in ("stance", "speaker_group") if r[t] != r[f"gold_{t}"]}


def test_the_real_classifier_cross_validated(tiny_encoder, seed_claims):
    """The harness against StanceClassifier's own contract: fit per fold, predict_proba, labels."""
    from stance.classifier import StanceClassifier, TrainingArguments

    gold = seed_claims + make_gold(3, 12)
    args = TrainingArguments(base_model=tiny_encoder, method="finetune", epochs=1, batch_size=8)
    ev = evaluate(gold, [Candidate("transformer", make=lambda: StanceClassifier(DISPUTE, args))], DISPUTE,
                  EvalArguments(cv=2, n_bootstrap=50))
    scores = ev.metrics["models"]["transformer"]
    assert scores["fitted"] == "2-fold cross-validation by document"
    assert len(scores["tasks"]["stance"]["cv"]["fold_macro_f1"]) == 2
    assert np.allclose(ev.predictions[0].probs["stance"].sum(1), 1, atol=1e-4)
