"""Stage 4, speakers: who each claim's source mention is, and their group.

Resolution is deliberately simple and explainable: pronouns go to the last
named entity that fits (``he`` -> the last man named, ``it`` -> the last body
or statement issuer that spoke), nominals (``the embassy statement``,
``the general``) to the last mention sharing their head noun. Groups come
from the dispute's gazetteer, then its word rules, then its generic nouns,
then the paragraph's context.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from .dispute import Alias, Dispute, tokenize_name
from .records import Attribution, Claim, Document, Span
from .sentences import Paragraph

MALE = {"he", "him", "his"}
FEMALE = {"she", "her"}
NEUTER = {"it", "its"}
PLURAL = {"they", "them", "their"}
PRONOUNS = MALE | FEMALE | NEUTER | PLURAL
FEMALE_TITLES = {"ms", "mrs", "miss", "madam", "lady"}
#: Words for documents that speak for an issuer: "a statement from X" is X speaking.
DOCUMENT_NOUNS = {"statement", "report", "communique", "release", "letter", "briefing", "findings",
                  "transcript", "note", "message", "press", "text", "summary", "investigation", "inquiry"}
DETERMINERS = {"the", "a", "an", "this", "that", "these", "those"}
TRAILING = re.compile(r"(?:[\s,]+(?:here|today|yesterday|tonight|earlier|later|also|too|"
                      r"on (?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)))+\s*$", re.I)
ISSUED_BY = re.compile(r"\b(?:from|by|of|issued by)\s+(?=\S)", re.I)


@dataclass
class _Mention:
    """Something already named in the article that a later mention may point back to."""

    start: int
    text: str
    resolved: str
    group: Optional[str]
    person: bool
    female: bool = False
    plural: bool = False
    speaker: bool = False


def match_alias(mention: str, aliases: list[Alias]) -> Optional[Alias]:
    """The longest alias whose words appear contiguously in ``mention``."""
    words = tokenize_name(mention)
    best = None
    for alias in aliases:
        n = len(alias.words)
        if n and any(words[i:i + n] == alias.words for i in range(len(words) - n + 1)):
            if best is None or (n, len(" ".join(alias.words))) > (len(best.words), len(" ".join(best.words))):
                best = alias
    return best


def _rule_group(mention: str, dispute: Dispute) -> Optional[str]:
    words = set(tokenize_name(mention))
    joined = " " + " ".join(tokenize_name(mention)) + " "
    for group, word_sets in dispute.speaker_rules:
        if all(any(w in words or (" " in w and f" {w} " in joined) for w in ws) for ws in word_sets):
            return group
    return None


def gazetteer_group(mention: str, dispute: Dispute) -> Optional[str]:
    """Group of a speaker mention from the configuration alone; None when unknown."""
    if not mention.strip():
        return None
    alias = match_alias(mention, dispute.aliases)
    if alias:
        return alias.group
    group = _rule_group(mention, dispute)
    if group:
        return group
    alias = match_alias(mention, dispute.generic)
    return alias.group if alias else None


def canonical_name(mention: str, dispute: Dispute) -> str:
    """``Gen John Allen`` -> ``John Allen``; unknown mentions lose their determiner."""
    alias = match_alias(mention, dispute.aliases)
    if alias:
        return alias.entity
    words = mention.strip().split()
    while words and words[0].lower() in DETERMINERS:
        words = words[1:]
    return " ".join(words)


def _narrow_source(text: str, span: Span) -> Span:
    """``a statement from the US embassy here`` -> ``the US embassy``; trims adverbs."""
    start, end = span
    mention = text[start:end]
    words = [w.lower().strip(",.") for w in mention.split()]
    match = ISSUED_BY.search(mention)
    if match and any(w in DOCUMENT_NOUNS for w in words[:4]) and not words[0] in DOCUMENT_NOUNS - {"press"}:
        start += match.end()
    elif match and words and words[0] in {"a", "an", "the"} and len(words) > 1 and words[1] in DOCUMENT_NOUNS:
        start += match.end()
    mention = text[start:end]
    trailing = TRAILING.search(mention)
    if trailing and trailing.start() > 0:
        end = start + trailing.start()
    mention = text[start:end]
    end = start + len(mention.rstrip(" ,;:"))
    return start, end


class SpeakerResolver:
    """Resolves the speakers of one article, in reading order."""

    def __init__(self, document: Document, paragraphs: list[Paragraph], dispute: Dispute):
        self.document = document
        self.dispute = dispute
        self.paragraph_starts = [p.start for p in paragraphs]
        self.history: list[_Mention] = []
        for paragraph in paragraphs:
            for ent in paragraph.doc.ents:
                if ent.label_ in ("PERSON", "ORG", "NORP", "GPE"):
                    start, _ = paragraph.span(ent.start_char, ent.end_char)
                    self.history.append(self._entity(start, ent.text, person=ent.label_ == "PERSON"))
        self.history.sort(key=lambda m: m.start)

    def _entity(self, start: int, text: str, person: bool, speaker: bool = False) -> _Mention:
        alias = match_alias(text, self.dispute.aliases)
        resolved = alias.entity if alias else canonical_name(text, self.dispute)
        words = tokenize_name(text)
        female = resolved in self.dispute.female or bool(words and words[0] in FEMALE_TITLES)
        plural = bool(words) and words[-1].endswith("s") and not person and words[-1] not in ("us", "u.s.")
        return _Mention(start, text, resolved, gazetteer_group(text, self.dispute), person, female, plural, speaker)

    def paragraph_of(self, offset: int) -> int:
        return sum(1 for s in self.paragraph_starts if s <= offset) - 1

    def _before(self, offset: int, window: int = 3):
        """Earlier mentions, nearest first, within ``window`` paragraphs."""
        here = self.paragraph_of(offset)
        for mention in sorted((m for m in self.history if m.start < offset), key=lambda m: -m.start):
            if here - self.paragraph_of(mention.start) <= window:
                yield mention

    def resolve(self, start: int, mention: str) -> tuple[str, Optional[str], bool]:
        """(resolved name, group or None, is a person) for the mention at ``start``."""
        words = [w for w in tokenize_name(mention) if w not in DETERMINERS]
        if not words:
            return "", None, False
        if len(words) == 1 and words[0] in PRONOUNS:
            found = self._antecedent(start, words[0])
            return (found.resolved, found.group, found.person) if found else (mention, None, words[0] in MALE | FEMALE)
        alias = match_alias(mention, self.dispute.aliases)
        if alias:
            return alias.entity, alias.group, False
        if words[-1] in DOCUMENT_NOUNS:  # "the embassy statement", "the statement"
            issuer = [w for w in words if w not in DOCUMENT_NOUNS]
            found = self._nominal(start, issuer[-1]) if issuer else self._last_issuer(start)
            if found:
                return found.resolved, found.group, False
        elif len(words) <= 2 and mention[:1].islower():  # "the general", "the embassy"
            found = self._nominal(start, words[-1])
            if found:
                return found.resolved, found.group, found.person
        return canonical_name(mention, self.dispute), gazetteer_group(mention, self.dispute), False

    def _antecedent(self, start: int, pronoun: str) -> Optional[_Mention]:
        for m in self._before(start):
            if pronoun in MALE and m.person and not m.female:
                return m
            if pronoun in FEMALE and m.person and m.female:
                return m
            if pronoun in PLURAL and m.plural and m.speaker:
                return m
            if pronoun in NEUTER and not m.person and not m.plural and m.speaker:
                return m
        return None

    def _nominal(self, start: int, head: str) -> Optional[_Mention]:
        for m in self._before(start, window=99):
            if head in tokenize_name(m.text) or head in tokenize_name(m.resolved):
                return m
        return None

    def _last_issuer(self, start: int) -> Optional[_Mention]:
        return next((m for m in self._before(start) if m.speaker and not m.person), None)

    def add_speaker(self, start: int, mention: str, resolved: str, group: Optional[str], person: bool) -> None:
        entry = self._entity(start, mention, person=person, speaker=True)
        entry.resolved, entry.group = resolved, group
        if person and resolved in self.dispute.female:
            entry.female = True
        self.history = [m for m in self.history if m.start != start] + [entry]


def innermost(attributions: list[Attribution]) -> list[Attribution]:
    """Drop an attribution whose content holds another one's source, cue and content.

    ``The Journal reports that US officials concede ...``: the speaker is the
    innermost named source (ANNOTATION.md).
    """

    def inside(span: Optional[Span], outer: Span) -> bool:
        return span is not None and outer[0] <= span[0] and span[1] <= outer[1]

    keep = []
    for a in attributions:
        nested = any(
            b is not a and b.source is not None and inside(b.source, a.content) and inside(b.cue, a.content)
            and inside(b.content, a.content)
            for b in attributions
        )
        if not nested:
            keep.append(a)
    return keep


def attribute(document: Document, paragraphs: list[Paragraph], attributions: list[Attribution],
              dispute: Dispute) -> list[Claim]:
    """Turn the claims stage's attributions into ``Claim`` records with speakers."""
    text = document.text
    resolver = SpeakerResolver(document, paragraphs, dispute)
    claims: list[Claim] = []
    last_group_by_paragraph: dict[int, str] = {}
    for n, a in enumerate(sorted(innermost(attributions), key=lambda a: (a.sentence[0], a.content[0])), 1):
        speaker_span = _narrow_source(text, a.source) if a.source else None
        if speaker_span and speaker_span[1] <= speaker_span[0]:
            speaker_span = a.source
        mention = text[speaker_span[0]:speaker_span[1]] if speaker_span else ""
        resolved, group, person = resolver.resolve(speaker_span[0], mention) if speaker_span else ("", None, False)
        paragraph = resolver.paragraph_of(a.sentence[0])
        if group is None and mention:
            group = last_group_by_paragraph.get(paragraph) or last_group_by_paragraph.get(paragraph - 1)
        group = group or dispute.unattributed_group
        if speaker_span:
            resolver.add_speaker(speaker_span[0], mention, resolved, group, person)
        if group != dispute.unattributed_group:
            last_group_by_paragraph[paragraph] = group
        claims.append(Claim(
            id=f"{document.doc_id}-{n}",
            doc_id=document.doc_id,
            sentence=text[a.sentence[0]:a.sentence[1]],
            claim=text[a.content[0]:a.content[1]],
            speaker=mention,
            speaker_resolved=resolved,
            speaker_group=group,
            kind=a.kind,
            cue=text[a.cue[0]:a.cue[1]] if a.cue else None,
            claim_span=a.content,
            speaker_span=speaker_span,
            cue_span=a.cue,
            sentence_span=a.sentence,
        ))
    return claims
