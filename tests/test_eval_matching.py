"""docs/annotation.md's matching rule: same sentence, token F1 >= 0.5, greedy best overlap first, one to one."""

import pytest

from stance.eval.matching import match_claims, same_sentence, token_f1
from stance.records import Claim

SENT = ("The American military said the air strike was unintentional, but the Pakistani military rejected "
        "this stand and called for action against those responsible for the raid.")


def claim(text, sentence=SENT, doc="d1", span=None, **kw):
    return Claim(id=text[:10], doc_id=doc, sentence=sentence, claim=text, sentence_span=span, **kw)


def test_token_f1():
    assert token_f1("the air strike was unintentional", "the air strike was unintentional") == 1.0
    assert token_f1("the air strike", "strike the air, now") == pytest.approx(2 * 0.75 * 1 / 1.75)
    assert token_f1("a b", "c d") == 0.0
    assert token_f1("", "c d") == 0.0


def test_same_sentence_by_span_or_text():
    assert same_sentence(claim("x", span=(0, 100)), claim("x", span=(10, 50)))
    assert not same_sentence(claim("x", span=(0, 100)), claim("x", span=(100, 150)))
    # Without spans: containment of whitespace-normalised text.
    assert same_sentence(claim("x", sentence="A said x.  B said y."), claim("x", sentence="A said\nx."))
    assert not same_sentence(claim("x", sentence="A said x."), claim("x", sentence="C said x."))


def test_two_claims_of_one_sentence_match_their_own_gold():
    gold = [claim("the air strike was unintentional"),
            claim("rejected this stand and called for action against those responsible for the raid")]
    pred = [claim("called for action against those responsible for the raid"),
            claim("the air strike was unintentional, but")]
    assert match_claims(gold, pred) == [(0, 1), (1, 0)]


def test_greedy_best_overlap_first_and_one_to_one():
    gold = [claim("the air strike was unintentional")]
    pred = [claim("the air strike"), claim("the air strike was unintentional")]
    assert match_claims(gold, pred) == [(0, 1)]
    # One prediction, two gold claims it overlaps: it goes to the better one only.
    gold = [claim("air strike was unintentional"), claim("the air strike was unintentional")]
    assert match_claims(gold, [claim("the air strike was unintentional")]) == [(1, 0)]


def test_threshold_document_and_sentence_must_all_agree():
    gold = [claim("the air strike was unintentional")]
    assert match_claims(gold, [claim("the air strike was unintentional but the Pakistani military rejected "
                                     "this stand and called for action")]) == []  # F1 < 0.5
    assert match_claims(gold, [claim("the air strike was unintentional", doc="d2")]) == []
    other = "Officials said the air strike was unintentional."
    assert match_claims(gold, [claim("the air strike was unintentional", sentence=other)]) == []
