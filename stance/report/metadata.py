"""Per-article metadata (outlet, date, title, URL): a sidecar CSV/JSONL keyed by ``doc_id``, or an HTML page's meta tags.

Missing metadata is a bucket (``UNKNOWN``), not an error. Bad metadata (a
malformed line, a ``doc_id`` that names no article, a date that cannot be
read) is one ``file:line:`` problem each; the article keeps what could be read
and is counted under the missing bucket for the rest.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, replace
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Callable, Iterable, Optional

from ..errors import InputError
from ..reader import decode
from ..records import Document

UNKNOWN = "unknown"
FIELDS = ("outlet", "date", "title", "url")


@dataclass(frozen=True)
class ArticleMeta:
    """What is known about one article; ``date`` is ISO (``2011-11-26``), or ``2011-12`` when only the month is."""

    outlet: Optional[str] = None
    date: Optional[str] = None
    title: Optional[str] = None
    url: Optional[str] = None

    @property
    def week(self) -> str:
        """The ISO week (``2011-W47``) of a full date, else the missing bucket."""
        if self.date and len(self.date) == 10:
            year, week, _ = date.fromisoformat(self.date).isocalendar()
            return f"{year}-W{week:02d}"
        return UNKNOWN


# A qualifier after the date ("2011-12-28 (approx.)") is kept out of the date, not an error.
_QUALIFIER = re.compile(r"\s*(\(.*\)|approx\.?|circa|c\.)\s*$", re.I)
_FORMATS = ("%Y-%m-%d", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%d %H:%M:%S",
            "%d %B %Y", "%B %d, %Y", "%d %b %Y", "%b %d, %Y", "%Y/%m/%d")


def parse_date(value: str) -> Optional[str]:
    """ISO date (or ``YYYY-MM`` for a month) from what sidecars and meta tags hold; ``None`` for blank.

    Raises ``ValueError`` for a date that cannot be read.
    """
    value = _QUALIFIER.sub("", value.strip()).strip()
    if not value:
        return None
    if re.fullmatch(r"\d{4}-\d{2}", value):
        datetime.strptime(value, "%Y-%m")  # a month out of range raises
        return value
    if re.match(r"\d{4}-\d{2}-\d{2}T", value):  # ISO timestamps: the date part, whatever the time zone notation
        return date.fromisoformat(value[:10]).isoformat()
    for fmt in _FORMATS:
        try:
            return datetime.strptime(value, fmt).date().isoformat()
        except ValueError:
            continue
    raise ValueError(value)


def read_sidecar(path: str | Path, doc_ids: Iterable[str],
                 on_error: Callable[[InputError], None]) -> dict[str, ArticleMeta]:
    """``doc_id`` -> metadata from a CSV (header row) or JSONL file; each bad line goes to ``on_error``."""
    path = Path(path)
    try:
        text = decode(path.read_bytes(), path)
    except FileNotFoundError:
        raise InputError("no such metadata file", path) from None
    except IsADirectoryError:
        raise InputError("is a folder, not a metadata file (CSV or JSONL)", path) from None
    known, out, seen = set(doc_ids), {}, {}
    for line, row in _rows(path, text, on_error):
        doc_id = str(row.get("doc_id") or "").strip()
        if not doc_id:
            on_error(InputError("no doc_id", path, line))
            continue
        if doc_id not in known:
            on_error(InputError(f"unknown doc_id {doc_id!r}: no article of this run has it", path, line))
            continue
        if doc_id in seen:
            on_error(InputError(f"doc_id {doc_id!r} again (first on line {seen[doc_id]}); the first is used", path, line))
            continue
        seen[doc_id] = line
        out[doc_id] = _meta(row, lambda message: on_error(InputError(message, path, line)))
    return out


def _rows(path: Path, text: str, on_error) -> Iterable[tuple[int, dict]]:
    if path.suffix.lower() == ".csv":
        reader = csv.DictReader(io.StringIO(text))
        if not reader.fieldnames or "doc_id" not in [f.strip() for f in reader.fieldnames]:
            raise InputError("a metadata CSV needs a header row with a doc_id column", path, 1)
        for row in reader:
            if None in row or None in row.values():
                on_error(InputError("wrong number of fields", path, reader.line_num))
                continue
            yield reader.line_num, {k.strip(): v for k, v in row.items()}
        return
    for line, raw in enumerate(text.splitlines(), 1):
        if not raw.strip():
            continue
        try:
            row = json.loads(raw)
        except json.JSONDecodeError as err:
            on_error(InputError(f"not valid JSON ({err.msg})", path, line))
            continue
        if not isinstance(row, dict):
            on_error(InputError("not a JSON object", path, line))
            continue
        yield line, row


def _meta(row: dict, problem: Callable[[str], None]) -> ArticleMeta:
    values = {k: (str(row[k]).strip() or None) if row.get(k) is not None else None for k in FIELDS}
    if values["date"]:
        try:
            values["date"] = parse_date(values["date"])
        except ValueError:
            problem(f"cannot read the date {values['date']!r} (use YYYY-MM-DD); counted under {UNKNOWN!r}")
            values["date"] = None
    return ArticleMeta(**values)


class _MetaTags(HTMLParser):
    """Collects ``<meta>`` content, ``<link rel=canonical>`` and ``<title>``."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: dict[str, str] = {}
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta" and a.get("content"):
            name = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
            self.tags.setdefault(name, a["content"].strip())
        elif tag == "link" and a.get("rel", "").lower() == "canonical" and a.get("href"):
            self.tags.setdefault("canonical", a["href"])
        self._in_title = tag == "title"

    def handle_data(self, data):
        if self._in_title and data.strip():
            self.tags.setdefault("title", data.strip())
            self._in_title = False


_TAGS = {"outlet": ("og:site_name", "application-name", "publisher", "dc.publisher"),
         "date": ("article:published_time", "datepublished", "date", "dc.date", "pubdate", "publish-date"),
         "title": ("og:title", "twitter:title", "title"),
         "url": ("og:url", "canonical")}


def html_meta(document: Document, on_error: Callable[[InputError], None]) -> ArticleMeta:
    """Metadata an HTML page states about itself (Open Graph, ``article:``, Dublin Core tags)."""
    if not document.html:
        return ArticleMeta()
    parser = _MetaTags()
    parser.feed(document.text)
    row = {f: next((parser.tags[t] for t in names if parser.tags.get(t)), None) for f, names in _TAGS.items()}
    return _meta(row, lambda message: on_error(InputError(f"meta tag: {message}", document.path)))


def article_meta(documents: list[Document], sidecar: str | Path | None,
                 on_error: Callable[[InputError], None]) -> dict[str, ArticleMeta]:
    """Every article's metadata: the sidecar's fields first, the page's own meta tags for the rest."""
    given = read_sidecar(sidecar, [d.doc_id for d in documents], on_error) if sidecar else {}
    out = {}
    for d in documents:
        own = html_meta(d, on_error)
        side = given.get(d.doc_id, ArticleMeta())
        out[d.doc_id] = replace(own, **{f: getattr(side, f) for f in FIELDS if getattr(side, f)})
    return out
