"""Pre-annotation and the review order: the claims the model is least sure of first, spread across articles."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from ..records import Claim, Document, Span


@dataclass
class Article:
    """One article under review: its text, its sentences (document offsets) and the model's claims."""

    document: Document
    sentences: list[Span]
    claims: list[Claim]


def pre_annotate(documents: Sequence[Document], model, progress: bool = False) -> list[Article]:
    """Claims, speakers, groups and stances of every article, as ``stance score`` finds them."""
    from ..scoring import score_documents

    results = score_documents(documents, model, progress=progress)
    return [Article(r.document, [s.span for s in r.sentences], r.claims) for r in results]


def uncertainty(claim: Claim) -> float:
    """How unsure the model is of the claim: one minus its top probability, stance or group, whichever is lower.

    A group that knowledge decided has probability 1, so only the stance counts there.
    """
    tops = [max(scores.values()) for scores in (claim.stance_scores, claim.speaker_group_scores) if scores]
    return 1.0 - min(tops) if tops else 1.0


def review_order(articles: Sequence[Article]) -> list[Claim]:
    """Every claim once: each article's claims from the least certain, taken in turns across articles.

    The first round holds every article's least certain claim (the least
    certain of those first), the second round every article's second, and so
    on: an annotator's first hundred labels cover many articles, not the
    uncertain half of one.
    """
    ranked = []
    for article in articles:
        mine = sorted(article.claims, key=lambda c: (-uncertainty(c), c.claim_span or (0, 0)))
        ranked += [(rank, -uncertainty(c), c.id) for rank, c in enumerate(mine)]
    by_id = {c.id: c for article in articles for c in article.claims}
    return [by_id[i] for _, _, i in sorted(ranked)]
