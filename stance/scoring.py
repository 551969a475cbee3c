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
from .pipeline import extract_documents, sentence_of
from .reader import TEXT_SUFFIXES, read_document, span_text
from .records import Claim, Document, Span


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


def read_documents(patterns: Iterable[str], on_error: Callable[[InputError], None]) -> list[Document]:
    """Read every article named by paths, folders and globs; a bad file is reported and skipped.

    Two files with one ``doc_id`` (``a.txt`` and ``b/a.txt``) would give claims
    the same ids: the second is reported and skipped.
    """
    documents, seen, read = [], {}, set()
    for path in expand_paths(patterns, TEXT_SUFFIXES, on_error):
        if path.resolve() in read:
            continue  # named twice (a file and its folder): read once
        read.add(path.resolve())
        try:
            document = read_document(path)
        except InputError as err:
            on_error(err)
            continue
        if document.doc_id in seen:
            on_error(InputError(f"same doc_id {document.doc_id!r} as {seen[document.doc_id]}: rename one "
                                "(claim ids would repeat)", path))
            continue
        seen[document.doc_id] = path
        documents.append(document)
    return documents


def score_paths(patterns: Iterable[str], model: StanceClassifier | None, progress: bool = False,
                on_error: Callable[[InputError], None] | None = None) -> list[ArticleResult]:
    def report(err: InputError) -> None:
        print(f"stance: {err}", file=sys.stderr)

    return score_documents(read_documents(patterns, on_error or report), model, progress)

