"""Integration on the real encoder (all-MiniLM-L6-v2 from its package): the README's main job."""

import json
import os
import subprocess
import sys

import pytest

from conftest import SEED

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    return str(tmp_path_factory.mktemp("stance-cache"))


def stance(cache, *args):
    env = dict(os.environ, STANCE_CACHE=cache)
    return subprocess.run([sys.executable, "-m", "stance.cli", *args], capture_output=True, text=True, env=env)


def test_default_model_is_built_once_and_scores_the_seed(cache):
    first = stance(cache, "score", str(SEED), "--format", "jsonl")
    assert first.returncode == 0, first.stderr[-3000:]
    assert "building the default model" in first.stderr
    rows = [json.loads(line) for line in first.stdout.splitlines()]
    sentence = [r for r in rows if r["sentence"].startswith("The American military said the air strike")]
    by_speaker = {r["speaker"]: r for r in sentence}
    assert by_speaker["The American military"]["stance"] == "us"
    assert by_speaker["the Pakistani military"]["stance"] == "pakistan_military"
    assert by_speaker["the Pakistani military"]["speaker_group"] == "pakistan_military"
    again = stance(cache, "score", str(SEED), "--format", "jsonl")
    assert again.returncode == 0 and "building" not in again.stderr
    assert [json.loads(l)["stance_scores"] for l in again.stdout.splitlines()] == [r["stance_scores"] for r in rows]
    info = stance(cache, "model", "info")
    summary = json.loads(info.stdout)
    assert summary["method"] == "finetune" and summary["train_claims"] > 400 and summary["data_hash"]
