"""The source of a cue: who speaks, as a mention span in the text.

The mention is the subject's noun phrase without what only describes it:
descriptive appositives and comma-set relative clauses (``Gen John Allen,
commander of ISAF,`` -> ``Gen John Allen``), but with its own modifiers
(``a statement from the US embassy here``, ``officials who attended the
session``) and a name in apposition (``its spokesman, Abdul Basit``).
"""

from __future__ import annotations

from typing import Optional

SUBJECTS = ("nsubj", "nsubjpass", "csubj")
RELATIVE = {"who", "which", "that", "whom", "whose"}
#: How a clause hangs on the clause whose subject it shares.
SHARES_SUBJECT = {"conj", "advcl", "xcomp", "pcomp"}


def subject_in_quote(verb, quotes) -> Optional["spacy.tokens.Token"]:  # noqa: F821
    """``"My reaction ...," the strategist said``: the parser took a quoted word for the subject;
    the speaker is the noun phrase between the closing mark and the cue, or right after the cue."""
    doc = verb.doc
    closing = max((end for start, end in quotes if end <= verb.idx), default=None)
    between = [t for t in doc if closing is not None and closing <= t.idx < verb.idx]
    after = [t for t in doc[verb.i + 1:verb.i + 8] if not any(s <= t.idx < e for s, e in quotes)]
    for tokens in (between, after):
        nouns = [t for t in tokens if t.pos_ in ("PROPN", "NOUN", "PRON") and t.dep_ != "compound"]
        if nouns:
            return nouns[0]
    return None


def subject_of(verb, relative: bool = False) -> Optional["spacy.tokens.Token"]:  # noqa: F821
    """The subject of ``verb``: its own, the agent of a passive, or the one of the clause it hangs on.

    A relative pronoun (``the minister, who said``) stands for the noun it
    refers to, unless ``relative`` asks for the pronoun itself.
    """
    token = verb
    for _ in range(4):
        for child in token.children:
            if child.dep_ in ("nsubj", "csubj"):
                return child if relative else _relative_head(child)
        for child in token.children:
            if child.dep_ == "agent":
                objects = [c for c in child.children if c.dep_ == "pobj"]
                if objects:
                    return objects[0]
        for child in token.children:
            if child.dep_ == "nsubjpass":
                return None  # "it is believed", "he was told": no speaker named
        if token.dep_ == "relcl" and token.head.pos_ in ("NOUN", "PROPN", "PRON"):
            return token.head  # "the spokesman, who said" has no subject of its own
        if token.dep_ == "acl" and token.tag_ == "VBG" and token.head.pos_ in ("NOUN", "PROPN"):
            return token.head  # "a statement saying ..."
        if token.dep_ in SHARES_SUBJECT and token.head.i != token.i:
            token = token.head
            continue
        return None
    return None


def _relative_head(subject):
    """``who`` in ``the minister, who said ...`` stands for ``the minister``."""
    if subject.lower_ in RELATIVE and subject.head.dep_ == "relcl":
        return subject.head.head
    return subject


def mention_span(head, full: bool = False) -> tuple[int, int]:
    """Character span (in the paragraph's doc) of the noun phrase headed by ``head``.

    ``full=True`` keeps the whole phrase, appositives and relative clauses
    included (PolNeAR's convention: ``Rep. Adam Schiff, the top Democrat on
    the committee,``).
    """
    doc = head.doc
    dropped = set()
    for token in head.subtree:
        for child in token.children:
            if not full and token.i not in dropped and _describes(token, child):
                dropped.update(t.i for t in child.subtree)
    kept = {t.i for t in head.subtree if t.i not in dropped}
    start = end = head.i  # the contiguous run of kept tokens around the head
    while start - 1 in kept:
        start -= 1
    while end + 1 in kept or (end + 1 < len(doc) and not doc[end].whitespace_ and doc[end + 1].text not in ",;:)"
                              and (doc[end + 1].is_alpha or doc[end + 1].text in "-'’")):
        end += 1  # a hyphenated name the parser broke up stays whole
    while end > start and doc[end].is_punct and doc[end].text not in ")]":
        end -= 1
    while start < end and (doc[start].is_punct or (doc[start].like_num or ":" in doc[start].text)
                           and doc[start + 1].is_punct):
        start += 1  # a live blog's "15:45 - " before the speaker
    return doc[start].idx, doc[end].idx + len(doc[end].text)


def _describes(head, child) -> bool:
    """A dependent that only describes the speaker: a relative or participle clause set off by a
    comma (``Mattis, who left Pakistan,``), a description in apposition to a name
    (``Karen Liddell, a former Pentagon official``), an adverbial or parenthetical clause. A
    restrictive clause (``officials who attended the session``) and a name in apposition to a
    description (``its spokesman, Abdul Basit``) are part of the mention."""
    doc = head.doc
    if child.left_edge.i > 0 and not doc[child.left_edge.i - 1].whitespace_:
        return False  # a piece of a hyphenated name: Tehrik-e-Taliban, Sami-ul-Haq
    if child.dep_ in ("relcl", "acl"):
        return child.left_edge.i > 0 and doc[child.left_edge.i - 1].text in (",", "(", "—", "–")
    if child.dep_ == "appos":
        return not (child.pos_ == "PROPN" and head.pos_ != "PROPN")
    return child.dep_ in ("parataxis", "advcl")
