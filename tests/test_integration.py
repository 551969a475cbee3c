"""Integration on a real encoder: the README's main job.

The default model is built here on all-MiniLM-L6-v2 (``STANCE_ENCODER``): the default encoder,
all-mpnet-base-v2, takes most of an hour to train on 2 cores, too long for the suite. Its
weights are checked and loaded by tests/test_encoders.py; its build is `make demo`'s.

The article scored is ``tests/data/unseen_border_inquiry.txt``, written
for this test and in no training file: the default model has never seen it.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO

UNSEEN = Path(__file__).resolve().parent / "data" / "unseen_border_inquiry.txt"


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    return str(tmp_path_factory.mktemp("stance-cache"))


def stance(cache, *args):
    env = dict(os.environ, STANCE_CACHE=cache, STANCE_ENCODER="all-MiniLM-L6-v2")
    return subprocess.run([sys.executable, "-m", "stance.cli", *args], capture_output=True, text=True, env=env)


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def test_the_unseen_article_is_in_no_training_file():
    """No run of eight words of it appears in the training articles or claims."""
    words = _words(UNSEEN.read_text(encoding="utf-8"))
    runs = {" ".join(words[i:i + 8]) for i in range(len(words) - 7)}
    data = REPO / "training" / "data"
    for path in sorted(data.glob("articles/*")) + sorted(data.glob("claims/*")):
        text = " ".join(_words(path.read_text(encoding="utf-8", errors="ignore")))
        assert not [r for r in runs if r in text], path


@pytest.mark.slow
def test_default_model_is_built_once_and_scores_an_unseen_article(cache):
    first = stance(cache, "score", str(UNSEEN), "--format", "jsonl")
    assert first.returncode == 0, first.stderr[-3000:]
    assert "building the default model" in first.stderr
    rows = [json.loads(line) for line in first.stdout.splitlines()]
    by_speaker = {r["speaker"]: r for r in rows}
    assert by_speaker["A Pentagon spokesman"]["speaker_group"] == "us"
    assert by_speaker["A Pentagon spokesman"]["stance"] == "us"
    assert by_speaker["The Pakistani military"]["speaker_group"] == "pakistan_military"
    assert by_speaker["The Pakistani military"]["stance"] == "pakistan_military"
    again = stance(cache, "score", str(UNSEEN), "--format", "jsonl")
    assert again.returncode == 0 and "building" not in again.stderr
    assert [json.loads(l)["stance_scores"] for l in again.stdout.splitlines()] == [r["stance_scores"] for r in rows]
    info = stance(cache, "model", "info")
    summary = json.loads(info.stdout)
    assert summary["method"] == "finetune" and summary["train_claims"] > 400 and summary["data_hash"]
