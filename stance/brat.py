"""Read brat standoff attribution annotations (PolNeAR's format) into stance records.

An ``.ann`` file holds text-bound lines and event lines::

    T3<TAB>Content 115 290<TAB>that Hillary Clinton's team avoided ...
    T7<TAB>Content 292 310;320 400<TAB>...            (a discontinuous span)
    E1<TAB>Attribution:T4 Content:T3 Cue:T2 Source:T1

``E`` lines tie a Source, a Cue and one or more Contents (``Content``,
``Content2``...) to an ``Attribution`` (or ``Attribution-no-source``) trigger.
Offsets are character offsets into the matching ``.txt`` file.

An article annotated by several annotators has one ``.ann`` per annotator:
``<stem>_<hex>.ann`` beside ``<stem>.txt``. :func:`pair_files` keeps one of
them, the first in sorted order (so the choice is stable and documented).

Malformed lines (a span text that runs onto the next line, offsets outside the
text, an event naming an unknown id) are skipped with a warning, never fatal.
"""

from __future__ import annotations

import logging
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from .records import Claim, Span

log = logging.getLogger(__name__)

#: The text-bound labels that make up an attribution.
ROLES = ("Source", "Cue", "Content")
_ANN_NAME = re.compile(r"^(?P<stem>.+)_(?P<annotator>[0-9a-f]{2,})$")
_T_LINE = re.compile(r"^(T\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)(?:\t(.*))?$")
_E_LINE = re.compile(r"^(E\d+)\t(.*)$")
_OTHER_LINE = re.compile(r"^(#|[ARNM])\d*\t")  # notes, attributes, relations: not used


class BratWarning(UserWarning):
    """A line of an .ann file that was skipped."""


@dataclass
class TextSpan:
    """A text-bound annotation: ``pieces`` are [start, end) ranges (several when discontinuous)."""

    id: str
    label: str
    pieces: list[Span]

    @property
    def hull(self) -> Span:
        return (self.pieces[0][0], self.pieces[-1][1])


@dataclass
class BratAttribution:
    id: str
    trigger: str
    cue: Optional[TextSpan] = None
    source: Optional[TextSpan] = None
    contents: list[TextSpan] = field(default_factory=list)


@dataclass
class BratDocument:
    doc_id: str
    text: str
    spans: dict[str, TextSpan]
    attributions: list[BratAttribution]
    annotator: str = ""
    problems: list[str] = field(default_factory=list)

    def role_pieces(self, role: str) -> list[Span]:
        """Every piece of every ``role`` span (Source, Cue or Content) used by an attribution, deduplicated."""
        seen: dict[Span, None] = {}
        for attribution in self.attributions:
            spans = {"Source": [attribution.source], "Cue": [attribution.cue], "Content": attribution.contents}[role]
            for span in spans:
                if span is not None:
                    for piece in span.pieces:
                        seen.setdefault(piece, None)
        return list(seen)


def _warn(problems: list[str], where: str, message: str) -> None:
    problems.append(f"{where}: {message}")
    warnings.warn(f"{where}: {message}", BratWarning, stacklevel=3)


def parse_ann(ann: str, text: str, doc_id: str = "", where: str = "") -> BratDocument:
    """Parse the content of an .ann file against its text; bad lines become warnings."""
    where = where or doc_id
    problems: list[str] = []
    spans: dict[str, TextSpan] = {}
    events: list[tuple[str, str, int]] = []
    for n, line in enumerate(ann.splitlines(), 1):
        if not line.strip() or _OTHER_LINE.match(line):
            continue  # notes, attributes, relations: not used
        match = _T_LINE.match(line)
        if match:
            tid, label, ranges, _ = match.groups()
            pieces = [tuple(map(int, r.split())) for r in ranges.split(";")]
            if any(not 0 <= a <= b <= len(text) for a, b in pieces):
                _warn(problems, f"{where}:{n}", f"offsets of {tid} lie outside the text; skipped")
                continue
            pieces = sorted((a, b) for a, b in pieces if b > a)
            if pieces:
                spans[tid] = TextSpan(tid, label, pieces)
            continue
        match = _E_LINE.match(line)
        if match:
            events.append((match.group(1), match.group(2), n))
            continue
        _warn(problems, f"{where}:{n}", f"not a brat line (skipped): {line[:40]!r}")
    attributions = []
    for eid, body, n in events:
        args = body.split()
        if not args or ":" not in args[0]:
            _warn(problems, f"{where}:{n}", f"event {eid} has no trigger; skipped")
            continue
        trigger, _, trigger_id = args[0].partition(":")
        attribution = BratAttribution(eid, trigger)
        for arg in args[1:]:
            role, _, ref = arg.partition(":")
            span = spans.get(ref)
            if span is None:
                _warn(problems, f"{where}:{n}", f"event {eid} names unknown span {ref!r}; argument skipped")
                continue
            base = role.rstrip("0123456789")
            if base == "Content":
                attribution.contents.append(span)
            elif base == "Cue" and attribution.cue is None:
                attribution.cue = span
            elif base == "Source" and attribution.source is None:
                attribution.source = span
        if not attribution.contents and attribution.cue is None:
            _warn(problems, f"{where}:{n}", f"event {eid} has neither cue nor content; skipped")
            continue
        attributions.append(attribution)
    return BratDocument(doc_id=doc_id, text=text, spans=spans, attributions=attributions, problems=problems)


def read_ann(ann_path: str | Path, text_path: str | Path | None = None) -> BratDocument:
    """Read one .ann file and its .txt (by default ``<stem>.txt`` beside it, without the annotator suffix)."""
    ann_path = Path(ann_path)
    stem, annotator = split_annotator(ann_path.stem)
    if text_path is None:
        text_path = find_text(ann_path, None)
    text = Path(text_path).read_text(encoding="utf-8")
    doc = parse_ann(ann_path.read_text(encoding="utf-8"), text, doc_id=stem, where=str(ann_path))
    doc.annotator = annotator
    return doc


def split_annotator(name: str) -> tuple[str, str]:
    """``breitbart_..._ef2d`` -> (``breitbart_...``, ``ef2d``); a name without a suffix keeps it all."""
    match = _ANN_NAME.match(name)
    return (match.group("stem"), match.group("annotator")) if match else (name, "")


def find_text(ann_path: Path, text_dir: str | Path | None) -> Path:
    """The .txt of an .ann: in ``text_dir``, else beside it, else in ``../text`` (PolNeAR's layout)."""
    stem, _ = split_annotator(ann_path.stem)
    folders = [Path(text_dir)] if text_dir else [ann_path.parent, ann_path.parent.parent / "text"]
    for folder in folders:
        for name in (stem, ann_path.stem):
            candidate = folder / f"{name}.txt"
            if candidate.exists():
                return candidate
    return folders[0] / f"{stem}.txt"


def pair_files(brat_dir: str | Path, text_dir: str | Path | None = None) -> list[tuple[Path, Path]]:
    """(ann, txt) pairs of a folder, one per article: of several annotators, the first .ann in sorted order.

    ``brat_dir`` may hold the .ann files itself or an ``attributions/`` folder
    (PolNeAR's split layout, with the texts in ``text/``).
    """
    brat_dir = Path(brat_dir)
    if not any(brat_dir.glob("*.ann")) and (brat_dir / "attributions").is_dir():
        if text_dir is None and (brat_dir / "text").is_dir():
            text_dir = brat_dir / "text"
        brat_dir = brat_dir / "attributions"
    chosen: dict[str, Path] = {}
    for ann in sorted(brat_dir.glob("*.ann")):
        chosen.setdefault(split_annotator(ann.stem)[0], ann)
    return [(ann, find_text(ann, text_dir)) for _, ann in sorted(chosen.items())]


def _kind(text: str) -> str:
    stripped = text.strip(" ,.;:")
    if stripped[:1] in "\"“‘'" and stripped[-1:] in "\"”’'":
        return "direct"
    return "mixed" if re.search(r"[\"“”]", text) else "indirect"


def _sentence_of(text: str, pieces: list[Span]) -> Span:
    """The paragraph(s) holding every piece: brat has no sentence layer, so a line stands in."""
    start = min(a for a, _ in pieces)
    end = max(b for _, b in pieces)
    start = text.rfind("\n", 0, start) + 1
    stop = text.find("\n", end)
    return (start, len(text) if stop < 0 else stop)


def to_claims(doc: BratDocument) -> list[Claim]:
    """One ``Claim`` per attribution.

    ``claim_span``/``speaker_span``/``cue_span`` are the hulls of the spans
    (first piece's start to last piece's end); the pieces themselves are kept
    in ``extra`` as ``claim_pieces``/``speaker_pieces``/``cue_pieces``. Several
    contents of one attribution (``Content2``) are all claim pieces.
    ``sentence`` is the text line(s) holding the whole attribution.
    """
    text = doc.text
    out = []
    for n, attribution in enumerate(doc.attributions, 1):
        content = sorted(p for span in attribution.contents for p in span.pieces)
        source = attribution.source.pieces if attribution.source else []
        cue = attribution.cue.pieces if attribution.cue else []
        if not content:
            continue
        hull = (content[0][0], max(b for _, b in content))
        sentence = _sentence_of(text, content + source + cue)

        def hull_of(pieces):
            return (pieces[0][0], pieces[-1][1]) if pieces else None

        out.append(Claim(
            id=f"{doc.doc_id}-{n}",
            doc_id=doc.doc_id,
            sentence=text[sentence[0]:sentence[1]],
            claim=text[hull[0]:hull[1]],
            speaker=text[source[0][0]:source[-1][1]] if source else "",
            kind=_kind(text[hull[0]:hull[1]]),
            cue=text[cue[0][0]:cue[-1][1]] if cue else None,
            claim_span=hull,
            speaker_span=hull_of(source),
            cue_span=hull_of(cue),
            sentence_span=sentence,
            extra={
                "claim_pieces": [list(p) for p in content],
                "speaker_pieces": [list(p) for p in source],
                "cue_pieces": [list(p) for p in cue],
                "annotator": doc.annotator,
                "trigger": attribution.trigger,
            },
        ))
    for claim in out:
        claim.speaker_resolved = claim.speaker
    return out


def read_claims(brat_dir: str | Path, text_dir: str | Path | None = None) -> list[Claim]:
    """Every attribution of a brat folder as ``Claim`` records (one annotator per article)."""
    claims = []
    for ann, txt in pair_files(brat_dir, text_dir):
        claims += to_claims(read_ann(ann, txt))
    return claims
