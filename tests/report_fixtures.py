"""Shared by the report tests: a small corpus of the shipped articles with a metadata sidecar."""

from __future__ import annotations

import json
import shutil
from datetime import date, timedelta
from pathlib import Path

from conftest import REPO

ARTICLES = REPO / "training" / "data" / "articles"
OUTLETS = ["Dawn", "Reuters", "The Express Tribune"]


def shipped_articles(n: int) -> list[Path]:
    """The ``n`` shortest shipped articles (quick to parse), in name order."""
    files = sorted(ARTICLES.glob("*.txt"), key=lambda p: (p.stat().st_size, p.name))[:n]
    return sorted(files)


def make_corpus(folder: Path, n: int, *, undated: int = 1) -> tuple[Path, Path]:
    """``n`` articles in ``folder/articles`` and ``folder/docs.jsonl``: three outlets, dates over several
    weeks; the last ``undated`` articles have no line in the sidecar (the missing bucket)."""
    articles = folder / "articles"
    articles.mkdir(parents=True)
    lines = []
    for i, path in enumerate(shipped_articles(n)):
        shutil.copy(path, articles / path.name)
        if i < n - undated:
            day = date(2011, 11, 26) + timedelta(days=5 * i)
            lines.append({"doc_id": path.stem, "outlet": OUTLETS[i % len(OUTLETS)], "date": day.isoformat(),
                          "title": f"Article {i}", "url": f"https://example.org/{path.stem}"})
    meta = folder / "docs.jsonl"
    meta.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return articles, meta
