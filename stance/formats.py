"""Stage 7, report: claims and scored articles as table, JSONL, CSV or HTML text."""

from __future__ import annotations

import csv
import io
import shutil
import textwrap
from pathlib import Path
from typing import Sequence

from .io import dumps_jsonl
from .records import ArticleResult, Claim

STANCE_COLOURS = ["#2b6cb0", "#2f855a", "#718096", "#b7791f", "#9b2c2c", "#6b46c1"]
CSV_CLAIM_FIELDS = ["doc_id", "id", "kind", "speaker", "speaker_resolved", "speaker_group", "stance", "cue",
                    "claim", "sentence", "claim_start", "claim_end", "speaker_start", "speaker_end"]


def _width() -> int:
    return max(80, min(shutil.get_terminal_size((140, 20)).columns, 160))


def _clip(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _best(scores: dict | None, label: str | None) -> str:
    return f"{label} {scores[label]:.2f}" if scores and label in scores else (label or "-")


# -- claims (stance claims) -------------------------------------------------
def claims_table(claims: Sequence[Claim]) -> str:
    """One block per claim: who (mention -> resolved, group), then the claim, wrapped."""
    width = _width()
    out = []
    for c in claims:
        who = c.speaker or "(no named source)"
        if c.speaker_resolved and c.speaker_resolved != c.speaker:
            who += f" → {c.speaker_resolved}"
        label = f"  stance: {_best(c.stance_scores, c.stance)}" if c.stance else ""
        out.append(f"{c.id}  {c.kind or ''}  {who}  [{_best(c.speaker_group_scores, c.speaker_group)}]{label}")
        out.append(textwrap.fill(f"“{' '.join(c.claim.split())}”", width, initial_indent="    ",
                                 subsequent_indent="     "))
    return "\n".join(out) + f"\n{len(claims)} claims\n"


def claims_jsonl(claims: Sequence[Claim]) -> str:
    return dumps_jsonl(c.to_json() for c in claims)


def _span(span, i):
    return "" if span is None else span[i]


def _claim_row(c: Claim) -> dict:
    return {"doc_id": c.doc_id, "id": c.id, "kind": c.kind or "", "speaker": c.speaker,
            "speaker_resolved": c.speaker_resolved, "speaker_group": c.speaker_group or "",
            "stance": c.stance or "", "cue": c.cue or "", "claim": c.claim, "sentence": c.sentence,
            "claim_start": _span(c.claim_span, 0), "claim_end": _span(c.claim_span, 1),
            "speaker_start": _span(c.speaker_span, 0), "speaker_end": _span(c.speaker_span, 1)}


def claims_csv(claims: Sequence[Claim], labels: dict[str, list[str]] | None = None) -> str:
    score_fields = [f"{t}:{label}" for t, names in (labels or {}).items() for label in names]
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_CLAIM_FIELDS + score_fields, lineterminator="\n")
    writer.writeheader()
    for c in claims:
        row = _claim_row(c)
        for t in labels or {}:
            for label, p in (getattr(c, f"{t}_scores") or {}).items():
                row[f"{t}:{label}"] = p
        writer.writerow(row)
    return buf.getvalue()


# -- scored articles (stance score) ---------------------------------------
def articles_table(results: Sequence[ArticleResult]) -> str:
    width = _width()
    out = []
    for r in results:
        out.append(f"== {r.document.doc_id}  ({len(r.claims)} claims in {len(r.sentences)} sentences)")
        for s in r.sentences:
            out.append(textwrap.fill(f"[{s.index + 1}] {_clip(s.text, 400)}", width, subsequent_indent="     "))
            if not s.claims:
                out.append("     · no claim")
            for c in s.claims:
                who = c.speaker or "(no named source)"
                if c.speaker_resolved and c.speaker_resolved != c.speaker:
                    who += f" → {c.speaker_resolved}"
                head = (f"     ▸ {who} [{_best(c.speaker_group_scores, c.speaker_group)}]  "
                        f"stance: {_best(c.stance_scores, c.stance)}")
                out.append(head)
                out.append(textwrap.fill(f"“{_clip(c.claim, 300)}”", width, initial_indent="       ",
                                         subsequent_indent="       "))
        for task in ("speaker_group", "stance"):
            counts = r.counts(task)
            if counts:
                out.append(f"   claims per {task}: " + ", ".join(f"{k} {v}" for k, v in counts.most_common()))
        out.append("")
    return "\n".join(out)


def articles_jsonl(results: Sequence[ArticleResult]) -> str:
    return claims_jsonl([c for r in results for c in r.claims])


def articles_csv(results: Sequence[ArticleResult], labels: dict[str, list[str]]) -> str:
    """One row per sentence and claim; a sentence with no claim still gets its row."""
    score_fields = [f"{t}:{label}" for t, names in labels.items() for label in names]
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=["sentence_index"] + CSV_CLAIM_FIELDS + score_fields,
                            lineterminator="\n")
    writer.writeheader()
    for r in results:
        for s in r.sentences:
            rows = [_claim_row(c) | {f"{t}:{label}": p for t in labels
                                     for label, p in (getattr(c, f"{t}_scores") or {}).items()}
                    for c in s.claims]
            for row in rows or [{"doc_id": r.document.doc_id, "sentence": s.text}]:
                writer.writerow({"sentence_index": s.index + 1, **row})
    return buf.getvalue()


TEMPLATES = Path(__file__).parent / "templates"


def articles_html(results: Sequence[ArticleResult], labels: dict[str, list[str]], title: str = "stance") -> str:
    """One self-contained page (templates/articles.html): each claim underlined in its stance's
    colour (``id`` = the claim's id, so ``page.html#<claim id>`` links to it), its speaker in bold,
    every probability in the claim's tooltip."""
    from .templating import environment

    colour = {label: STANCE_COLOURS[i % len(STANCE_COLOURS)] for i, label in enumerate(labels.get("stance", []))}
    articles = [{"doc_id": r.document.doc_id, "pieces": _pieces(r, colour),
                 "counts": [(task, r.counts(task).most_common()) for task in ("speaker_group", "stance")]}
                for r in results]
    page = environment(TEMPLATES).get_template("articles.html").render(title=title, colour=colour, articles=articles)
    return page.rstrip("\n") + "\n"


def _tooltip(c: Claim) -> str:
    lines = [f"speaker: {c.speaker or '(none)'}" + (f" → {c.speaker_resolved}" if c.speaker_resolved != c.speaker else "")]
    for task in ("stance", "speaker_group"):
        scores = getattr(c, f"{task}_scores") or {}
        lines.append(f"{task}: " + ", ".join(f"{k} {v:.2f}" for k, v in sorted(scores.items(), key=lambda kv: -kv[1])))
    return "\n".join(lines)


def _pieces(result: ArticleResult, colour: dict[str, str]) -> list[dict]:
    """The article's text cut where a claim or a speaker opens or closes, in document order."""
    view = result.document.view
    events = []  # (position, order, piece): closings sort before openings at one position
    for c in result.claims:
        if c.claim_span:
            events.append((c.claim_span[0], 1, {"tag": "mark", "id": c.id, "colour": colour.get(c.stance, "#a0aec0"),
                                                "tip": _tooltip(c), "stance": c.stance or ""}))
            events.append((c.claim_span[1], 0, {"tag": "/mark"}))
        if c.speaker_span:
            events.append((c.speaker_span[0], 2, {"tag": "speaker"}))
            events.append((c.speaker_span[1], -1, {"tag": "/speaker"}))
    events.sort(key=lambda e: (e[0], e[1]))
    out, pos = [], 0
    for at, _, piece in events:
        out += [{"tag": "", "text": view[pos:at]}, piece]
        pos = at
    return out + [{"tag": "", "text": view[pos:]}]
