"""The content of a claim: character spans cut from the dependency parse.

Conventions (docs/annotation.md): a reported clause without a leading ``that``
and without its final punctuation; a position verb's verb phrase including
the verb; quoted words without the marks.
"""

from __future__ import annotations

from typing import Iterable, Optional

TRAILING = set(".,;:!?-–—") | {" ", "\n"}
LEADING = set(",;:-–—") | {" ", "\n"}
COMPLEMENTISERS = {"that"}


def token_range(tokens: Iterable) -> Optional[tuple[int, int]]:
    """Token index range [first, last] of the largest contiguous run in ``tokens``."""
    indices = sorted({t.i if hasattr(t, "i") else t for t in tokens})
    if not indices:
        return None
    best = run = (indices[0], indices[0])
    for i in indices[1:]:
        run = (run[0], i) if i == run[1] + 1 else (i, i)
        if run[1] - run[0] > best[1] - best[0]:
            best = run
    return best


def char_span(doc, first: int, last: int, drop_that: bool = True) -> Optional[tuple[int, int]]:
    """Characters of tokens ``first..last`` trimmed of edge punctuation (and a leading ``that``)."""
    while first <= last and (doc[first].is_punct and not _is_quote(doc[first]) or doc[first].is_space):
        first += 1
    if drop_that and first < last and doc[first].lower_ in COMPLEMENTISERS and doc[first].dep_ == "mark":
        first += 1
    while last >= first and (doc[last].is_punct and not _is_quote(doc[last]) or doc[last].is_space
                             or doc[last].dep_ == "cc"):
        last -= 1
    if last < first:
        return None
    start, end = doc[first].idx, doc[last].idx + len(doc[last].text)
    return trim(doc.text, start, end)


def _is_quote(token) -> bool:
    return token.text in ('"', "“", "”", "‘", "’", "'", "«", "»") or token.is_quote


def trim(text: str, start: int, end: int) -> Optional[tuple[int, int]]:
    """Drop edge whitespace and punctuation (quote marks stay: they belong to a mixed claim)."""
    while start < end and text[start] in LEADING:
        start += 1
    while end > start and text[end - 1] in TRAILING:
        end -= 1
    # a quote mark left alone at an edge, with its partner outside the span
    if end > start and text[end - 1] in "\"”’'" and _marks(text[start:end]) % 2:
        end -= 1
        while end > start and text[end - 1] in TRAILING:
            end -= 1
    if end > start and text[start] in "\"“‘'" and _marks(text[start:end]) % 2:
        start += 1
        while start < end and text[start] in LEADING:
            start += 1
    return (start, end) if end > start else None


def _marks(text: str) -> int:
    return sum(text.count(m) for m in "\"“”")


def subtree_span(token, exclude: Iterable = (), drop_that: bool = True) -> Optional[tuple[int, int]]:
    """Characters of ``token``'s subtree less the ``exclude`` subtrees (largest contiguous run)."""
    excluded = {t.i for root in exclude for t in root.subtree}
    rng = token_range(t.i for t in token.subtree if t.i not in excluded)
    return char_span(token.doc, *rng, drop_that=drop_that) if rng else None
