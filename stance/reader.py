"""Stage 1, text: read an article file into a ``Document``.

The file's decoded text is kept exactly as read. Everything the parser should
not see (markup, titles, bylines, datelines, site boilerplate) is blanked in a
same-length ``view``, so every offset the pipeline reports is an offset into
the original text.
"""

from __future__ import annotations

import codecs
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
# Full stops of other scripts too (。！？ ۔ ।): an article in them is prose, not a list of titles.
SENTENCE_END = re.compile(r"[.!?。！？۔।][\"'”’)\]」』]*\s*$")
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
    text = decode(data, path)
    is_html = path.suffix.lower() in HTML_SUFFIXES or text.lstrip()[:15].lower().startswith(("<!doctype html", "<html"))
    if not text.strip():
        raise InputError("empty file" if not text else "empty file (only white space)", path)
    doc = document_from_text(text, doc_id or path.stem, is_html=is_html, path=str(path))
    if not doc.body:
        raise InputError("no article text found" + (" in the HTML page" if is_html else ""), path)
    return doc


_BOMS = ((codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
         (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16"))
# Control characters other than white space; a text file holds a few at most (a stray form feed).
CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
MAX_CONTROL_SHARE = 0.01


def decode(data: bytes, path: str | Path) -> str:
    """The bytes of a text file as UTF-8 text, or an ``InputError`` that says what the file is.

    UTF-16 and UTF-32 (with or without a byte-order mark), binary data (NUL
    bytes, or more than 1% control characters) and other encodings (Latin-1,
    Windows-1252, at the first bad byte's line) are named, so the user knows
    what to convert. A UTF-8 byte-order mark is kept: offsets count it.
    """
    for bom, name in _BOMS:
        if data.startswith(bom):
            raise InputError(f"{name} text, not UTF-8: save it as UTF-8", path)
    if b"\x00" in data:
        if _looks_utf16(data):
            raise InputError("UTF-16 text (no byte-order mark), not UTF-8: save it as UTF-8", path)
        raise InputError("binary file (NUL bytes), not text", path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        byte = data[err.start]
        try:
            data.decode("cp1252")
            guess = " (Latin-1 or Windows-1252?): save it as UTF-8"
        except UnicodeDecodeError:
            guess = ""
        raise InputError(f"not UTF-8 text: byte 0x{byte:02X}{guess}", path, line) from None
    controls = len(CONTROL.findall(text))
    if controls > max(8, MAX_CONTROL_SHARE * len(text)):
        raise InputError(f"binary data ({controls} control characters in {len(text)}), not text", path)
    return text


def _looks_utf16(data: bytes) -> bool:
    """NUL bytes on one side of most byte pairs, and the whole decodes: UTF-16 with no byte-order mark."""
    head = data[:4096]
    pairs = len(head) // 2
    for nuls, other, order in ((head[1::2].count(0), head[0::2].count(0), "le"),
                               (head[0::2].count(0), head[1::2].count(0), "be")):
        if pairs and nuls > 0.3 * pairs and other < 0.05 * pairs:
            try:
                data[: len(data) // 2 * 2].decode(f"utf-16-{order}")
                return True
            except UnicodeDecodeError:
                return False
    return False


#: A body block longer than this is parsed in pieces cut at sentence ends (spaCy refuses
#: texts over 1,000,000 characters and needs about 1 GB for one that long).
MAX_BLOCK_CHARS = 10_000
_LINE_END = re.compile(r"[.!?:][\"'”’)\]]*[ \t]*\n\s*")
_SENTENCE_BREAK = re.compile(r"[.!?][\"'”’)\]]*\s+(?=\S)")
_SPACE = re.compile(r"\s+")


def split_block(view: str, start: int, end: int, limit: int) -> list[Span]:
    """``[start, end)`` as pieces of at most ``limit`` characters, offsets unchanged.

    A piece ends, by preference, at a sentence end followed by a line break,
    else at any sentence end, else at white space, else after ``limit``
    characters; cuts are looked for in the second half of each piece first.
    """
    pieces = []
    while end - start > limit:
        cut = None
        for pattern in (_LINE_END, _SENTENCE_BREAK, _SPACE):
            for lo in (start + limit // 2, start + 1):
                found = [m.end() for m in pattern.finditer(view, lo, start + limit)]
                if found:
                    cut = found[-1]
                    break
            if cut is not None:
                break
        cut = cut if cut is not None and cut > start else start + limit
        pieces.append((start, cut))
        start = cut
    pieces.append((start, end))
    return [(s, e) for s, e in pieces if view[s:e].strip()]


def span_text(document: Document, start: int, end: int) -> str:
    """What a span says: the file's text, or for an HTML page the text a browser shows.

    For HTML, ``document.text[start:end]`` holds markup and character
    references; the reported string is the span's ``view`` with references
    decoded, tags dropped and white space collapsed.
    """
    if not document.html:
        return document.text[start:end]
    return " ".join(document.view[start:end].replace(PAD, "").split())


def document_from_text(text: str, doc_id: str = "text", is_html: bool = False, path: str | None = None) -> Document:
    """Build a ``Document`` from text already in memory (the Python API's entry)."""
    view = _html_view(text) if is_html else text
    view = CONTROL.sub(" ", view.replace("\r", " ").replace("\ufeff", " ").replace("\t", " ").replace("\f", " "))
    probe = view.replace(PAD, " ")  # what the block and line patterns see: padding is a space there
    blocks = [(m.start(), m.end()) for m in BLOCK.finditer(probe)]
    body = [(s, e, n == 0) for start, end in _body_blocks(probe, blocks)
            for n, (s, e) in enumerate(split_block(probe, start, end, MAX_BLOCK_CHARS))]
    # Outside the body everything but line breaks is blanked; inside, a hard wrap is a space.
    parts, pos = [], 0
    for start, end, _ in body:
        parts += [_blank(view[pos:start]), view[start:end].replace("\n", " ")]
        pos = end
    parts.append(_blank(view[pos:]))
    view = re.sub(r"(?<=\w)`(?=\w)", "'", "".join(parts))  # Army`s -> Army's
    probe = view.replace(PAD, " ")
    parts, pos, out_body = [], 0, []
    for start, end, first in body:
        match = DATELINE.match(probe, start, end) if first else None
        if match:
            parts += [view[pos:start], " " * (match.end() - start)]
            pos = start = match.end()
        out_body.append((start, end))
    view = "".join(parts) + view[pos:]
    assert len(view) == len(text)
    return Document(doc_id=doc_id, text=text, view=view, body=out_body, path=path, html=is_html)


def _blank(text: str) -> str:
    return "\n".join(" " * len(line) for line in text.split("\n"))


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
#: Fills the rest of a decoded character reference (``&#8217;`` is one character and six of
#: ``PAD``) and the whole of an inline tag, so the view keeps the text's length; the parser
#: reads each paragraph without it (``sentences.Paragraph`` maps offsets back across it).
PAD = "\u200b"  # zero-width space: the text's own ones are left out of the parse too


def _html_view(text: str) -> str:
    """Blank markup, keeping the length; block tags become paragraph breaks.

    Dropped elements (scripts, navigation, headings) become spaces; inline
    tags (``<em>``, ``<a>``) become ``PAD``, which takes no room, as in a
    browser: ``<em>unprovoked</em>.`` reads ``unprovoked.``.
    """

    def blank(match: re.Match) -> str:
        return re.sub(r"[^\n]", " ", match.group(0))

    def inline(match: re.Match) -> str:
        return re.sub(r"[^\n]", PAD, match.group(0))

    def block_break(match: re.Match) -> str:
        return "\n\n" + " " * (len(match.group(0)) - 2)

    def entity(match: re.Match) -> str:
        """The character, then ``PAD`` to the reference's length: the parser never sees the padding."""
        char = html.unescape(match.group(0))
        if char == match.group(0):
            return char  # not a reference html knows: the text as it stands
        return (char if len(char) == 1 else " ") + PAD * (len(match.group(0)) - 1)

    view = _DROP.sub(blank, text)
    view = _BLOCK_TAG.sub(block_break, view)
    view = _TAG.sub(inline, view)
    view = _ENTITY.sub(entity, view)
    # Source line breaks inside a paragraph are spaces; tag-made breaks stay.
    return view.replace("\xa0", " ")
