"""The seed article against our own gold (docs/annotation.md matching)."""

from stance.eval.matching import match_claims
from stance.pipeline import extract_claims
from stance.reader import read_document

from conftest import SEED


def test_every_gold_claim_is_found_with_its_speaker_and_group(seed_claims):
    predicted = extract_claims(read_document(SEED))
    pairs = dict(match_claims(seed_claims, predicted))
    missed = [g.claim for i, g in enumerate(seed_claims) if i not in pairs]
    assert not missed
    for i, j in pairs.items():
        gold, pred = seed_claims[i], predicted[j]
        assert pred.speaker == gold.speaker, (gold.id, pred.speaker)
        assert pred.speaker_group == gold.speaker_group, (gold.id, pred.speaker_group)
    # nothing from the title, the boilerplate or pure narration
    extra = [p.sentence for j, p in enumerate(predicted) if j not in pairs.values()]
    assert extra == []
