"""Stage 7, report: claims and scored articles as table, JSONL, CSV or HTML text."""

from __future__ import annotations

import csv
import html
import io
import re
import shutil
import textwrap
from typing import Sequence

from .io import dumps_jsonl
from .records import Claim
from .scoring import ArticleResult

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


HTML_STYLE = """
body{font:16px/1.6 system-ui,-apple-system,Segoe UI,sans-serif;margin:0;background:#fafafa;color:#1a202c}
main{max-width:52rem;margin:auto;padding:1rem}
article{background:#fff;border:1px solid #e2e8f0;border-radius:8px;padding:1rem 1.25rem;margin:1rem 0}
.text{white-space:pre-wrap;overflow-wrap:anywhere}
mark{background:none;border-bottom:3px solid var(--c);padding:0 1px;cursor:help;position:relative}
mark:hover{background:color-mix(in srgb,var(--c) 15%,white)}
mark:target{background:color-mix(in srgb,var(--c) 25%,white);scroll-margin-top:30vh}
.speaker{font-weight:600;background:#edf2f7;border-radius:3px}
.legend span{display:inline-block;margin-right:1rem;border-bottom:3px solid var(--c)}
table{border-collapse:collapse;font-size:14px}td,th{padding:2px 8px;border-bottom:1px solid #e2e8f0;text-align:left}
"""


def articles_html(results: Sequence[ArticleResult], labels: dict[str, list[str]], title: str = "stance") -> str:
    """One self-contained page: each claim underlined in its stance's colour (``id`` = the claim's id, so
    ``page.html#<claim id>`` links to it), its speaker in bold, every probability in the claim's tooltip."""
    colour = {label: STANCE_COLOURS[i % len(STANCE_COLOURS)] for i, label in enumerate(labels.get("stance", []))}
    legend = "".join(f'<span style="--c:{c}">{html.escape(label)}</span>' for label, c in colour.items())
    parts = [f"<!doctype html><html lang=en><meta charset=utf-8>"
             f"<meta name=viewport content='width=device-width,initial-scale=1'><title>{html.escape(title)}</title>"
             f"<style>{HTML_STYLE}</style><main><h1>{html.escape(title)}</h1>"
             f"<p class=legend>stance: {legend}</p>"]
    for r in results:
        parts.append(f"<article><h2>{html.escape(r.document.doc_id)}</h2>")
        parts.append(f"<div class=text>{_highlight(r, colour)}</div>")
        rows = "".join(f"<tr><th>{html.escape(task)}</th><td>" +
                       ", ".join(f"{html.escape(str(k))}: {v}" for k, v in r.counts(task).most_common()) + "</td></tr>"
                       for task in ("speaker_group", "stance"))
        parts.append(f"<table>{rows}</table></article>")
    parts.append("</main></html>\n")
    return "".join(parts)


def _tooltip(c: Claim) -> str:
    lines = [f"speaker: {c.speaker or '(none)'}" + (f" → {c.speaker_resolved}" if c.speaker_resolved != c.speaker else "")]
    for task in ("stance", "speaker_group"):
        scores = getattr(c, f"{task}_scores") or {}
        lines.append(f"{task}: " + ", ".join(f"{k} {v:.2f}" for k, v in sorted(scores.items(), key=lambda kv: -kv[1])))
    return "\n".join(lines)


def _highlight(result: ArticleResult, colour: dict[str, str]) -> str:
    view = result.document.view
    events = []  # (position, order, markup): closings sort before openings at one position
    for c in result.claims:
        if c.claim_span:
            tip = html.escape(_tooltip(c), quote=True)
            events.append((c.claim_span[0], 1, f'<mark id="{html.escape(c.id, quote=True)}" '
                                               f'style="--c:{colour.get(c.stance, "#a0aec0")}" '
                                               f'title="{tip}" data-stance="{html.escape(c.stance or "")}">'))
            events.append((c.claim_span[1], 0, "</mark>"))
        if c.speaker_span:
            events.append((c.speaker_span[0], 2, '<span class=speaker>'))
            events.append((c.speaker_span[1], -1, "</span>"))
    events.sort(key=lambda e: (e[0], e[1]))
    out, pos = [], 0
    for at, _, markup in events:
        out.append(html.escape(view[pos:at]))
        out.append(markup)
        pos = at
    out.append(html.escape(view[pos:]))
    # blanked titles and datelines would show as indents and gaps: drop them from the display only
    return re.sub(r"\n{3,}", "\n\n", re.sub(r"(?m)^ +", "", "".join(out))).strip()
