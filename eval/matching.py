"""Pair predicted claims with gold claims, as docs/annotation.md's matching rule says.

A prediction matches a gold claim when both lie in the same sentence and the
token-level F1 of their claim texts is at least 0.5; pairs are taken best
overlap first, and each gold claim and each prediction is used at most once.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from stance.records import Claim

THRESHOLD = 0.5


def tokens(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def overlap_f1(a: Counter, b: Counter) -> float:
    """Token F1 of two token multisets, 2·|a ∩ b| / (|a| + |b|) (SQuAD's): the one both matchings use.

    Tokens are words here (``token_f1``) and word positions in ``eval.attribution``.
    """
    common = sum((a & b).values())
    return 2 * common / (sum(a.values()) + sum(b.values())) if common else 0.0


def token_f1(a: str, b: str) -> float:
    """Token F1 of two texts' words, lower-cased."""
    return overlap_f1(Counter(tokens(a)), Counter(tokens(b)))


def same_sentence(gold: Claim, pred: Claim) -> bool:
    """Sentence spans when both claims have them, else one sentence text contains the other.

    Containment, not equality, because a gold quote may run over several
    sentences that the extractor reports one by one (or the reverse).
    """
    if gold.sentence_span and pred.sentence_span:
        (gs, ge), (ps, pe) = gold.sentence_span, pred.sentence_span
        return (gs <= ps and pe <= ge) or (ps <= gs and ge <= pe)
    g, p = " ".join(gold.sentence.split()), " ".join(pred.sentence.split())
    return bool(g and p) and (g in p or p in g)


def match_claims(gold: list[Claim], pred: list[Claim], threshold: float = THRESHOLD) -> list[tuple[int, int]]:
    """``(gold index, prediction index)`` pairs, greedy best overlap first, within each document."""
    by_doc = defaultdict(list)
    for j, p in enumerate(pred):
        by_doc[p.doc_id].append(j)
    candidates = []
    for i, g in enumerate(gold):
        for j in by_doc.get(g.doc_id, ()):
            if same_sentence(g, pred[j]):
                f1 = token_f1(g.claim, pred[j].claim)
                if f1 >= threshold:
                    candidates.append((-f1, i, j))
    return greedy_pairs(candidates)


def greedy_pairs(candidates: list[tuple[float, int, int]]) -> list[tuple[int, int]]:
    """One-to-one ``(gold, prediction)`` pairs from ``(-score, gold, prediction)`` candidates, best first."""
    used_gold, used_pred, pairs = set(), set(), []
    for _, i, j in sorted(candidates):
        if i not in used_gold and j not in used_pred:
            used_gold.add(i)
            used_pred.add(j)
            pairs.append((i, j))
    return sorted(pairs)
