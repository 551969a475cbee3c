"""What the dashboard and ``summary.json`` say: counts, shares with bootstrap intervals, top speakers.

Everything is computed from the run's claim rows (dicts of the store's claim
columns joined with each article's metadata). Intervals resample whole
articles, because claims of one article are not independent draws.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Iterable, Sequence

import numpy as np

from .metadata import UNKNOWN

LOW_CONFIDENCE = 0.6  # a claim whose stance probability is below this is flagged
N_BOOTSTRAP = 1000
TOP_PER_GROUP = 8
UNATTRIBUTED = "unattributed"


def sourcing(row: dict) -> str:
    """``named`` (a person or body the dispute's gazetteer knows), ``anonymous`` or ``unattributed``."""
    if not row["speaker"] or row["speaker_group"] == UNATTRIBUTED:
        return UNATTRIBUTED
    return "named" if row["speaker_group_source"] == "gazetteer" else "anonymous"


def is_low_confidence(row: dict) -> bool:
    return row["stance_confidence"] is not None and row["stance_confidence"] < LOW_CONFIDENCE


def _order(keys: Iterable[str]) -> list[str]:
    """Sorted, with the missing bucket last."""
    keys = set(keys)
    return sorted(k for k in keys if k != UNKNOWN) + ([UNKNOWN] if UNKNOWN in keys else [])


def _nested(rows: Sequence[dict], outer: str, inner: str, keys: Iterable[str] = ()) -> dict[str, dict[str, int]]:
    table: dict[str, Counter] = {k: Counter() for k in keys}
    for r in rows:
        table.setdefault(r[outer], Counter())[r[inner]] += 1
    return {k: dict(table[k].most_common()) for k in _order(table)}


def summarise(articles: Sequence[dict], rows: Sequence[dict], stances: Sequence[str], seed: int = 0) -> dict:
    """``summary.json``: ``articles`` holds ``doc_id``, ``outlet``, ``week``; ``rows`` the claims with the same."""
    words = Counter()
    for r in rows:
        words[r["speaker_group"]] += r["claim_words"]
    outlets, weeks = (_order({a[k] for a in articles}) for k in ("outlet", "week"))
    n_week = Counter(a["week"] for a in articles)
    return {
        "n_articles": len(articles),
        "n_claims": len(rows),
        "n_words_quoted": sum(words.values()),
        "by_group": dict(Counter(r["speaker_group"] for r in rows).most_common()),
        "words_by_group": dict(words.most_common()),
        "by_stance": dict(Counter(r["stance"] for r in rows).most_common()),
        "by_outlet": _nested(rows, "outlet", "stance", outlets),
        "by_week": _nested(rows, "week", "stance", weeks),
        "articles_by_outlet": dict(Counter(a["outlet"] for a in articles).most_common()),
        "articles_by_week": {w: n_week[w] for w in weeks},
        "by_group_stance": _nested(rows, "speaker_group", "stance"),
        "sourcing_by_group": _nested([r | {"sourcing": sourcing(r)} for r in rows], "speaker_group", "sourcing"),
        "kind_by_group": _nested(rows, "speaker_group", "kind"),
        "unattributed": sum(sourcing(r) == UNATTRIBUTED for r in rows),
        "low_confidence": {"threshold": LOW_CONFIDENCE, "claims": sum(map(is_low_confidence, rows))},
        "top_speakers": top_speakers(rows),
        "stance_balance": balance(articles, rows, stances, seed),
    }


def top_speakers(rows: Sequence[dict], per_group: int = TOP_PER_GROUP) -> list[dict]:
    """The most quoted resolved speakers of each group, with their stance counts and example claim ids."""
    by: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for r in rows:
        if sourcing(r) != UNATTRIBUTED and r["speaker_resolved"]:
            by[(r["speaker_resolved"], r["speaker_group"])].append(r)
    out = []
    for group in _order({g for _, g in by}):
        ranked = sorted(((s, rs) for (s, g), rs in by.items() if g == group), key=lambda kv: (-len(kv[1]), kv[0]))
        for speaker, rs in ranked[:per_group]:
            examples = sorted(rs, key=lambda r: -(r["stance_confidence"] or 0))[:2]
            out.append({"speaker_resolved": speaker, "speaker_group": group, "claims": len(rs),
                        "stance": dict(Counter(r["stance"] for r in rs).most_common()),
                        "examples": [r["id"] for r in examples]})
    return sorted(out, key=lambda s: -s["claims"])


def balance(articles: Sequence[dict], rows: Sequence[dict], stances: Sequence[str], seed: int = 0) -> dict:
    """Stance shares overall, per outlet and per week, each with a 95% bootstrap interval over articles."""
    index = {a["doc_id"]: i for i, a in enumerate(articles)}
    counts = np.zeros((len(articles), len(stances)), dtype=np.int64)
    column = {s: j for j, s in enumerate(stances)}
    for r in rows:
        if r["stance"] in column:
            counts[index[r["doc_id"]], column[r["stance"]]] += 1
    rng = np.random.default_rng(seed)

    def part(key: str) -> dict:
        groups = defaultdict(list)
        for i, a in enumerate(articles):
            groups[a[key]].append(i)
        return {g: shares(counts[groups[g]], stances, rng) for g in _order(groups)}

    return {"overall": shares(counts, stances, rng), "by_outlet": part("outlet"), "by_week": part("week")}


def shares(counts: np.ndarray, stances: Sequence[str], rng: np.random.Generator, n_boot: int = N_BOOTSTRAP) -> dict:
    """{stance: {share, low, high}} and ``claims``, ``articles``; the interval is the bootstrap's 2.5-97.5 percentiles."""
    total = counts.sum(0)
    out = {"claims": int(total.sum()), "articles": int(len(counts)), "stance": {}}
    if not total.sum():
        return out
    boot = []
    for start in range(0, n_boot, 100):  # bounded memory: 100 resamples at a time
        idx = rng.integers(0, len(counts), (min(100, n_boot - start), len(counts)))
        sums = counts[idx].sum(1)
        n = sums.sum(1, keepdims=True)
        boot.append(sums[n[:, 0] > 0] / n[n[:, 0] > 0])
    boot = np.concatenate(boot)
    low, high = np.percentile(boot, [2.5, 97.5], axis=0)
    for j, s in enumerate(stances):
        out["stance"][s] = {"claims": int(total[j]), "share": round(float(total[j] / total.sum()), 4),
                            "low": round(float(low[j]), 4), "high": round(float(high[j]), 4)}
    return out
