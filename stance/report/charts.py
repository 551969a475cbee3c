"""Small inline SVG charts: no library, no script, scaled by their ``viewBox`` to any screen width.

Each function returns one ``<svg>`` element; every mark carries a ``<title>``
with its exact figures (a tooltip on hover, read out by screen readers).
"""

from __future__ import annotations

from html import escape
from typing import Mapping, Sequence

WIDTH, LABEL, PAD = 480, 160, 14
ROW = 30
PALETTE = ["#2b6cb0", "#2f855a", "#718096", "#b7791f", "#9b2c2c", "#6b46c1", "#0f766e", "#c05621"]


def colours(labels: Sequence[str]) -> dict[str, str]:
    return {label: PALETTE[i % len(PALETTE)] for i, label in enumerate(labels)}


def _clip(text: str, n: int = 17) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _svg(height: float, body: str, label: str) -> str:
    return f'<svg class=chart viewBox="0 0 {WIDTH} {height:.0f}" role=img aria-label="{escape(label)}">{body}</svg>'


def _x(share: float) -> float:
    return LABEL + share * (WIDTH - LABEL - PAD)


def _axis(top: float, bottom: float) -> str:
    out = []
    for tick in (0, 0.25, 0.5, 0.75, 1):
        x = _x(tick)
        out.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{bottom}" class=grid />'
                   f'<text x="{x:.1f}" y="{bottom + 14}" class=tick text-anchor=middle>{tick:.0%}</text>')
    return "".join(out)


def _row_label(y: float, label: str, sub: str = "") -> str:
    text = f'<text x="{LABEL - 8}" y="{y + 4:.1f}" text-anchor=end class=label><title>{escape(label)}</title>{escape(_clip(label))}</text>'
    if sub:
        text += f'<text x="{LABEL - 8}" y="{y + 17:.1f}" text-anchor=end class=sub>{escape(sub)}</text>'
    return text


def intervals(rows: Sequence[tuple[str, str, Mapping]], stances: Sequence[str], colour: Mapping[str, str],
              label: str) -> str:
    """One row per group: each stance's share as a dot, its bootstrap interval as a line."""
    body, lane = [], 18 / max(len(stances) - 1, 1)
    for i, (name, sub, figures) in enumerate(rows):
        y = 10 + i * (ROW + 6) + ROW / 2
        body.append(_row_label(y - 4, name, sub))
        for j, s in enumerate(stances):
            f = figures.get(s)
            if not f:
                continue
            yy = y - 7 + j * lane
            tip = escape(f"{name}: {s} {f['share']:.0%} (95% interval {f['low']:.0%}-{f['high']:.0%}, {f['claims']} claims)")
            body.append(f'<g><title>{tip}</title><line x1="{_x(f["low"]):.1f}" x2="{_x(f["high"]):.1f}" y1="{yy:.1f}" '
                        f'y2="{yy:.1f}" stroke="{colour[s]}" stroke-width=2.5 />'
                        f'<circle cx="{_x(f["share"]):.1f}" cy="{yy:.1f}" r=4.5 fill="{colour[s]}" /></g>')
    bottom = 10 + len(rows) * (ROW + 6)
    return _svg(bottom + 22, _axis(4, bottom) + "".join(body), label)


def bands(points: Sequence[tuple[str, Mapping]], stances: Sequence[str], colour: Mapping[str, str], label: str) -> str:
    """Shares over time: a line per stance through each week's share, its interval as a band."""
    height, top, bottom = 240, 10, 200
    n = len(points)
    x = lambda i: LABEL / 3 + (i + 0.5) * (WIDTH - LABEL / 3 - PAD) / max(n, 1)  # noqa: E731
    y = lambda v: bottom - v * (bottom - top)  # noqa: E731
    body = []
    for tick in (0, 0.5, 1):
        body.append(f'<line x1="{LABEL / 3:.0f}" x2="{WIDTH - PAD}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" class=grid />'
                    f'<text x="{LABEL / 3 - 4:.0f}" y="{y(tick) + 4:.1f}" text-anchor=end class=tick>{tick:.0%}</text>')
    step = -(-n // 6)  # at most six week labels
    for i, (week, _) in enumerate(points):
        if i % step == 0:
            body.append(f'<text x="{x(i):.1f}" y="{bottom + 16}" text-anchor=middle class=tick>{escape(week[2:])}</text>')
    for s in stances:
        pts = [(i, f["stance"][s]) for i, (_, f) in enumerate(points) if s in f.get("stance", {})]
        if not pts:
            continue
        upper = " ".join(f"{x(i):.1f},{y(v['high']):.1f}" for i, v in pts)
        lower = " ".join(f"{x(i):.1f},{y(v['low']):.1f}" for i, v in reversed(pts))
        line = " ".join(f"{x(i):.1f},{y(v['share']):.1f}" for i, v in pts)
        body.append(f'<polygon points="{upper} {lower}" fill="{colour[s]}" opacity=0.15 />'
                    f'<polyline points="{line}" fill=none stroke="{colour[s]}" stroke-width=2 />')
        for i, v in pts:
            tip = escape(f"{points[i][0]}: {s} {v['share']:.0%} ({v['low']:.0%}-{v['high']:.0%}, {v['claims']} claims)")
            body.append(f'<circle cx="{x(i):.1f}" cy="{y(v["share"]):.1f}" r=3.5 fill="{colour[s]}"><title>{tip}</title></circle>')
    return _svg(height, "".join(body), label)


def grouped(categories: Sequence[str], series: Mapping[str, Mapping[str, float]], colour: Mapping[str, str],
            label: str) -> str:
    """Shares side by side: per category one bar per series (e.g. share of claims, share of words)."""
    k = len(series)
    bar = (ROW - 6) / max(k, 1)
    body = []
    for i, cat in enumerate(categories):
        y0 = 10 + i * (ROW + 6)
        body.append(_row_label(y0 + ROW / 2 - 4, cat))
        for j, (name, values) in enumerate(series.items()):
            v = values.get(cat, 0.0)
            yy = y0 + j * bar
            body.append(f'<rect x="{LABEL}" y="{yy:.1f}" width="{_x(v) - LABEL:.1f}" height="{bar - 1:.1f}" '
                        f'fill="{colour[name]}"><title>{escape(f"{cat}: {v:.1%} of {name}")}</title></rect>'
                        f'<text x="{_x(v) + 4:.1f}" y="{yy + bar - 3:.1f}" class=value>{v:.0%}</text>')
    bottom = 10 + len(categories) * (ROW + 6)
    return _svg(bottom + 22, _axis(4, bottom) + "".join(body), label)


def stacked(rows: Sequence[tuple[str, Mapping[str, int]]], parts: Sequence[str], colour: Mapping[str, str],
            label: str) -> str:
    """One 100% bar per row, split into ``parts`` (counts in the tooltips)."""
    body = []
    for i, (name, counts) in enumerate(rows):
        y0 = 10 + i * (ROW + 6)
        total = sum(counts.get(p, 0) for p in parts)
        body.append(_row_label(y0 + ROW / 2 - 4, name, f"{total} claims"))
        start = 0.0
        for p in parts:
            n = counts.get(p, 0)
            if not n:
                continue
            share = n / total
            body.append(f'<rect x="{_x(start):.1f}" y="{y0}" width="{_x(start + share) - _x(start):.1f}" height="{ROW - 6}" '
                        f'fill="{colour[p]}"><title>{escape(f"{name}: {p} {n} ({share:.0%})")}</title></rect>')
            if share > 0.12:
                body.append(f'<text x="{_x(start + share / 2):.1f}" y="{y0 + ROW / 2 + 1}" text-anchor=middle '
                            f'class=inbar>{share:.0%}</text>')
            start += share
    bottom = 10 + len(rows) * (ROW + 6)
    return _svg(bottom + 22, _axis(4, bottom) + "".join(body), label)


def legend(colour: Mapping[str, str]) -> str:
    return "<p class=legend>" + "".join(f'<span><i style="background:{c}"></i>{escape(k)}</span>'
                                        for k, c in colour.items()) + "</p>"
