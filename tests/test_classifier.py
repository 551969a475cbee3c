import json
import subprocess
import sys
import time

import numpy as np
import pytest

from stance.classifier import StanceClassifier, TrainingArguments, new_network
from stance.modeling.inputs import encode, model_inputs
from stance.records import Claim

from synthetic import synthetic_claims


def make(tiny_encoder, dispute, **kw):
    args = TrainingArguments(base_model=tiny_encoder, epochs=kw.pop("epochs", 3), batch_size=8,
                             learning_rate=1e-3, max_length=48, **kw)
    return StanceClassifier(dispute, args)


def tiny_network(tiny_encoder, dispute):
    """An untrained network and its tokenizer, as ``fit`` starts from."""
    return new_network(make(tiny_encoder, dispute).args, dispute)


def test_claim_is_marked_in_its_sentence():
    sentence = "The US said it was a mistake, but the army rejected this."
    a = Claim("1", "d", sentence, "it was a mistake", "The US")
    b = Claim("2", "d", sentence, "rejected this", "the army")
    first, second, _ = model_inputs([a, b])
    assert second[0] == "The US said << it was a mistake >>, but the army rejected this."
    assert second[1] == "The US said it was a mistake, but the army << rejected this >>."
    assert first == ["The US | unknown", "the army | unknown"]
    first, _, _ = model_inputs([a, b], ["us", "pakistan_military"])
    assert first == ["The US | us", "the army | pakistan military"]


def test_a_known_group_wins_over_the_group_head(tiny_encoder, dispute):
    """Knowledge first: a group the speakers stage decided is the output, whatever the head says."""
    claims = synthetic_claims()
    model = make(tiny_encoder, dispute, method="finetune", epochs=1).fit(claims, progress=False, log=lambda m: None)
    sentence = "Kayani said the attack was deliberate."
    known = Claim("k", "d", sentence, "the attack was deliberate", "Kayani", "Ashfaq Parvez Kayani",
                  speaker_group="pakistan_military")
    known.speaker_group_source = "gazetteer"
    silent = Claim("s", "d", sentence, "the attack was deliberate", "Kayani")
    labelled = model.label([known, silent])
    assert labelled[0].speaker_group == "pakistan_military" and labelled[0].speaker_group_source == "gazetteer"
    assert labelled[0].speaker_group_scores["pakistan_military"] == 1.0
    assert labelled[1].speaker_group_source == "model"
    assert labelled[1].speaker_group == max(labelled[1].speaker_group_scores, key=labelled[1].speaker_group_scores.get)


def test_stance_reads_the_speaker_group(tiny_encoder, dispute):
    """The same claim with another known group is another input, so its stance scores differ."""
    claims = synthetic_claims()
    model = make(tiny_encoder, dispute, method="finetune", epochs=1).fit(claims, progress=False, log=lambda m: None)
    a = Claim("a", "d", "He said it was a mistake.", "it was a mistake", "He", speaker_group="us")
    b = Claim("b", "d", "He said it was a mistake.", "it was a mistake", "He", speaker_group="pakistan_military")
    a.speaker_group_source = b.speaker_group_source = "given"
    proba = model.predict_proba([a, b])["stance"]
    assert not np.allclose(proba[0], proba[1])


def test_a_run_on_speaker_is_cut_but_its_group_is_kept(tiny_encoder, dispute):
    network, tokenizer = tiny_network(tiny_encoder, dispute)
    claim = Claim("1", "d", "x said it was over.", "it was over", "officials " * 400)
    ids = encode(tokenizer, network.config, [claim], ["us"])["input_ids"][0]
    text = tokenizer.decode(ids)
    assert "| us [SEP]" in text and "it was over" in text


def test_fit_predict_save_load(tiny_encoder, dispute, tmp_path):
    claims = synthetic_claims()
    model = make(tiny_encoder, dispute, method="finetune").fit(claims, output_dir=tmp_path / "m", progress=False,
                                                               log=lambda m: None)
    proba = model.predict_proba(claims)
    assert proba["stance"].shape == (len(claims), 3) and proba["speaker_group"].shape == (len(claims), 6)
    np.testing.assert_allclose(proba["stance"].sum(1), 1, rtol=1e-5)
    for name in ("model.safetensors", "config.json", "tokenizer.json", "dispute.toml", "training_summary.json"):
        assert (tmp_path / "m" / name).exists(), name
    assert not (tmp_path / "m" / "heads.safetensors").exists()  # both heads are in model.safetensors
    summary = json.loads((tmp_path / "m" / "training_summary.json").read_text())
    assert summary["method"] == "finetune" and summary["data_hash"] and summary["epochs"]
    again = StanceClassifier.load(tmp_path / "m")
    np.testing.assert_allclose(again.predict_proba(claims)["stance"], proba["stance"], atol=1e-6)
    labelled = again.label(claims[:2])
    assert labelled[0].stance in dispute.stance_labels and set(labelled[0].stance_scores) == set(dispute.stance_labels)


def test_same_data_same_seed_same_predictions(tiny_encoder, dispute):
    claims = synthetic_claims()
    runs = [make(tiny_encoder, dispute, method="finetune").fit(claims, progress=False, log=lambda m: None)
            for _ in range(2)]
    a, b = (r.predict_proba(claims)["stance"] for r in runs)
    np.testing.assert_array_equal(a, b)
    other = make(tiny_encoder, dispute, method="finetune", seed=7).fit(claims, progress=False, log=lambda m: None)
    assert not np.array_equal(other.predict_proba(claims)["stance"], a)


def test_fewshot_learns_the_synthetic_task_and_auto_chooses_it(tiny_encoder, dispute):
    claims = synthetic_claims()
    said = []
    model = make(tiny_encoder, dispute, method="auto").fit(claims, progress=False, log=said.append)
    assert model.summary_["method"] == "fewshot" and "fewshot" in said[0]
    pred = model.predict(claims)
    accuracy = np.mean([p == c.speaker_group for p, c in zip(pred["speaker_group"], claims)])
    assert accuracy > 0.9  # the speaker decides the group in this toy set


TRAIN_SCRIPT = """
import sys
sys.path.insert(0, {tests!r})
from stance.classifier import StanceClassifier, TrainingArguments
from stance.dispute import load_dispute
from synthetic import synthetic_claims
args = TrainingArguments(base_model={encoder!r}, method="finetune", epochs=6, batch_size=4, learning_rate=1e-3,
                         max_length=48, patience=99)
claims = synthetic_claims(30)
StanceClassifier(load_dispute(), args).fit(claims, output_dir={out!r}, resume={resume}, progress=False)
"""


def test_killed_run_resumes_and_finishes(tiny_encoder, dispute, tmp_path):
    from pathlib import Path

    tests = str(Path(__file__).parent)
    out = tmp_path / "model"
    script = TRAIN_SCRIPT.format(tests=tests, encoder=tiny_encoder, out=str(out), resume=False)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    state = tmp_path / "model.checkpoint" / "state.json"
    deadline = time.time() + 120
    while time.time() < deadline and not state.exists() and proc.poll() is None:
        time.sleep(0.05)
    proc.kill()
    proc.wait()
    assert state.exists(), proc.stderr.read().decode()[-2000:]
    killed_after = json.loads(state.read_text())["epoch"]
    assert killed_after < 6 and not out.exists()
    resumed = subprocess.run([sys.executable, "-c", script.replace("resume=False", "resume=True")],
                             capture_output=True, text=True)
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    assert f"after epoch {killed_after}" in resumed.stdout + resumed.stderr
    summary = json.loads((out / "training_summary.json").read_text())
    assert [e["epoch"] for e in summary["epochs"]] == list(range(1, 7))
    # the resumed run ends where an uninterrupted one does
    straight = tmp_path / "straight"
    plain = TRAIN_SCRIPT.format(tests=tests, encoder=tiny_encoder, out=str(straight), resume=False)
    subprocess.run([sys.executable, "-c", plain], check=True, capture_output=True)
    claims = synthetic_claims(30)
    a = StanceClassifier.load(out).predict_proba(claims)["stance"]
    b = StanceClassifier.load(straight).predict_proba(claims)["stance"]
    np.testing.assert_allclose(a, b, atol=1e-5)


def test_claim_mask_covers_the_claim_tokens(tiny_encoder, dispute):
    sentence = "The US said it was a mistake, but the army rejected this."
    network, tokenizer = tiny_network(tiny_encoder, dispute)
    encoded = encode(tokenizer, network.config, [Claim("1", "d", sentence, "rejected this", "the army")])
    tokens = tokenizer.convert_ids_to_tokens(encoded["input_ids"][0])
    marked = [t for t, m in zip(tokens, encoded["claim_mask"][0]) if m]
    assert marked == ["rejected", "this"]


def test_training_data_from_a_datasets_dataset(dispute, tmp_path):
    import datasets

    from stance.training.data import load_training_data

    rows = [c.to_json(spans=False) for c in synthetic_claims(2)]
    dataset = datasets.Dataset.from_list(rows)
    assert [c.id for c in load_training_data([dataset], dispute)] == [r["id"] for r in rows]
    dataset.save_to_disk(str(tmp_path / "ds"))
    assert len(load_training_data([tmp_path / "ds"], dispute)) == len(rows)
    bad = datasets.Dataset.from_list([rows[0] | {"stance": "sideways"}])
    with pytest.raises(Exception, match="<dataset>:1: unknown stance label"):
        load_training_data([bad], dispute)
