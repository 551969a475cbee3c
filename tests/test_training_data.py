"""The shipped corpus: every record follows docs/annotation.md and sits in its article."""

from collections import Counter

from stance.io import read_claims
from stance.training.data import DATA_DIR


def test_every_record_follows_the_contract(dispute):
    claims = read_claims([DATA_DIR / "claims"], dispute)  # raises on any bad line
    articles = {p.stem: p.read_text(encoding="utf-8") for p in (DATA_DIR / "articles").glob("*.txt")}
    assert len(articles) >= 41 and len(claims) >= 500
    assert {c.doc_id for c in claims} == set(articles)
    for c in claims:
        assert c.sentence in articles[c.doc_id], c.id
        assert c.speaker in c.sentence, c.id
        assert c.id.startswith(c.doc_id + "-")
        assert c.kind in ("direct", "indirect", "mixed")
    assert set(Counter(c.stance for c in claims)) == set(dispute.stance_labels)
    assert set(Counter(c.speaker_group for c in claims)) == set(dispute.group_labels)
    files = sorted(p.stem for p in (DATA_DIR / "claims").glob("*.jsonl"))
    assert files == sorted(articles)
