"""Stage 6, scoring: extracted claims labelled by the classifier, per claim, sentence and article.

All the claims of a run go through the classifier together, in length-sorted
batches: that batched path is what ``bench/`` measures against a per-claim loop.
"""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Iterable, Sequence

from .classifier import StanceClassifier
from .errors import InputError
from .io import expand_paths
from .pipeline import extract_documents
from .reader import TEXT_SUFFIXES, read_document
from .records import Claim, Document, Span
from .sentences import sentence_spans


@dataclass
class SentenceResult:
    index: int
    span: Span
    text: str
    claims: list[Claim] = field(default_factory=list)


@dataclass
class ArticleResult:
    document: Document
    claims: list[Claim]
    sentences: list[SentenceResult]

    def counts(self, task: str) -> Counter:
        """Claims per label of ``task`` (``stance`` or ``speaker_group``)."""
        return Counter(getattr(c, task) for c in self.claims)


def score_documents(documents: Sequence[Document], model: StanceClassifier | None,
                    progress: bool = False, tagger=None) -> list[ArticleResult]:
    """Extract, then label every claim of every document in one batched pass.

    With ``model=None`` claims keep the groups the rules gave them and no stance.
    """
    extracted = extract_documents(documents, dispute=model.dispute if model else None, progress=progress,
                                  tagger=tagger)
    flat = [c for _, claims in extracted for c in claims]
    labelled = iter(model.label(flat) if model else flat)
    results = []
    for document, (paragraphs, claims) in zip(documents, extracted):
        claims = [next(labelled) for _ in claims]
        sentences = [SentenceResult(i, span, document.text[span[0]:span[1]])
                     for i, span in enumerate(sentence_spans(paragraphs))]
        for claim in claims:
            start = claim.claim_span[0]
            home = next((s for s in sentences if s.span[0] <= start < s.span[1]), None)
            if home is not None:
                home.claims.append(claim)
        results.append(ArticleResult(document, claims, sentences))
    return results


def read_documents(patterns: Iterable[str], on_error: Callable[[InputError], None]) -> list[Document]:
    """Read every article named by paths, folders and globs; a bad file is reported and skipped."""
    documents = []
    for path in expand_paths(patterns, TEXT_SUFFIXES):
        try:
            documents.append(read_document(path))
        except InputError as err:
            on_error(err)
    return documents


def score_paths(patterns: Iterable[str], model: StanceClassifier | None, progress: bool = False,
                on_error: Callable[[InputError], None] | None = None) -> list[ArticleResult]:
    def report(err: InputError) -> None:
        print(f"stance: {err}", file=sys.stderr)

    return score_documents(read_documents(patterns, on_error or report), model, progress)

