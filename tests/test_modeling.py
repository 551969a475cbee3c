"""The classifier as a Hugging Face model: Auto classes, the pipeline task, both layouts, hub ids."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from stance.records import Claim

from fault_fixtures import fit_tiny_model
from synthetic import synthetic_claims


@pytest.fixture(scope="module")
def tiny_model(tiny_encoder, dispute, tmp_path_factory):
    return fit_tiny_model(tiny_encoder, dispute, tmp_path_factory.mktemp("m") / "model")


def write_format_3(classifier, path):
    """The layout stance wrote before format 4: the encoder's folder, heads.safetensors, stance.json."""
    from dataclasses import asdict

    from safetensors.torch import save_file

    path.mkdir()
    classifier.model_.encoder.save_pretrained(path)
    classifier.tokenizer_.save_pretrained(path)
    save_file({k: v.contiguous() for k, v in classifier.model_.heads.state_dict().items()},
              str(path / "heads.safetensors"))
    meta = {"format_version": 3, "labels": classifier.labels, "args": asdict(classifier.args),
            "dispute": classifier.dispute_.name}
    (path / "stance.json").write_text(json.dumps(meta))
    (path / "dispute.toml").write_text(classifier.dispute_.source)


def test_auto_classes_load_a_saved_model_after_import_stance(tiny_model):
    """In a fresh process: ``import stance`` loads no transformers, yet AutoConfig/AutoModel know the folder."""
    script = f"""
import sys
import stance
assert "transformers" not in sys.modules and "torch" not in sys.modules
from transformers import AutoConfig, AutoModel
config = AutoConfig.from_pretrained({tiny_model!r})
model = AutoModel.from_pretrained({tiny_model!r})
print(type(config).__name__, type(model).__name__, sorted(model.heads), list(config.id2label.values()),
      config.speaker_group_labels[0], config.dispute)
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["StanceConfig", "StanceModel", "['speaker_group',", "'stance']",
                                  "['us',", "'pakistan_military',", "'neutral']", "us", "nato-salala-2011"]


def test_saved_folder_is_one_model_with_both_heads(tiny_model):
    from safetensors import safe_open

    with safe_open(f"{tiny_model}/model.safetensors", "pt") as weights:
        keys = set(weights.keys())
    assert {"heads.stance.weight", "heads.speaker_group.weight"} <= keys
    assert any(k.startswith("encoder.") for k in keys)
    config = json.loads(open(f"{tiny_model}/config.json").read())
    assert config["model_type"] == "stance" and config["format_version"] == 4
    assert config["claim_markers"] == ["<<", ">>"] and config["pooling"] == "mean+claim_mean"


def test_pipeline_labels_a_claim_as_the_classifier_does(tiny_model):
    from transformers import pipeline

    from stance.classifier import StanceClassifier

    classify = pipeline("stance-classification", model=tiny_model)
    text = classify("the strike was an accident")
    assert text["label"] in ("us", "pakistan_military", "neutral") and set(text["scores"]) == {
        "us", "pakistan_military", "neutral"}
    item = {"sentence": "The army said the attack was deliberate.", "claim": "the attack was deliberate",
            "speaker": "The army", "speaker_group": "pakistan_military"}
    out = classify(item)
    assert out["speaker_group_label"] == "pakistan_military" and out["speaker_group_score"] == 1.0
    claim = Claim("x", "d", item["sentence"], item["claim"], item["speaker"], speaker_group="pakistan_military")
    claim.speaker_group_source = "given"
    expected = StanceClassifier.load(tiny_model).predict_proba([claim])["stance"][0]
    np.testing.assert_allclose([out["scores"][k] for k in ("us", "pakistan_military", "neutral")], expected,
                               atol=1e-6)
    assert len(classify([item, "it violated our sovereignty"])) == 2


def test_a_format_3_folder_still_loads_and_predicts_the_same(tiny_model, tmp_path):
    from stance.classifier import StanceClassifier
    from stance.modeling.saved import folder_labels
    from stance.models import load_model

    current = StanceClassifier.load(tiny_model)
    write_format_3(current, tmp_path / "old")
    old = load_model(tmp_path / "old")
    assert folder_labels(tmp_path / "old") == folder_labels(tiny_model) == current.labels
    claims = synthetic_claims(3)
    for task, proba in current.predict_proba(claims).items():
        np.testing.assert_array_equal(old.predict_proba(claims)[task], proba)
    old.save(tmp_path / "old")  # an earlier stance model is replaced by the current layout
    assert not (tmp_path / "old" / "stance.json").exists()
    np.testing.assert_array_equal(load_model(tmp_path / "old").predict_proba(claims)["stance"],
                                  current.predict_proba(claims)["stance"])


def test_a_model_of_an_unknown_format_is_refused(tiny_model, tmp_path):
    import shutil

    from stance.errors import InputError
    from stance.models import load_model

    shutil.copytree(tiny_model, tmp_path / "m")
    config = json.loads((tmp_path / "m" / "config.json").read_text())
    (tmp_path / "m" / "config.json").write_text(json.dumps(config | {"format_version": 9}))
    with pytest.raises(InputError, match="model format 9 is not 4"):
        load_model(tmp_path / "m")
    with pytest.raises(InputError, match="no such model folder"):
        load_model(tmp_path / "nowhere")
