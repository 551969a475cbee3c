"""``index.html``: one self-contained page (inline CSS, SVG and script; nothing fetched) an analyst reads."""

from __future__ import annotations

import json
from html import escape
from importlib.resources import files
from typing import Sequence

from . import charts
from .analytics import LOW_CONFIDENCE, UNATTRIBUTED
from .metadata import UNKNOWN

TABLE_COLUMNS = ["id", "doc_id", "outlet", "week", "speaker", "speaker_resolved", "speaker_group", "stance",
                 "stance_confidence", "low_confidence", "kind", "claim", "link"]
MAX_OUTLET_ROWS = 25
EXAMPLES = 8
SPEAKERS_SHOWN = 5


def _template(name: str) -> str:
    return (files("stance.report") / "templates" / name).read_text(encoding="utf-8")


def _section(title: str, body: str, note: str = "", wide: bool = False) -> str:
    cls = " class=wide" if wide else ""
    note = f"<p class=note>{note}</p>" if note else ""
    return f"<section{cls}><h2>{escape(title)}</h2>{note}{body}</section>"


def _claim_link(row: dict, text: str | None = None) -> str:
    return f'<a href="{escape(row["link"])}"><q>{escape(text or row["claim"])}</q></a>'


def render_page(summary: dict, rows: Sequence[dict], stances: Sequence[str], groups: Sequence[str], title: str) -> str:
    stance_colour = charts.colours(stances)
    group_colour = charts.colours(groups)
    by_id = {r["id"]: r for r in rows}
    sections = [_share_of_voice(summary, groups), _balance_overall(summary, stances, stance_colour),
                _balance_weeks(summary, stances, stance_colour), _balance_outlets(summary, stances, stance_colour),
                _sourcing(summary, groups), _speakers(summary, by_id, groups, group_colour),
                _unattributed(summary, rows), _claims_table(rows, stance_colour)]
    facts = (f"<p class=facts><span><b>{summary['n_articles']}</b> articles</span>"
             f"<span><b>{summary['n_claims']}</b> claims</span>"
             f"<span><b>{summary['n_words_quoted']}</b> words quoted</span>"
             f"<span><b>{summary['low_confidence']['claims']}</b> low-confidence claims</span></p>"
             "<p class=note>Data behind every chart: <a href=summary.json>summary.json</a>, "
             "<a href=claims.csv>claims.csv</a>, <a href=claims.parquet>claims.parquet</a>, "
             "<a href=stance.duckdb>stance.duckdb</a> (SQL). Intervals are 95% bootstrap intervals over articles.</p>")
    return ("<!doctype html><html lang=en><head><meta charset=utf-8>"
            "<meta name=viewport content='width=device-width,initial-scale=1'>"
            f"<title>{escape(title)}</title><style>{_template('report.css')}</style></head><body>"
            f"<header><h1>{escape(title)}</h1>{facts}</header><main><div class=grid>{''.join(sections)}</div></main>"
            f"<script>{_template('report.js')}</script></body></html>\n")


def _share_of_voice(summary: dict, groups: Sequence[str]) -> str:
    n, words = summary["n_claims"] or 1, summary["n_words_quoted"] or 1
    present = [g for g in groups if g in summary["by_group"]]
    series = {"claims": {g: summary["by_group"][g] / n for g in present},
              "words quoted": {g: summary["words_by_group"].get(g, 0) / words for g in present}}
    colour = {"claims": "#2b6cb0", "words quoted": "#b7791f"}
    return _section("Share of voice per side", charts.legend(colour) + charts.grouped(present, series, colour,
                    "share of claims and of words quoted per speaker group"),
                    "Each side's share of all claims, and of all words inside claims.")


def _balance_overall(summary: dict, stances, colour) -> str:
    overall = summary["stance_balance"]["overall"]
    rows = [("all articles", f"{overall['claims']} claims", overall["stance"])]
    return _section("Stance balance", charts.legend(colour) + charts.intervals(rows, stances, colour, "stance shares"),
                    "Whose position the claims support: share of claims, with its 95% interval.")


def _balance_outlets(summary: dict, stances, colour) -> str:
    outlets = sorted(summary["stance_balance"]["by_outlet"].items(), key=lambda kv: -kv[1]["claims"])
    shown = [(o, f"{f['claims']} claims, {f['articles']} art.", f["stance"]) for o, f in outlets if f["claims"]]
    note = "Outlets by number of claims."
    if len(shown) > MAX_OUTLET_ROWS:
        note += f" The {MAX_OUTLET_ROWS} largest of {len(shown)} are drawn; the table and summary.json hold all."
        shown = shown[:MAX_OUTLET_ROWS]
    return _section("Stance balance per outlet", charts.legend(colour) +
                    charts.intervals(shown, stances, colour, "stance shares per outlet"), note, wide=True)


def _balance_weeks(summary: dict, stances, colour) -> str:
    weeks = [(w, f) for w, f in summary["stance_balance"]["by_week"].items() if w != UNKNOWN and f["claims"]]
    missing = summary["stance_balance"]["by_week"].get(UNKNOWN, {}).get("claims", 0)
    note = "Share of claims per ISO week; bands are 95% intervals."
    if missing:
        note += f" {missing} claims of undated articles are in the {UNKNOWN!r} bucket, not drawn."
    return _section("Stance balance per week", charts.legend(colour) + charts.bands(weeks, stances, colour,
                    "stance shares per week"), note)


def _sourcing(summary: dict, groups) -> str:
    present = [g for g in groups if g in summary["by_group"]]
    src_colour = {"named": "#2f855a", "anonymous": "#b7791f", UNATTRIBUTED: "#a0aec0"}
    kind_colour = {"direct": "#2b6cb0", "mixed": "#6b46c1", "indirect": "#718096"}
    named = charts.stacked([(g, summary["sourcing_by_group"].get(g, {})) for g in present], list(src_colour),
                           src_colour, "named and anonymous sources per side")
    kind = charts.stacked([(g, summary["kind_by_group"].get(g, {})) for g in present], list(kind_colour),
                          kind_colour, "direct and indirect claims per side")
    return (_section("Named or anonymous, per side", charts.legend(src_colour) + named,
                     "Named: the speaker resolves to a person or body the dispute's gazetteer knows.") +
            _section("Direct or indirect, per side", charts.legend(kind_colour) + kind,
                     "Direct: quoted words; indirect: reported speech; mixed: both."))


def _speakers(summary: dict, by_id: dict, groups, colour) -> str:
    blocks = []
    for g in groups:
        top = [s for s in summary["top_speakers"] if s["speaker_group"] == g][:SPEAKERS_SHOWN]
        if not top:
            continue
        items = "".join(
            f"<li><b>{escape(s['speaker_resolved'])}</b> {s['claims']} claim{'s' * (s['claims'] != 1)} "
            f"<span class=note>({', '.join(f'{escape(k)} {v}' for k, v in s['stance'].items())})</span>"
            + "".join(_claim_link(by_id[i], _short(by_id[i]["claim"])) for i in s["examples"][:1] if i in by_id)
            + "</li>"
            for s in top)
        blocks.append(f'<div><h3 style="border-left:4px solid {colour[g]};padding-left:.4rem">{escape(g)}</h3>'
                      f"<ol>{items}</ol></div>")
    return _section("Top speakers per side", f"<div class=speakers>{''.join(blocks)}</div>",
                    "Most quoted speakers of each group, with their most confident claim "
                    "(summary.json lists more).", wide=True)


def _short(text: str, n: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _unattributed(summary: dict, rows) -> str:
    from .analytics import sourcing

    bucket = [r for r in rows if sourcing(r) == UNATTRIBUTED]
    share = summary["unattributed"] / (summary["n_claims"] or 1)
    items = "".join(f"<li>{_claim_link(r, _short(r['claim']))} <span class=note>{escape(r['outlet'])}</span></li>"
                    for r in bucket[:EXAMPLES])
    body = (f"<p><b>{summary['unattributed']}</b> claims ({share:.0%}) have no identifiable speaker "
            f"(no source, or group {UNATTRIBUTED!r}).</p><ol class=examples>{items}</ol>")
    low = summary["low_confidence"]
    body += (f"<p><b>{low['claims']}</b> claims have a stance probability below {LOW_CONFIDENCE:.2f}: they are "
             "marked <span class='badge low'>low confidence</span> in the table below.</p>")
    return _section("Unattributed and low-confidence claims", body)


def _claims_table(rows: Sequence[dict], colour: dict) -> str:
    payload = {"columns": TABLE_COLUMNS, "colours": colour, "rows": [[r[c] for c in TABLE_COLUMNS] for r in rows]}
    # no "<" in the script element: a claim holding "</script>" or "<!--" cannot end or bend it
    data = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
    select = lambda id_, label: f"<label>{label}<select id={id_}><option value=''>all</option></select></label>"  # noqa: E731
    filters = ("<div class=filters>" + select("f-outlet", "outlet") + select("f-group", "side (speaker group)")
               + "<label>speaker<input type=search id=f-speaker placeholder='name contains…'></label>"
               + select("f-week", "week")
               + "<label><span><input type=checkbox id=f-low> low confidence only</span></label></div>")
    table = ("<div class=scroll><table id=claims><thead><tr><th>claim (links to its sentence)</th><th>speaker</th>"
             "<th>side</th><th>stance</th><th class=opt>outlet</th><th class=opt>week</th></tr></thead>"
             "<tbody id=claims-body></tbody></table></div>")
    return _section("Claims", filters + "<p class=note id=claims-count></p>" + table +
                    "<button id=claims-more hidden>show more</button>"
                    f"<script type=application/json id=claims-data>{data}</script>", wide=True)
