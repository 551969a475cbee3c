"""Stage 6, scoring: extracted claims labelled by the classifier, per claim, sentence and article.

All the claims of a run go through the classifier together, in length-sorted
batches: that batched path is what ``bench/`` measures against a per-claim loop.
"""

from __future__ import annotations

import logging
import sys
from typing import TYPE_CHECKING, Callable, Iterable, Sequence

from .errors import InputError
from .io import read_documents
from .pipeline import extract_documents, sentence_of
from .reader import span_text
from .records import ArticleResult, Claim, Document, SentenceResult

if TYPE_CHECKING:  # the classifier (torch) is loaded by whoever builds the model, not by this module
    from .classifier import StanceClassifier

logger = logging.getLogger(__name__)


def score_documents(documents: Sequence[Document], model: StanceClassifier | None,
                    progress: bool = False, tagger=None) -> list[ArticleResult]:
    """Extract, then label every claim of every document in batched passes.

    Claims go to the classifier ``CLASSIFY_CHUNK`` at a time (length-sorted
    batches inside each), so memory stays bounded however many there are.
    With ``model=None`` claims keep the groups the rules gave them and no stance.
    """
    extracted = extract_documents(documents, dispute=model.dispute if model else None, progress=progress,
                                  tagger=tagger)
    flat = [c for _, claims in extracted for c in claims]
    labelled = iter(_label(model, flat, progress) if model else flat)
    results = []
    for document, (spans, claims) in zip(documents, extracted):
        claims = [next(labelled) for _ in claims]
        sentences = [SentenceResult(i, span, span_text(document, *span)) for i, span in enumerate(spans)]
        for claim in claims:
            home = sentence_of(spans, claim.claim_span[0])
            if home is not None:
                sentences[home].claims.append(claim)
        results.append(ArticleResult(document, claims, sentences))
    return results


CLASSIFY_CHUNK = 512


def _label(model: StanceClassifier, claims: list[Claim], progress: bool) -> list[Claim]:
    """``model.label`` in chunks, with a bar on a terminal when there are many."""
    bar = None
    if progress and len(claims) > CLASSIFY_CHUNK and sys.stderr.isatty():
        from tqdm.auto import tqdm

        bar = tqdm(total=len(claims), desc="classifying", unit="claim", leave=False)
    out = []
    for start in range(0, len(claims), CLASSIFY_CHUNK):
        out += model.label(claims[start:start + CLASSIFY_CHUNK])
        if bar is not None:
            bar.update(len(claims[start:start + CLASSIFY_CHUNK]))
    if bar is not None:
        bar.close()
    return out


def score_paths(patterns: Iterable[str], model: StanceClassifier | None, progress: bool = False,
                on_error: Callable[[InputError], None] | None = None) -> list[ArticleResult]:
    def report(err: InputError) -> None:
        logger.error("%s", err)

    return score_documents(read_documents(patterns, on_error or report), model, progress)

