"""Typed records passed between pipeline stages.

text -> Document (reader) -> sentences (sentences) -> Attribution (claims)
-> Claim (speakers) -> Claim with labels and scores (classifier).
A ``Claim`` is also what gold JSONL lines become, so training, scoring and
evaluation share one record type (see docs/annotation.md).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Optional

Span = tuple[int, int]

REQUIRED_FIELDS = ("id", "doc_id", "sentence", "claim", "speaker", "speaker_group", "stance")
#: What ``stance classify`` needs: labels in such records are ignored.
CLASSIFY_FIELDS = ("id", "sentence", "claim", "speaker")
KINDS = ("direct", "indirect", "mixed")


@dataclass
class Document:
    """An article as read: ``text`` is the file's decoded text, never altered.

    ``view`` has the same length as ``text`` (so offsets are shared) but is
    what the parser sees: markup blanked, hard wraps and backtick apostrophes
    normalised. ``body`` lists the [start, end) blocks that hold article
    prose; titles, bylines and boilerplate lie outside them. ``html``: the
    text is an HTML page (spans index its markup; the strings reported for
    them are the text a browser shows, ``reader.span_text``).
    """

    doc_id: str
    text: str
    view: str
    body: list[Span]
    path: Optional[str] = None
    html: bool = False


@dataclass
class Attribution:
    """A claim found by the extractor, before its speaker is resolved."""

    content: Span
    sentence: Span
    cue: Optional[Span] = None
    source: Optional[Span] = None
    kind: str = "indirect"


@dataclass
class Claim:
    """One attributed claim: a gold JSONL record or a prediction."""

    id: str
    doc_id: str
    sentence: str
    claim: str
    speaker: str = ""
    speaker_resolved: str = ""
    speaker_group: Optional[str] = None
    stance: Optional[str] = None
    kind: Optional[str] = None
    cue: Optional[str] = None
    note: Optional[str] = None
    claim_span: Optional[Span] = None
    speaker_span: Optional[Span] = None
    cue_span: Optional[Span] = None
    sentence_span: Optional[Span] = None
    stance_scores: Optional[dict[str, float]] = None
    speaker_group_scores: Optional[dict[str, float]] = None
    #: which evidence decided ``speaker_group``: "gazetteer" (a known entity, directly or through
    #: what the mention refers back to), "rule" (the mention's own words), "context" (the article
    #: around it), or None when knowledge is silent and the group is only the fallback.
    speaker_group_source: Optional[str] = None
    extra: dict = field(default_factory=dict)

    _OPTIONAL = ("speaker_resolved", "kind", "cue", "note", "speaker_group_source")
    _SPANS = ("claim_span", "speaker_span", "cue_span")

    @classmethod
    def from_json(cls, obj: dict) -> "Claim":
        """Build from a JSONL object; unknown fields are kept in ``extra``."""
        known = {f for f in cls.__dataclass_fields__ if f != "extra"}
        kwargs = {k: v for k, v in obj.items() if k in known}
        for key in cls._SPANS + ("sentence_span",):
            if kwargs.get(key) is not None:
                kwargs[key] = tuple(kwargs[key])
        kwargs.setdefault("id", "")
        kwargs.setdefault("doc_id", "")
        kwargs.setdefault("speaker", "")
        claim = cls(**kwargs, extra={k: v for k, v in obj.items() if k not in known})
        if not claim.speaker_resolved:
            claim.speaker_resolved = claim.speaker
        return claim

    def to_json(self, spans: bool = True) -> dict:
        """The docs/annotation.md record: required fields, then the optional ones set."""
        out = {k: getattr(self, k) for k in REQUIRED_FIELDS}
        for key in self._OPTIONAL:
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        if spans:
            for key in self._SPANS:
                value = getattr(self, key)
                out[key] = list(value) if value is not None else None
        for key in ("stance_scores", "speaker_group_scores"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        return out


@dataclass
class SentenceResult:
    """One sentence of a scored article, with the claims whose text starts in it."""

    index: int
    span: Span
    text: str
    claims: list[Claim] = field(default_factory=list)


@dataclass
class ArticleResult:
    """A scored article: what ``stance score`` reports, per claim and per sentence."""

    document: Document
    claims: list[Claim]
    sentences: list[SentenceResult]

    def counts(self, task: str) -> Counter:
        """Claims per label of ``task`` (``stance`` or ``speaker_group``)."""
        return Counter(getattr(c, task) for c in self.claims)
