"""Fakes for the evaluation tests: a synthetic gold set, a seeded fake classifier; headless Chromium.

Imported by tests/test_eval_*.py; nothing here touches a real model.
"""

from __future__ import annotations

import os
import random
import subprocess
import zlib

import numpy as np
import pytest

from stance.dispute import load_dispute
from stance.records import KINDS, Claim

SPEAKERS = {
    "us": ["the Pentagon", "US officials", "NATO"],
    "pakistan_military": ["the Pakistan Army", "ISPR", "Gen Kayani"],
    "pakistan_civilian": ["the Foreign Office", "Gilani", "Pakistani officials"],
    "pakistan_militant": ["the Defa-e-Pakistan Council", "the TTP"],
    "other": ["Afghan officials", "analysts"],
    "unattributed": [""],
}
WORDS = {
    "us": "the strike was a mistake and forces acted in self-defence after being fired on",
    "pakistan_military": "the attack was deliberate and unprovoked a violation of sovereignty and no fire came",
    "neutral": "officials discussed bilateral matters and the talks would continue next week",
}


def make_gold(n_docs: int = 12, n_claims: int = 120, seed: int = 0) -> list[Claim]:
    """A synthetic gold set: claims follow their speaker's side most of the time."""
    rng = random.Random(seed)
    dispute = load_dispute()
    claims = []
    for n in range(n_claims):
        doc = f"doc{n % n_docs:03d}"
        group = rng.choice(dispute.group_labels)
        stance = group if group in dispute.stance and rng.random() < 0.8 else rng.choice(dispute.stance_labels)
        speaker = rng.choice(SPEAKERS[group])
        words = WORDS[stance].split()
        start = rng.randrange(0, 4)
        text = " ".join(words[start:start + rng.randrange(5, 9)])
        sentence = f"{speaker} said {text}." if speaker else f"It is believed {text}."
        claims.append(Claim(id=f"{doc}-{n}", doc_id=doc, sentence=sentence, claim=text, speaker=speaker,
                            speaker_group=group, stance=stance, kind=rng.choice(KINDS + (None,))))
    return claims


class FakeModel:
    """Right with probability ``accuracy``, seeded by claim id; records what it saw.

    ``labels`` may be given in another order than the dispute's, to test
    that the harness reorders columns.
    """

    def __init__(self, labels: dict[str, list[str]] | None = None, accuracy: float = 0.7, seed: int = 0):
        dispute = load_dispute()
        self.labels = labels or {"stance": dispute.stance_labels, "speaker_group": dispute.group_labels}
        self.accuracy, self.seed = accuracy, seed
        self.fitted_on: list[str] = []
        self.predicted_on: list[str] = []

    def fit(self, claims, dev=None):
        self.fitted_on = [c.id for c in claims]
        return self

    def predict_proba(self, claims):
        self.predicted_on += [c.id for c in claims]
        out = {}
        for task, labels in self.labels.items():
            probs = np.zeros((len(claims), len(labels)))
            for i, c in enumerate(claims):
                rng = np.random.default_rng(zlib.crc32(f"{self.seed}/{task}/{c.id}".encode()))
                p = rng.dirichlet(np.ones(len(labels)))
                gold = getattr(c, task)
                right = gold in labels and rng.random() < self.accuracy
                top = labels.index(gold) if right else int(rng.integers(len(labels)))
                p[top] += 1.5  # confident, and too often: ECE > 0
                probs[i] = p / p.sum()
            out[task] = probs
        return out

    def predict(self, claims):
        return {t: [self.labels[t][i] for i in p.argmax(1)] for t, p in self.predict_proba(claims).items()}


CHROMIUM = "/usr/bin/chromium"


def chromium() -> str:
    """Debian's chromium, which ``make setup`` installs; a test never installs it, it skips."""
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is missing: `make setup` installs it (apt-get install chromium chromium-driver)")
    return CHROMIUM


def run_chromium(url: str, profile, *flags: str, timeout: int = 120) -> str:
    """Headless chromium with no network chatter, no sandbox (root in CI); returns stdout."""
    command = [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               f"--user-data-dir={profile}", "--hide-scrollbars", *flags, url]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=True).stdout
