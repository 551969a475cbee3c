"""The extraction pipeline: text -> sentences -> claims -> speakers.

The classifier (stance/classifier.py) labels what this returns; the CLI and
the Python API both go through these functions.
"""

from __future__ import annotations

import sys
from typing import Iterable, Union

from .claims import find_attributions, load_cues
from .dispute import Dispute, load_dispute
from .reader import document_from_text
from .records import Claim, Document
from .sentences import Paragraph, iter_parses
from .speakers import attribute, resolve_given


def extract_claims(text: Union[str, Document], *, dispute: Dispute | None = None, doc_id: str = "text") -> list[Claim]:
    """Every attributed claim of one article, with speaker, resolved speaker and group."""
    document = text if isinstance(text, Document) else document_from_text(text, doc_id)
    return extract_documents([document], dispute=dispute)[0][1]


def extract_documents(
    documents: Iterable[Document], *, dispute: Dispute | None = None, progress: bool = False, tagger=None
) -> list[tuple[list[Paragraph], list[Claim]]]:
    """Batched extraction; returns each document's parse beside its claims.

    ``tagger`` (a ``stance.claims.tagger.Tagger`` built from PolNeAR) replaces
    the rule-based claims stage; its spans follow PolNeAR's conventions.
    """
    dispute = dispute or load_dispute()
    cues = load_cues(dispute.cues)
    documents = list(documents)
    pairs = zip(documents, iter_parses(documents))
    if progress and len(documents) > 1 and sys.stderr.isatty():
        from tqdm.auto import tqdm

        pairs = tqdm(pairs, total=len(documents), desc="articles", unit="article", leave=False)
    out = []
    for document, paragraphs in pairs:
        attributions = (tagger.attributions(document, paragraphs) if tagger
                        else find_attributions(paragraphs, document, cues))
        out.append((paragraphs, attribute(document, paragraphs, attributions, dispute)))
    return out


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
