"""Stage 3, claims: every quoted or attributed claim of an article.

One module per concern (after Citron, Newell et al. 2021):
``cues`` the cue lexicon, ``quotes`` the quoted stretches of a paragraph,
``indirect`` reported speech from the dependency parse, ``source`` the
speaker mention, ``content`` the claim span. This module joins them:

1. every cue of a sentence gives a candidate (cue, source, content);
2. a candidate whose content is only quoted words becomes a direct claim
   with the words inside the marks; an interrupted quote ``"A," he said,
   "B."`` is one claim from A to B (PolNeAR's conventions: one per piece);
   a content that holds a quote among other words is mixed;
3. a quote no content holds goes to the nearest cue of its sentence(s); a
   long quote with no cue at all continues the last quoted speaker's words
   (same paragraph, or the one before), else it has no cue and no source;
4. inside another claim's content, a belief (``X said she thinks ...``) is
   dropped, and so is a verb phrase (``a spokesman said the US regretted
   ...``; ``rejected this stand and called for action`` is one claim), unless
   a document relays a named speaker's act (``Mattis acknowledged sacrifices
   ..., the embassy statement said``: the speakers stage keeps the innermost);
   reported speech (a clause or a quote) always nests as a claim of its own.

All spans are [start, end) offsets into ``document.text``.
"""

from __future__ import annotations

from ..records import Attribution, Document
from ..sentences import Paragraph
from .cues import CueLexicon, load_cues
from .indirect import Candidate, find_candidates, sentence_span
from .quotes import Quote, find_quotes

__all__ = ["CueLexicon", "find_attributions", "load_cues", "paragraph_attributions"]

#: A quote with no cue is a claim when it holds at least this many words (shorter ones are scare quotes).
MIN_ORPHAN_WORDS = 6


def find_attributions(paragraphs: list[Paragraph], document: Document, cues: CueLexicon, *,
                      conventions: str = "stance") -> list[Attribution]:
    """Every claim of the article's parsed body paragraphs, in text order.

    Source mentions leave out appositives and relative clauses and stand for
    what a relative pronoun refers to (``Gen John Allen``, docs/annotation.md);
    ``conventions="polnear"`` gives PolNeAR's instead, for scoring on it: the
    whole noun phrase, ``who`` as it stands, and cues with the auxiliaries and
    adverbs before the verb (``has also warned``).
    """
    if conventions not in ("stance", "polnear"):
        raise ValueError(f"unknown conventions {conventions!r} (stance or polnear)")
    out: list[Attribution] = []
    speaking: Attribution | None = None  # the last quoted speaker: an uncued quote goes on their words
    for paragraph in paragraphs:
        found = sorted(paragraph_attributions(paragraph.doc, cues, polnear=conventions == "polnear"),
                       key=lambda a: a.content)
        claims: list[Attribution] = []
        for a in found:
            a = Attribution(
                content=paragraph.span(*a.content),
                sentence=paragraph.span(*a.sentence),
                cue=paragraph.span(*a.cue) if a.cue else None,
                source=paragraph.span(*a.source) if a.source else None,
                kind=a.kind,
            )
            if a.cue is None and a.source is None and a.kind == "direct" and speaking is not None:
                a.cue, a.source = speaking.cue, speaking.source
            if a.source is not None and a.kind != "indirect":
                speaking = a
            claims.append(a)
        if not found:
            speaking = None
        out += claims if conventions == "polnear" else _join_quote_pieces(claims)
    out.sort(key=lambda a: (a.content[0], a.content[1]))
    return out


def _join_quote_pieces(claims: list[Attribution]) -> list[Attribution]:
    """One claim for the quoted pieces of one speaker that follow each other in a paragraph.

    ``"A," he said. "B."`` is one claim running from A to B (docs/annotation.md's
    training data); PolNeAR counts the pieces, so its conventions keep them apart.
    """
    out: list[Attribution] = []
    for a in claims:
        last = out[-1] if out else None
        if (last is not None and a.kind == last.kind == "direct" and a.cue == last.cue
                and a.source == last.source and a.cue is not None and a.content[0] >= last.content[1]):
            last.content = (last.content[0], a.content[1])
            last.sentence = (min(last.sentence[0], a.sentence[0]), max(last.sentence[1], a.sentence[1]))
            continue
        out.append(a)
    return out


def _inside(inner, outer) -> bool:
    return inner is not None and outer is not None and outer[0] <= inner[0] and inner[1] <= outer[1]


def _overlaps(a, b) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _only_quotes(text: str, span, quotes: list[Quote]) -> list[Quote]:
    """The quotes making up ``span`` when nothing but them (and punctuation) lies in it, else []."""
    inside = [q for q in quotes if _overlaps((q.start, q.end), span)]
    if not inside:
        return []
    rest = "".join(ch for i, ch in enumerate(text[span[0]:span[1]], span[0]) if not any(i in q for q in inside))
    return inside if not any(ch.isalnum() for ch in rest) else []


def _sentence_hull(sentences, span):
    touched = [s for s in sentences if _overlaps(s, span)]
    return (min(s[0] for s in touched), max(s[1] for s in touched)) if touched else span


def paragraph_attributions(doc, cues: CueLexicon, polnear: bool = False) -> list[Attribution]:
    """Claims of one parsed paragraph, as spans into ``doc.text``."""
    text = doc.text
    quotes = find_quotes(text)
    sentences = [sentence_span(s) for s in doc.sents if s.text.strip()]
    candidates: list[Candidate] = []
    regions = [(q.start, q.end) for q in quotes]
    for sent in doc.sents:
        candidates += find_candidates(sent, cues, regions, polnear)
    # a cue inside quoted words is the quoted speaker's own wording ("I think ..."), not an attribution
    candidates = [c for c in candidates if c.cue is None or not any(q.start < c.cue[0] < q.end for q in quotes)]
    claims: list[Attribution] = []
    used: set[Quote] = set()

    def add(c: Candidate, content, kind):
        cue = c.cue or content
        hull = _sentence_hull(sentences, (min(content[0], cue[0]), max(content[1], cue[1])))
        claims.append(Attribution(content=content, sentence=hull, cue=c.cue, source=c.source, kind=kind))

    for c in candidates:
        if c.content is None:
            continue
        pieces = _only_quotes(text, c.content, quotes) if c.clausal else []
        if pieces:
            for q in pieces:
                if q not in used:
                    used.add(q)
                    add(c, q.inner, "direct")
            continue
        inner = [q for q in quotes if _inside((q.start, q.end), (c.content[0] - 1, c.content[1] + 1))]
        used.update(inner)
        add(c, c.content, "mixed" if inner else "indirect")
    # quotes no content took: the nearest cue of the sentences they touch
    speaking = [c for c in candidates if c.source is not None and c.cue is not None and not c.hedge]
    for q in quotes:
        if q in used or any(_overlaps((q.start, q.end), a.content) for a in claims):
            continue
        scope = _sentence_hull(sentences, (q.start, q.end))
        near = [c for c in speaking
                if _inside(c.cue, scope) and not any(_overlaps(c.cue, (x.start, x.end)) for x in quotes)]
        if not near:  # '"...?" Clinton said. "..."': a cue sentence of its own right before or after
            near = [c for c in speaking if c.sentence[1] - c.sentence[0] < 60 and (
                    not text[q.end:c.sentence[0]].strip() or not text[c.sentence[1]:q.start].strip())]
        words = len(text[q.inner[0]:q.inner[1]].split())
        if near:
            c = min(near, key=lambda c: min(abs(c.cue[0] - q.end), abs(q.start - c.cue[1])))
            if words >= 2 or c.content is None:
                add(c, q.inner, "direct")
        elif words >= MIN_ORPHAN_WORDS:
            claims.append(Attribution(content=q.inner, sentence=scope, cue=None, source=None, kind="direct"))
    # inside another claim's content, a belief ("X said she wanted ...") is part of what was said, and so
    # is a verb phrase ("a spokesman said the US regretted ..."), unless a document relays a named
    # speaker's act ("Mattis acknowledged sacrifices ..., the embassy statement said")
    by_cue = {c.cue: c for c in candidates}

    def relays(outer: Attribution) -> bool:
        c = by_cue.get(outer.cue)
        return c is not None and c.speaker_noun in cues.document

    out = []
    seen = set()
    for a in claims:
        key = (a.content, a.cue, a.source)
        if key in seen:
            continue
        seen.add(key)
        c = by_cue.get(a.cue)
        if c is not None and any(
                b is not a and _inside(a.cue, b.content) and b.content != a.content
                and (c.belief or (not c.clausal and (b.source == a.source or not relays(b)))) for b in claims):
            continue
        out.append(a)
    return out
