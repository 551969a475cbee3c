"""Direct quotes: find the quoted stretches of a paragraph.

Handles straight and typographic marks, double and single quotes (single ones
only outside double ones: a quote inside a quote belongs to the outer one),
guillemets, and a mark used as an apostrophe (``Pakistan’s``, ``players'``).
A mark that never closes is dropped, so it cannot swallow the rest of the
text, except at a paragraph's very start: news style leaves a quote that runs
on to the next paragraph unclosed, so there it runs to the paragraph's end.
"""

from __future__ import annotations

from dataclasses import dataclass

DOUBLE_OPEN = "“„«"
DOUBLE_CLOSE = "”»"
SINGLE_OPEN = "‘‹"
SINGLE_CLOSE = "’›"
STRAIGHT = "\"'"
ALL_MARKS = DOUBLE_OPEN + DOUBLE_CLOSE + SINGLE_OPEN + SINGLE_CLOSE + STRAIGHT
_BEFORE_OPEN = " \t\n([{—–-/:;,"  # what may stand before an opening mark


@dataclass(frozen=True)
class Quote:
    """A quoted stretch of a paragraph: ``[start, end)`` with the marks, ``inner`` without."""

    start: int
    end: int
    inner: tuple[int, int]
    closed: bool = True

    def __contains__(self, offset: int) -> bool:
        return self.start <= offset < self.end


def _can_open(text: str, i: int) -> bool:
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before in _BEFORE_OPEN or before in ALL_MARKS) and not after.isspace()


def _can_close(text: str, i: int) -> bool:
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return not before.isspace() and not after.isalnum()


def _pair(text: str, marks: list[int], opens: str, closes: str) -> list[tuple[int, int]]:
    """Pair opening and closing marks left to right; an opener left unclosed is dropped."""
    pairs = []
    open_at = None
    for i in marks:
        ch = text[i]
        opener = ch in opens or (ch in STRAIGHT and _can_open(text, i))
        closer = ch in closes or (ch in STRAIGHT and _can_close(text, i))
        if ch in closes and ch not in opens and open_at is None and _can_open(text, i) and not _can_close(text, i):
            opener, closer = True, False  # a closing mark typed where an opening one belongs
        if open_at is not None and closer:
            pairs.append((open_at, i))
            open_at = None
        elif opener:
            open_at = i  # a second opener: the first never closed
    if open_at is not None and not text[:open_at].strip():
        pairs.append((open_at, len(text)))  # a quote running on into the next paragraph
    return pairs


def _inner(text: str, start: int, end: int) -> tuple[int, int]:
    a, b = start + 1, end
    while a < b and (text[a].isspace() or text[a] == _SECOND):
        a += 1
    while b > a and (text[b - 1].isspace() or text[b - 1] == ","):
        b -= 1
    return a, b


#: Stands in for the second mark of a doubled apostrophe used as a quote mark (''like this'').
_SECOND = "\x01"


def find_quotes(text: str) -> list[Quote]:
    """Every top-level quote of ``text`` (one paragraph), in order."""
    text = text.replace("''", '"' + _SECOND).replace("``", '"' + _SECOND)  # same length: offsets hold
    doubles = [i for i, ch in enumerate(text) if ch in DOUBLE_OPEN + DOUBLE_CLOSE + '"']
    regions = _pair(text, doubles, DOUBLE_OPEN, DOUBLE_CLOSE)

    def covered(i: int) -> bool:
        return any(a <= i <= b for a, b in regions)

    singles = []
    for i, ch in enumerate(text):
        if ch not in SINGLE_OPEN + SINGLE_CLOSE + "'" or covered(i):
            continue
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        if before.isalnum() and after.isalnum():
            continue  # an apostrophe: Pakistan’s, don't
        singles.append(i)
    single_pairs = [
        (a, b) for a, b in _pair(text, singles, SINGLE_OPEN, SINGLE_CLOSE)
        if b < len(text) and not any(x < a < y for x, y in regions)  # single quotes must close
        and b - a > 2 and not (text[b - 1] in "sS" and text[b - 2].isalpha() and " " not in text[a:b])
    ]
    out = []
    for a, b in sorted(regions + single_pairs):
        end = b + 1 if b < len(text) else b
        if end < len(text) and text[end] == _SECOND:
            end += 1
        inner = _inner(text, a, b)
        if inner[1] > inner[0]:
            out.append(Quote(a, end, inner, closed=b < len(text)))
    return out
