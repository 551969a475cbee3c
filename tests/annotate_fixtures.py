"""A saved tiny stance model (random weights) and the annotation server run as a subprocess."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "training" / "data" / "articles" / "seed_article.txt"


@pytest.fixture(scope="session")
def tiny_model_dir(tiny_encoder, tmp_path_factory) -> Path:
    from stance.classifier import StanceClassifier, TrainingArguments, new_network
    from stance.dispute import load_dispute

    model = StanceClassifier(args=TrainingArguments(base_model=tiny_encoder))
    model.dispute_ = load_dispute()
    model.model_, model.tokenizer_ = new_network(model.args, model.dispute_)
    model.summary_ = {}  # untrained: random weights are enough to drive the page
    return model.save(tmp_path_factory.mktemp("tiny-stance") / "model")


def start_server(articles, out: Path, model: Path, timeout: float = 120) -> tuple[subprocess.Popen, str]:
    """``stance annotate`` on any free port; returns the process and the URL it printed (with its token)."""
    env = {**os.environ, "TOKENIZERS_PARALLELISM": "false"}
    proc = subprocess.Popen([sys.executable, "-m", "stance.cli", "--no-progress", "annotate", *map(str, articles),
                             "--out", str(out), "--model", str(model), "--port", "0"],
                            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=env)
    deadline = time.monotonic() + timeout
    seen = []
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        if not line:
            break
        seen.append(line)
        found = re.search(r"open (http://127\.0\.0\.1:\d+/\?token=[\w-]+)", line)
        if found:
            return proc, found.group(1)
    proc.kill()
    raise AssertionError("the server did not start:\n" + "".join(seen))
