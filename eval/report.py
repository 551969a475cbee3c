"""Render an evaluation as report.html (one self-contained file), report.md and a terminal summary.

One document model (sections of paragraphs, tables and figures) renders to
HTML and to Markdown, so both files show the same numbers; in Markdown a
figure becomes its fallback tables, or is left out. Figures are few and
small (matplotlib's Agg canvas, no pyplot state), so a report over a hundred
articles takes seconds.
"""

from __future__ import annotations

import base64
import html
import io
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from stance.io import atomic_write, dumps_jsonl

from . import TASKS
from .harness import SCHEMA_VERSION, Evaluation, errors, prediction_records

TEMPLATE = Path(__file__).parent / "templates" / "report.html"
TASK_NAMES = {"stance": "stance", "speaker_group": "speaker group"}
SLICE_NAMES = {"kind": "claim kind", "speaker_group": "gold speaker group"}


class Num(str):
    """A formatted number: right-aligned in both formats."""


class Text(str):
    """Running text (sentences, claims): wraps instead of widening the table."""


@dataclass
class Table:
    columns: list[str]
    rows: list[list]
    caption: str = ""
    collapsed: bool = False  # folded away (<details>) until opened: long lists


@dataclass
class Figure:
    png: bytes
    caption: str
    fallback: list[Table] = field(default_factory=list)  # what report.md shows instead


@dataclass
class Section:
    title: str
    blocks: list = field(default_factory=list)  # str paragraphs, Table, Figure, Section


def _n(x: float) -> Num:
    return Num(f"{x:.3f}")


def _ci(m: dict) -> Num:
    return Num(f"{m['value']:.3f} [{m['ci_low']:.3f}, {m['ci_high']:.3f}]")


# Figures ------------------------------------------------------------------

def _png(fig) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=96)
    return buf.getvalue()


def _figure(width: float, height: float, ncols: int = 1, margins: dict | None = None):
    """A figure of ``ncols`` axes; fixed ``margins`` spare the constrained layout's extra draw."""
    from matplotlib.figure import Figure as MplFigure

    fig = MplFigure(figsize=(width, height), layout=None if margins else "constrained")
    axes = fig.subplots(1, ncols, squeeze=False, gridspec_kw=margins)[0]
    return fig, axes


def headline_figure(metrics: dict) -> bytes:
    """Macro-F1 of every candidate and task, with its confidence interval."""
    entries = list(metrics["models"].items()) + list(metrics["baselines"].items())
    fig, (ax,) = _figure(6.4, 0.5 + 0.42 * len(entries) + 0.6)
    height = 0.38
    for t, task in enumerate(TASKS):
        values = [e["tasks"][task]["macro_f1"] for _, e in entries]
        ys = [i + (t - 0.5) * height for i in range(len(entries))]
        ax.barh(ys, [v["value"] for v in values], height, label=TASK_NAMES[task],
                xerr=[[v["value"] - v["ci_low"] for v in values], [v["ci_high"] - v["value"] for v in values]],
                error_kw={"elinewidth": 1, "capsize": 2})
    ax.set_yticks(range(len(entries)), [name for name, _ in entries])
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("macro-F1 (95% CI)")
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=len(TASKS), fontsize=8, frameon=False)
    return _png(fig)


def confusion_figure(entry: dict, labels: dict[str, list[str]]) -> bytes:
    """Row-normalised confusion matrices of both tasks, counts written in the cells."""
    import numpy as np

    fig, axes = _figure(9.6, 4.4, len(TASKS), dict(left=0.13, right=0.99, bottom=0.3, top=0.93, wspace=0.5))
    for ax, task in zip(axes, TASKS):
        cm = np.array(entry["tasks"][task]["confusion"], float)
        norm = cm / np.maximum(cm.sum(1, keepdims=True), 1)
        ax.imshow(norm, cmap="Blues", vmin=0, vmax=1)
        for (i, j), count in np.ndenumerate(cm):
            ax.text(j, i, int(count), ha="center", va="center", fontsize=8,
                    color="white" if norm[i, j] > 0.6 else "black")
        ax.set_xticks(range(len(labels[task])), labels[task], rotation=40, ha="right", fontsize=8)
        ax.set_yticks(range(len(labels[task])), labels[task], fontsize=8)
        ax.set_xlabel("predicted")
        ax.set_ylabel("gold")
        ax.set_title(TASK_NAMES[task], fontsize=10)
    return _png(fig)


def reliability_figure(entry: dict) -> bytes:
    """Accuracy against confidence per bin, before and (with --dev) after temperature scaling."""
    fig, axes = _figure(8.0, 3.4, len(TASKS), dict(left=0.08, right=0.98, bottom=0.15, top=0.9, wspace=0.25))
    for ax, task in zip(axes, TASKS):
        calibration = entry["tasks"][task]["calibration"]
        ax.plot([0, 1], [0, 1], color="0.7", lw=1, ls="--")
        for key, label in (("bins", f"ECE {calibration['ece']:.3f}"),
                           ("bins_scaled", f"scaled, ECE {calibration['ece_scaled'] or 0:.3f}")):
            bins = calibration[key]
            if bins:
                ax.plot([b["confidence"] for b in bins], [b["accuracy"] for b in bins], marker="o", ms=3, label=label)
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        ax.set_xlabel("confidence")
        ax.set_ylabel("accuracy")
        ax.set_title(TASK_NAMES[task], fontsize=10)
        ax.legend(loc="upper left", fontsize=8)
    return _png(fig)


# Building -----------------------------------------------------------------

def build_report(evaluation: Evaluation, max_errors: int = 50) -> Section:
    """The whole report: headline, end to end, one section per model, slices, errors."""
    m = evaluation.metrics
    setup, data = m["setup"], m["data"]
    models = m["models"]
    intro = (f"{data['n_claims']} gold claims in {data['n_documents']} documents"
             f"{' (' + data['gold'] + ')' if data.get('gold') else ''}; dispute {m['dispute']}. "
             f"Intervals: {setup['confidence']:.0%} percentile bootstrap over documents, "
             f"{setup['n_bootstrap']} resamples, seed {setup['seed']}. Macro-F1 averages the F1 of the labels "
             f"found in the gold or the predictions. ECE: top label, {setup['calibration_bins']} equal-width bins.")
    if setup["cv"]:
        intro += (f" Cross-validation: candidates that learn were fitted on {setup['cv'] - 1} of {setup['cv']} "
                  "folds of documents and predicted the held-out fold; the pooled out-of-fold predictions are scored.")
    root = Section(f"Evaluation: {m['dispute']}", [intro, _headline(m)])
    if m["claim_detection"]:
        root.blocks.append(_end_to_end(m))
    for name, entry in models.items():
        root.blocks.append(_model_section(name, entry, evaluation.labels))
    if models:
        root.blocks.append(_slices(m))
        root.blocks.append(Section("Errors", [
            "Misclassified gold claims, most confident first: where the model is wrong and sure of it."]
            + [_errors_table(name, errors(evaluation, name), max_errors) for name in models]))
    return root


def _headline(m: dict) -> Section:
    entries = [(n, e, "model") for n, e in m["models"].items()] + [(n, e, "baseline") for n, e in m["baselines"].items()]
    cv = any(e["tasks"][t]["cv"] for _, e, _ in entries for t in TASKS)
    columns = ["candidate", "type"]
    for task in TASKS:
        columns += [f"{TASK_NAMES[task]} macro-F1", f"{TASK_NAMES[task]} accuracy"]
        columns += [f"{TASK_NAMES[task]} fold macro-F1 (mean ± std)"] if cv else []
        columns += [f"{TASK_NAMES[task]} ECE"]
    rows = []
    for name, entry, kind in entries:
        row = [name, kind]
        for task in TASKS:
            t = entry["tasks"][task]
            row += [_ci(t["macro_f1"]), _n(t["accuracy"]["value"])]
            if cv:
                row.append(Num(f"{t['cv']['mean']:.3f} ± {t['cv']['std']:.3f}") if t["cv"] else Num("-"))
            c = t["calibration"]
            row.append(Num(f"{c['ece']:.3f}" + (f" → {c['ece_scaled']:.3f}" if c["ece_scaled"] is not None else "")))
        rows.append(row)
    fitted = Table(["candidate", "fitted"], [[name, e["fitted"]] for name, e, _ in entries], "How each was fitted")
    blocks = [Table(columns, rows, "Macro-F1 with 95% CI, accuracy, expected calibration error "
                                   "(→ after temperature scaling on --dev)")]
    if entries:
        blocks.append(Figure(headline_figure(m), "Macro-F1 per candidate and task, 95% CI"))
    return Section("Headline", blocks + [fitted])


def _end_to_end(m: dict) -> Section:
    d = m["claim_detection"]
    detection = Table(["precision", "recall", "F1", "gold claims", "extracted", "matched"],
                      [[_n(d["precision"]), _n(d["recall"]), _n(d["f1"]), Num(d["n_gold"]), Num(d["n_predicted"]),
                        Num(d["n_matched"])]], "Claim detection")
    columns, rows = ["candidate"], []
    for task in TASKS:
        columns += [f"{TASK_NAMES[task]} matched acc.", f"{TASK_NAMES[task]} matched macro-F1",
                    f"{TASK_NAMES[task]} end-to-end acc.", f"{TASK_NAMES[task]} end-to-end macro-F1"]
    for name, entry in list(m["models"].items()) + list(m["baselines"].items()):
        row = [name]
        for task in TASKS:
            e = entry["end_to_end"][task]
            row += [_n(e["matched"]["accuracy"]), _n(e["matched"]["macro_f1"]),
                    _n(e["end_to_end"]["accuracy"]), _n(e["end_to_end"]["macro_f1"])]
        rows.append(row)
    return Section("End to end", [
        "Claims extracted from the raw articles, matched to gold claims as docs/annotation.md says (same sentence, "
        "token F1 ≥ 0.5, best overlap first). Matched: labels on matched pairs; end to end: every gold claim, "
        "a missed one counted wrong.", detection, Table(columns, rows, "Labels on extracted claims")])


def _model_section(name: str, entry: dict, labels: dict[str, list[str]]) -> Section:
    section = Section(f"Model: {name}", [f"Fitted: {entry['fitted']}."])
    fallback = []
    for task in TASKS:
        t = entry["tasks"][task]
        rows = [[label, _n(c["precision"]), _n(c["recall"]), _n(c["f1"]), Num(c["support"])]
                for label, c in t["per_class"].items()]
        section.blocks.append(Section(TASK_NAMES[task], [
            f"Accuracy {_ci(t['accuracy'])}, macro-F1 {_ci(t['macro_f1'])}, {t['n']} claims.",
            Table(["label", "precision", "recall", "F1", "support"], rows, f"Per class: {TASK_NAMES[task]}")]))
        fallback.append(Table(["gold \\ predicted"] + labels[task],
                              [[label] + [Num(v) for v in row] for label, row in zip(labels[task], t["confusion"])],
                              f"Confusion matrix: {TASK_NAMES[task]}"))
    section.blocks.append(Figure(confusion_figure(entry, labels), "Confusion matrices (rows: gold; shade: row share)",
                                 fallback))
    calibration = [[TASK_NAMES[t], _n(c["ece"]),
                    _n(c["temperature"]) if c["temperature"] is not None else Num("-"),
                    _n(c["ece_scaled"]) if c["ece_scaled"] is not None else Num("-")]
                   for t, c in ((t, entry["tasks"][t]["calibration"]) for t in TASKS)]
    section.blocks.append(Section("Calibration", [
        Table(["task", "ECE", "temperature (dev)", "ECE after scaling"], calibration),
        Figure(reliability_figure(entry), "Reliability: accuracy against confidence per bin; the diagonal is perfect")]))
    if entry["tasks"]["stance"]["cv"]:
        folds = [entry["tasks"][t]["cv"]["fold_macro_f1"] for t in TASKS]
        section.blocks.append(Table(["fold"] + [f"{TASK_NAMES[t]} macro-F1" for t in TASKS],
                                    [[Num(k + 1)] + [_n(f[k]) for f in folds] for k in range(len(folds[0]))],
                                    "Per fold"))
    return section


def _slices(m: dict) -> Section:
    """Per kind: accuracy and macro-F1; per group and per document, accuracy alone (a slice that
    fixes the gold group, or holds a dozen claims, makes macro-F1 meaningless)."""
    models = m["models"]
    blocks = []
    for key in ("kind", "speaker_group", "document"):
        shown = {"accuracy": "acc.", "macro_f1": "macro-F1"} if key == "kind" else {"accuracy": "acc."}
        columns = [f"{name}: {TASK_NAMES[t]} {s}" for name in models for t in TASKS for s in shown.values()]
        first = next(iter(models.values()))["tasks"]["stance"]["slices"][key]
        rows = []
        for value, s in first.items():
            row = [value, Num(s["n"])]
            for entry in models.values():
                for t in TASKS:
                    row += [_n(entry["tasks"][t]["slices"][key][value][k]) for k in shown]
            rows.append(row)
        blocks.append(Table([key.replace("_", " "), "n"] + columns, rows,
                            f"Per {SLICE_NAMES.get(key, key)}", collapsed=key == "document"))
    return Section("Slices", blocks)


def _errors_table(name: str, errs: list[dict], limit: int) -> Table:
    rows = []
    for e in errs[:limit]:
        top = sorted(e["probabilities"].items(), key=lambda kv: -kv[1])[:3]
        rows.append([Num(f"{e['confidence']:.3f}"), TASK_NAMES[e["task"]], e["gold"], e["predicted"], e["id"],
                     Text(e["speaker"]), Text(e["claim"]), Text(e["sentence"]),
                     ", ".join(f"{label} {p:.2f}" for label, p in top)])
    counts = ", ".join(f"{TASK_NAMES[t]} {sum(e['task'] == t for e in errs)}" for t in TASKS)
    shown = f"; the {len(rows)} most confident shown" if len(errs) > len(rows) else ""
    return Table(["confidence", "task", "gold", "predicted", "id", "speaker", "claim", "sentence", "probabilities"],
                 rows, f"{name}: {len(errs)} errors ({counts}){shown}", collapsed=len(rows) > 15)


def attribution_report(metrics: dict, title: str = "Attribution evaluation") -> Section:
    """The report of eval/attribution.py's metrics: per role (source, cue, content) and match mode, P/R/F1.

    Expects ``{role: {mode: {"precision": .., "recall": .., "f1": .., ...}}}``;
    other entries are listed as settings, and lists (per document, skipped
    lines) as folded tables.
    """
    rows, columns, settings, lists = [], [], [], []
    for key, value in metrics.items():
        if isinstance(value, dict) and value and all(isinstance(v, dict) for v in value.values()):
            for mode, numbers in value.items():
                numbers = {k: v for k, v in numbers.items() if isinstance(v, (int, float))}
                columns += [k for k in numbers if k not in columns]
                rows.append([key, mode, numbers])
        elif isinstance(value, list):
            if not value:
                settings.append([key, "none"])
                continue
            flat = [dict(_flatten("", item)) for item in value]
            names = list(dict.fromkeys(k for item in flat for k in item))
            lists.append(Table(names, [[item.get(k, "") for k in names] for item in flat],
                               f"{key.replace('_', ' ')} ({len(value)})", collapsed=True))
        else:
            settings += [list(pair) for pair in _flatten(key, value)]
    first = ("precision", "recall", "f1")
    columns.sort(key=lambda k: first.index(k) if k in first else len(first))
    table = Table(["role", "match"] + columns,
                  [[role, mode] + [_cell(n.get(k, "-")) for k in columns] for role, mode, n in rows],
                  "Precision, recall and F1 per role and match mode")
    return Section(title, [table] + ([Table(["setting", "value"], settings, "Settings and counts")] if settings else [])
                   + lists)


def _cell(value):
    return _n(value) if isinstance(value, float) else Num(value) if isinstance(value, int) else value


def _flatten(key: str, value) -> list[tuple[str, object]]:
    """Nested dicts as dotted keys, values as cells."""
    if isinstance(value, dict):
        return [pair for k, v in value.items() for pair in _flatten(f"{key}.{k}" if key else k, v)]
    return [(key or "value", _cell(value) if isinstance(value, (int, float)) else str(value))]


# Rendering ----------------------------------------------------------------

def to_html(report: Section) -> str:
    """One self-contained page: inline CSS, figures as base64 PNG, no script, no external file."""
    return _template().render(report=report)


@lru_cache(maxsize=1)
def _template():
    from stance.templating import environment

    env = environment(TEMPLATE.parent, {"section": lambda b: isinstance(b, Section),
                                        "table": lambda b: isinstance(b, Table),
                                        "figure": lambda b: isinstance(b, Figure),
                                        "num": lambda v: isinstance(v, Num), "text": lambda v: isinstance(v, Text)})
    env.filters["b64"] = lambda data: base64.b64encode(data).decode("ascii")
    return env.get_template(TEMPLATE.name)


def to_markdown(report: Section) -> str:
    """The same sections and numbers for a pull request; figures become their fallback tables."""
    return "\n\n".join(_md_block(report, 1)) + "\n"


def md_escape(value, text: bool = False) -> str:
    """A string that renders as itself in Markdown: never as HTML, and never as a link or emphasis.

    Every string gets its ``&``, ``<`` and ``>`` as character references (a
    claim ``<script>`` or ``<img onerror=...>`` stays text); running text
    from the data (``Text``: claims, sentences, speakers) also gets its
    Markdown punctuation escaped.
    """
    out = html.escape(" ".join(str(value).split()), quote=False)
    if text:
        out = re.sub(r"([\\`*_\[\]~])", r"\\\1", out)
    return out.replace("|", "\\|")


def _md_block(block, level: int) -> list[str]:
    if isinstance(block, Section):
        out = ["#" * min(level, 6) + " " + md_escape(block.title)]
        for child in block.blocks:
            out += _md_block(child, level + 1)
        return out
    if isinstance(block, Table):
        return [_md_table(block)]
    if isinstance(block, Figure):
        return [_md_table(t) for t in block.fallback]
    return [html.escape(block, quote=False)]


def _md_table(table: Table) -> str:
    def cell(value) -> str:
        return md_escape(value, text=isinstance(value, Text))

    align = ["---:" if table.rows and isinstance(v, Num) else "---" for v in (table.rows[0] if table.rows else table.columns)]
    lines = ["| " + " | ".join(cell(c) for c in table.columns) + " |", "|" + "|".join(align) + "|"]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in table.rows]
    text = "\n".join(lines)
    if table.collapsed:
        return f"<details><summary>{html.escape(table.caption)}</summary>\n\n{text}\n\n</details>"
    return (f"*{md_escape(table.caption)}*\n\n" if table.caption else "") + text


def to_text(table: Table) -> str:
    """A plain aligned table for the terminal."""
    cells = [list(map(str, table.columns))] + [[str(v) for v in row] for row in table.rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(table.columns))]
    return "\n".join("  ".join(v.ljust(w) for v, w in zip(row, widths)).rstrip() for row in cells)


# Writing ------------------------------------------------------------------

def write_report(evaluation: Evaluation, out: str | Path, max_errors: int = 50) -> dict[str, Path]:
    """report.html, report.md, metrics.json and predictions.jsonl in ``out``, each written atomically."""
    out = Path(out)
    report = build_report(evaluation, max_errors)
    files = {"html": out / "report.html", "markdown": out / "report.md", "metrics": out / "metrics.json",
             "predictions": out / "predictions.jsonl"}
    texts = {"metrics": json.dumps(evaluation.metrics, indent=2, ensure_ascii=False) + "\n",
             "predictions": dumps_jsonl(prediction_records(evaluation)),
             "markdown": to_markdown(report), "html": to_html(report)}
    for key, text in texts.items():  # all rendered first: a failure leaves the earlier report whole
        atomic_write(files[key], text)
    return files


def write_attribution_report(metrics: dict, out: str | Path, title: str = "Attribution evaluation") -> dict[str, Path]:
    """report.html, report.md and metrics.json (``{"schema_version", "attribution": metrics}``) in ``out``."""
    out = Path(out)
    report = attribution_report(metrics, title)
    files = {"html": out / "report.html", "markdown": out / "report.md", "metrics": out / "metrics.json"}
    texts = {"metrics": json.dumps({"schema_version": SCHEMA_VERSION, "attribution": metrics},
                                   indent=2, ensure_ascii=False) + "\n",
             "markdown": to_markdown(report), "html": to_html(report)}
    for key, text in texts.items():  # all rendered first: a failure leaves the earlier report whole
        atomic_write(files[key], text)
    return files


def terminal_summary(evaluation: Evaluation, out: str | Path) -> str:
    """The headline figures in a few lines."""
    m = evaluation.metrics
    rows = []
    for kind in ("models", "baselines"):
        for name, entry in m[kind].items():
            rows.append([name] + [_ci(entry["tasks"][t]["macro_f1"]) for t in TASKS])
    lines = [f"stance eval: {m['data']['n_claims']} claims, {m['data']['n_documents']} documents",
             to_text(Table(["candidate"] + [f"{TASK_NAMES[t]} macro-F1 (95% CI)" for t in TASKS], rows))]
    if m["claim_detection"]:
        d = m["claim_detection"]
        lines.append(f"claim detection: P {d['precision']:.3f}  R {d['recall']:.3f}  F1 {d['f1']:.3f}")
    lines.append(f"report: {Path(out) / 'report.html'}")
    return "\n".join(lines)
