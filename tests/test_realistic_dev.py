"""The real-coverage dev set (../shared/corpus/realistic-dev) stays out of the repository and
out of the default model's training data; the speakers stage is measured on it."""

import json
import subprocess

import pytest

from conftest import REPO, SHARED

DEV = SHARED / "corpus" / "realistic-dev"
pytestmark = pytest.mark.skipif(not (DEV / "claims.jsonl").exists(), reason="needs ../shared/corpus/realistic-dev")


def _dev_sentences():
    return [json.loads(line)["sentence"] for line in (DEV / "claims.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip()]


def _shingles(text: str, n: int = 12) -> set[str]:
    words = text.lower().split()
    return {" ".join(words[i:i + n]) for i in range(len(words) - n + 1)}


def test_no_realistic_dev_text_in_the_repository():
    """No run of 12 words from any dev sentence appears in any tracked file."""
    dev = set().union(*(_shingles(s) for s in _dev_sentences()))
    files = subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True).stdout.split()
    leaks = []
    for name in files:
        path = REPO / name
        if path.suffix in {".png", ".safetensors"} or not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        if _shingles(text) & dev:
            leaks.append(name)
    assert not leaks


def test_realistic_dev_is_not_training_data(dispute):
    from stance.io import read_claims
    from stance.training.data import DATA_DIR

    training = read_claims([DATA_DIR / "claims"], dispute)
    dev_docs = {json.loads(line)["doc_id"] for line in (DEV / "docs.jsonl").read_text().splitlines() if line.strip()}
    assert not dev_docs & {c.doc_id for c in training}
    assert not set(_dev_sentences()) & {c.sentence for c in training}


def test_knowledge_decides_most_speaker_groups_and_is_right(dispute):
    """Gold claims given (labels dropped), the speakers stage alone places the speakers."""
    import stance
    from stance.given import resolve, without_labels
    from stance.io import read_claims

    gold = read_claims([DEV / "claims.jsonl"], dispute)
    documents = {d: stance.read_document(DEV / "articles" / f"{d}.txt") for d in {c.doc_id for c in gold}}
    given = resolve([without_labels(c) for c in gold], dispute, documents)
    decided = [(g, c) for g, c in zip(gold, given) if c.speaker_group_source]
    assert len(decided) >= 0.9 * len(gold)
    assert sum(g.speaker_group == c.speaker_group for g, c in decided) >= 0.9 * len(decided)
