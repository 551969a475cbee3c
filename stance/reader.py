"""Stage 1, text: read an article file into a ``Document``.

The file's decoded text is kept exactly as read. Everything the parser should
not see (markup, titles, bylines, datelines, site boilerplate) is blanked in a
same-length ``view``, so every offset the pipeline reports is an offset into
the original text.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from .errors import InputError
from .records import Document, Span

HTML_SUFFIXES = (".html", ".htm", ".xhtml")
TEXT_SUFFIXES = (".txt", ".text", ".md", "") + HTML_SUFFIXES

# Lines a news site adds around an article; a block that matches is not prose.
BOILERPLATE = re.compile(
    r"\bcookies\b|\buse of cookies|\bsubscribe (to|now|for)\b|\bnewsletter\b|all rights reserved|\bcopyright\b|©|"
    r"follow us\b|click here|clicking this link|read (the rest|more)\b|sign up (for|to|now)\b|share this|"
    r"terms of (use|service)|privacy policy|related (stories|articles)|^\s*advertisement\s*$",
    re.I,
)
BOILERPLATE_MAX_WORDS = 40
BYLINE = re.compile(r"^\s*(by|from|reporting by|written by|posted by|edited by)\s+\S", re.I)
# "ISLAMABAD, Nov 27 (Reuters) - ", "Islamabad: ", "KABUL, Afghanistan — " at a paragraph's start.
DATELINE = re.compile(
    r"(?:[A-Z][A-Z .'-]{2,}(?:, [A-Z][a-z]+(?: [A-Z][a-z]+)?)?|[A-Z][a-z]+(?: [A-Z][a-z]+)?)"
    r"(?:,? (?:[A-Z][a-z]{2,8}\.? \d{1,2}|\d{1,2} [A-Z][a-z]{2,8})(?:,? \d{4})?)?"
    r"(?: ?\([^()\n]{1,40}\))?"
    r"(?: ?[:\-–—]{1,2} )(?=[\"“‘'A-Z])"
)
SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s*$")
BLOCK = re.compile(r"[^\n]*\S[^\n]*(?:\n[^\n]*\S[^\n]*)*")


def read_document(path: str | Path, doc_id: str | None = None) -> Document:
    """Read a UTF-8 text or HTML article; bad files raise ``InputError``."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", path) from None
    except IsADirectoryError:
        raise InputError("is a folder, not an article file", path) from None
    except OSError as err:
        raise InputError(f"cannot read ({err.strerror})", path) from None
    if b"\x00" in data[:8192]:
        raise InputError("binary file, not an article", path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputError(f"not UTF-8 text (bad byte at offset {err.start})", path) from None
    is_html = path.suffix.lower() in HTML_SUFFIXES or text.lstrip()[:15].lower().startswith(("<!doctype html", "<html"))
    doc = document_from_text(text, doc_id or path.stem, is_html=is_html, path=str(path))
    if not text.strip():
        raise InputError("empty file", path)
    if not doc.body:
        raise InputError("no article text found" + (" in the HTML page" if is_html else ""), path)
    return doc


def document_from_text(text: str, doc_id: str = "text", is_html: bool = False, path: str | None = None) -> Document:
    """Build a ``Document`` from text already in memory (the Python API's entry)."""
    view = _html_view(text) if is_html else text
    view = view.replace("\r", " ").replace("\ufeff", " ").replace("\t", " ")
    blocks = [(m.start(), m.end()) for m in BLOCK.finditer(view)]
    body = _body_blocks(view, blocks)
    chars = list(view)
    kept = set()
    for start, end in body:
        kept.update(range(start, end))
        for i in range(start, end):
            if chars[i] == "\n":
                chars[i] = " "  # a hard wrap inside a paragraph is a space
    for i, ch in enumerate(chars):
        if i not in kept and ch != "\n":
            chars[i] = " "
    view = "".join(chars)
    view = re.sub(r"(?<=\w)`(?=\w)", "'", view)  # Army`s -> Army's
    out_body = []
    for start, end in body:
        match = DATELINE.match(view, start, end)
        if match:
            view = view[:start] + " " * (match.end() - start) + view[match.end():]
            start = match.end()
        out_body.append((start, end))
    assert len(view) == len(text)
    return Document(doc_id=doc_id, text=text, view=view, body=out_body, path=path)


def _body_blocks(view: str, blocks: list[Span]) -> list[Span]:
    body = []
    for start, end in blocks:
        block = view[start:end]
        words = block.split()
        if BOILERPLATE.search(block) and len(words) <= BOILERPLATE_MAX_WORDS:
            continue
        if BYLINE.match(block) and len(words) <= 12 and not SENTENCE_END.search(block):
            continue
        if not SENTENCE_END.search(block) and not block.rstrip().endswith(":") and len(words) <= 20 \
                and "\n" not in block.strip():
            continue  # a title, heading or caption line ("He said:" introduces a quote and stays)
        body.append((start, end))
    return body


_DROP = re.compile(
    r"<!--.*?-->|<(script|style|head|nav|header|footer|aside|noscript|form|button|figure|figcaption|svg|select)\b.*?</\1\s*>"
    r"|<(h[1-6]|title)\b.*?</\2\s*>",
    re.I | re.S,
)
_BLOCK_TAG = re.compile(r"</?(p|div|br|li|ul|ol|article|section|blockquote|main|tr|td|table|dd|dt|hr|pre)\b[^>]*>", re.I)
_TAG = re.compile(r"<[^>]*>", re.S)
_ENTITY = re.compile(r"&(#\d+|#x[0-9a-f]+|[a-z][a-z0-9]*);", re.I)


def _html_view(text: str) -> str:
    """Blank markup to spaces of the same length; block tags become paragraph breaks."""

    def blank(match: re.Match) -> str:
        return re.sub(r"[^\n]", " ", match.group(0))

    def block_break(match: re.Match) -> str:
        return "\n\n" + " " * (len(match.group(0)) - 2)

    def entity(match: re.Match) -> str:
        """The character, padded to the entity's length on the side away from the word it touches."""
        char = html.unescape(match.group(0))
        char = char if len(char) == 1 else " "
        pad = " " * (len(match.group(0)) - 1)
        after = match.string[match.end():match.end() + 1]
        return pad + char if after.isalnum() else char + pad

    view = _DROP.sub(blank, text)
    view = _BLOCK_TAG.sub(block_break, view)
    view = _TAG.sub(blank, view)
    view = _ENTITY.sub(entity, view)
    # Source line breaks inside a paragraph are spaces; tag-made breaks stay.
    return view.replace("\xa0", " ")
