"""The extraction pipeline: text -> sentences -> claims -> speakers.

The classifier (stance/classifier.py) labels what this returns; the CLI and
the Python API both go through these functions.

A long article is read in windows of body paragraphs (``WINDOW_CHARS``
each, with up to ``CONTEXT_BLOCKS`` paragraphs, ``CONTEXT_CHARS`` characters,
before it re-read as context for speakers and quotes that carry over), so
time grows linearly with its length and memory stays bounded: only one
window's parse is held at a time.
"""

from __future__ import annotations

import dataclasses
import sys
from bisect import bisect_left
from typing import Iterable, Iterator, NamedTuple, Union

from .claims import find_attributions, load_cues
from .dispute import Dispute, load_dispute
from .reader import document_from_text, span_text
from .records import Claim, Document, Span
from .sentences import iter_parses
from .speakers import attribute, resolve_given

WINDOW_CHARS = 50_000
CONTEXT_BLOCKS = 6  # the speakers stage looks back 3 paragraphs for a pronoun's antecedent
CONTEXT_CHARS = 10_000
PROGRESS_CHARS = 50_000  # a single article longer than this gets a progress bar (on a terminal)


class Extraction(NamedTuple):
    """One document's sentences (document offsets, in order) and claims."""

    sentences: list[Span]
    claims: list[Claim]


def extract_claims(text: Union[str, Document], *, dispute: Dispute | None = None, doc_id: str = "text") -> list[Claim]:
    """Every attributed claim of one article, with speaker, resolved speaker and group."""
    document = text if isinstance(text, Document) else document_from_text(text, doc_id)
    return extract_documents([document], dispute=dispute)[0].claims


def extract_documents(
    documents: Iterable[Document], *, dispute: Dispute | None = None, progress: bool = False, tagger=None
) -> list[Extraction]:
    """Batched extraction; returns each document's sentence spans beside its claims.

    ``tagger`` (a ``stance.claims.tagger.Tagger`` built from PolNeAR) replaces
    the rule-based claims stage; its spans follow PolNeAR's conventions.
    """
    return list(iter_extractions(documents, dispute=dispute, progress=progress, tagger=tagger))


def iter_extractions(
    documents: Iterable[Document], *, dispute: Dispute | None = None, progress: bool = False, tagger=None
) -> Iterator[Extraction]:
    """``extract_documents`` one document at a time, in order."""
    dispute = dispute or load_dispute()
    cues = load_cues(dispute.cues)
    documents = list(documents)
    windows = [(d, window, own) for d, document in enumerate(documents) for window, own in _windows(document)]
    windowed = {d for d, _, own in windows if own}  # documents read in more than one window
    bar = _progress(documents, progress)
    current, sentences, claims = 0, [], []
    for (d, window, own), paragraphs in zip(windows, iter_parses(w for _, w, _ in windows)):
        while d > current:
            yield _finish(documents[current], sentences, claims, current in windowed)
            current, sentences, claims = current + 1, [], []
        attributions = (tagger.attributions(window, paragraphs) if tagger
                        else find_attributions(paragraphs, window, cues))
        claims += [c for c in attribute(window, paragraphs, attributions, dispute) if c.sentence_span[0] >= own]
        sentences += [s for p in paragraphs if p.start >= own for s in p.sentences()]
        del paragraphs  # the parse of this window is no longer needed
        if bar is not None:
            bar.update(sum(e - s for s, e in window.body if s >= own))
    while current < len(documents):
        yield _finish(documents[current], sentences, claims, current in windowed)
        current, sentences, claims = current + 1, [], []
    if bar is not None:
        bar.close()

def _windows(document: Document) -> Iterator[tuple[Document, int]]:
    """(the document with a part of its body, where that part's own paragraphs start).

    Paragraphs before ``own`` are context: read again, their claims dropped.
    """
    body = document.body
    if sum(e - s for s, e in body) <= WINDOW_CHARS:
        yield document, 0
        return
    first, size = 0, 0
    for i, (s, e) in enumerate(body):
        if size and size + e - s > WINDOW_CHARS:
            yield dataclasses.replace(document, body=body[_context(body, first):i]), body[first][0]
            first, size = i, 0
        size += e - s
    yield dataclasses.replace(document, body=body[_context(body, first):]), body[first][0]


def _context(body: list[Span], first: int) -> int:
    """Index of the first context paragraph before ``body[first]``."""
    start, size = first, 0
    while start > 0 and first - start < CONTEXT_BLOCKS:
        size += body[start - 1][1] - body[start - 1][0]
        if size > CONTEXT_CHARS and start < first:
            break
        start -= 1
    return start


def _finish(document: Document, sentences: list[Span], claims: list[Claim], windowed: bool) -> Extraction:
    """Number the claims of a windowed document in order; HTML strings as a browser shows them."""
    if windowed:
        for n, c in enumerate(claims, 1):
            c.id = f"{document.doc_id}-{n}"
    if document.html:
        for c in claims:
            raw = c.speaker
            c.sentence, c.claim = span_text(document, *c.sentence_span), span_text(document, *c.claim_span)
            if c.speaker_span:
                c.speaker = span_text(document, *c.speaker_span)
                if c.speaker_resolved == raw:
                    c.speaker_resolved = c.speaker
            if c.cue_span:
                c.cue = span_text(document, *c.cue_span)
    return Extraction(sentences, claims)


def sentence_of(sentences: list[Span], offset: int) -> int | None:
    """Index of the sentence (sorted spans) holding ``offset``, or None."""
    i = bisect_left(sentences, (offset + 1,)) - 1
    return i if i >= 0 and sentences[i][0] <= offset < sentences[i][1] else None


def _progress(documents: list[Document], enabled: bool):
    """A bar in characters of article text, on a terminal only, for several or long articles."""
    total = sum(e - s for document in documents for s, e in document.body)
    if not enabled or not sys.stderr.isatty() or (len(documents) < 2 and total < PROGRESS_CHARS):
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, desc="reading", unit="char", unit_scale=True, leave=False)


def resolve_claims(document: Union[str, Document], claims: Iterable[Claim], *, dispute: Dispute | None = None,
                   doc_id: str = "text") -> list[Claim]:
    """Given claims of one article with their speakers resolved from the article (``resolve_given``).

    Only each claim's ``sentence``, ``claim`` and ``speaker`` are read; the
    copies get ``speaker_resolved``, ``speaker_group`` and ``speaker_group_source``.
    """
    document = document if isinstance(document, Document) else document_from_text(document, doc_id)
    return resolve_documents([(document, list(claims))], dispute=dispute)[0]


def resolve_documents(items: Iterable[tuple[Document, list[Claim]]], *,
                      dispute: Dispute | None = None) -> list[list[Claim]]:
    """``resolve_claims`` for many articles, parsed in one batched spaCy pass."""
    dispute = dispute or load_dispute()
    items = list(items)
    parses = iter_parses([document for document, _ in items])
    return [resolve_given(document, paragraphs, claims, dispute)
            for (document, claims), paragraphs in zip(items, parses)]
