"""``stance report``: read the corpus, score what the store lacks, then write the report folder.

``--out DIR`` holds the store (``DIR/store/``, the Parquet parts that make
re-runs incremental) and this run's outputs, each replaced atomically:
``index.html``, ``articles/<doc_id>.html`` (the ``stance score --format html``
view of each article, claims anchored by id), ``claims.parquet``,
``claims.csv``, ``summary.json`` and ``stance.duckdb`` (tables ``articles``,
``claims``, ``sentences`` of this run's corpus, with metadata, for SQL).
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence
from urllib.parse import quote

from ..errors import InputError
from ..io import atomic_write
from ..records import Document
from .analytics import is_low_confidence, summarise
from .metadata import UNKNOWN, ArticleMeta, article_meta
from .store import Store, article_key, model_identity

STORE = "store"


@dataclass
class ReportRun:
    """What a run did: ``scored`` articles were new or changed, ``reused`` came from the store."""

    out: Path
    n_articles: int
    n_claims: int
    scored: int
    reused: int


def check_report_dir(out: str | os.PathLike) -> None:
    """A new folder, an empty one, or an earlier report's (it holds ``store/``); anything else is refused."""
    from ..outputs import check_writable

    out = Path(out)
    if out.exists() and not out.is_dir():
        raise InputError("exists and is not a folder: the report is a folder, choose a new name", out)
    if out.is_dir() and not (out / STORE).is_dir() and any(out.iterdir()):
        raise InputError("is a folder that holds other files, not an earlier stance report: choose a new folder", out)
    check_writable(out / STORE)


def build_report(paths: Sequence[str], out: str | os.PathLike, *, model: str = "default", meta: str | None = None,
                 jobs: int = 1, progress: bool = False, on_error: Callable[[InputError], None] | None = None,
                 log: Callable[[str], None] = lambda m: None) -> ReportRun:
    """Score the corpus incrementally and write the report; bad inputs go to ``on_error`` (default: raised)."""
    from ..models import model_folder
    from ..scoring import read_documents
    from .runner import score_missing

    report = on_error or _raise
    check_report_dir(out)
    out = Path(out)
    documents = read_documents(paths, report)
    metadata = article_meta(documents, meta, report)
    folder = model_folder(model, progress=progress)
    model_id = model_identity(folder)
    store = Store(out / STORE)
    store.prepare()
    keys = {d.doc_id: article_key(model_id, d) for d in documents}
    done = store.done()
    todo = [(keys[d.doc_id], d) for d in documents if keys[d.doc_id] not in done]
    log(f"{len(documents) - len(todo)} articles already in the store, {len(todo)} to score")
    score_missing(todo, str(folder), store, model_id, jobs=jobs, progress=progress, log=log)
    n_claims = write_outputs(out, store, documents, keys, metadata, folder)
    return ReportRun(out, len(documents), n_claims, len(todo), len(documents) - len(todo))


def _raise(err: InputError) -> None:
    raise err


def _meta_columns(meta: ArticleMeta) -> dict:
    return {"outlet": meta.outlet or UNKNOWN, "date": meta.date, "week": meta.week, "title": meta.title,
            "url": meta.url}


def write_outputs(out: Path, store: Store, documents: Sequence[Document], keys: dict[str, str],
                  metadata: dict[str, ArticleMeta], folder: Path) -> int:
    """Every output of the report folder from the store's parts of this run's articles."""
    import duckdb

    from ..dispute import load_dispute
    from ..modeling.saved import folder_labels

    labels = folder_labels(folder)
    title = load_dispute(folder / "dispute.toml").title
    con = duckdb.connect()
    articles = [{"doc_id": d.doc_id, "key": keys[d.doc_id], **_meta_columns(metadata[d.doc_id])}
                for d in documents]
    con.register("meta", _arrow(articles))
    order = {d.doc_id: i for i, d in enumerate(documents)}
    tables = {name: _read(con, store.files(name, keys.values())) for name in ("claims", "sentences", "articles")}
    rows = sorted(tables["claims"].to_pylist() if tables["claims"] is not None else [],
                  key=lambda r: (order[r["doc_id"]], r["claim_start"] or 0))
    for r in rows:
        r["low_confidence"] = is_low_confidence(r)
        r["link"] = f"articles/{quote(r['doc_id'])}.html#{quote(r['id'])}"
    summary = summarise(articles, rows, labels["stance"])
    summary["model"] = str(folder)
    write_article_views(out, documents, rows, labels, title)
    _write_tables(out, rows, tables)
    atomic_write(out / "summary.json", json.dumps(summary, indent=2, ensure_ascii=False) + "\n")
    from .page import render_page

    atomic_write(out / "index.html", render_page(summary, rows, labels["stance"], labels["speaker_group"],
                                                 f"stance report: {title}"))
    return len(rows)


def _read(con, files: list[str]):
    """One store table for this run's articles, with their metadata columns; None when there is no article."""
    if not files:
        return None
    return con.sql("SELECT t.*, m.outlet, m.date, m.week, m.title, m.url FROM read_parquet(?, union_by_name=true) t "
                   "JOIN meta m USING (key)", params=[files]).to_arrow_table()


def _arrow(rows: list[dict]):
    import pyarrow as pa

    return pa.Table.from_pylist(rows) if rows else pa.table({k: pa.array([], pa.string()) for k in
                                                              ("doc_id", "key", "outlet", "date", "week",
                                                               "title", "url")})


def write_article_views(out: Path, documents: Sequence[Document], rows: Sequence[dict], labels: dict, title: str) -> None:
    """``articles/<doc_id>.html``: the ``stance score --format html`` page of each article, built in a
    temporary folder that then replaces the old one."""
    from collections import defaultdict

    from ..formats import articles_html
    from ..scoring import ArticleResult
    from .store import claims_of_rows

    by_doc = defaultdict(list)
    for r in rows:
        by_doc[r["doc_id"]].append(r)
    tmp = out / f".articles.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    for d in documents:
        result = ArticleResult(d, claims_of_rows(by_doc[d.doc_id]), [])
        (tmp / f"{d.doc_id}.html").write_text(articles_html([result], labels, title=f"stance: {title}"),
                                              encoding="utf-8")
    _replace_dir(tmp, out / "articles")


def _replace_dir(tmp: Path, path: Path) -> None:
    old = path.with_name(f".{path.name}.old-{os.getpid()}")
    if path.exists():
        path.rename(old)
    tmp.rename(path)
    shutil.rmtree(old, ignore_errors=True)


def _write_tables(out: Path, rows: Sequence[dict], tables: dict) -> None:
    """``claims.parquet``, ``claims.csv`` and ``stance.duckdb``, each to a temporary name, then renamed."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from .store import CLAIMS

    extra = [("outlet", pa.string()), ("date", pa.string()), ("week", pa.string()), ("title", pa.string()),
             ("url", pa.string()), ("low_confidence", pa.bool_())]
    schema = pa.schema(list(CLAIMS) + [pa.field(n, t) for n, t in extra])
    claims = pa.Table.from_pylist([{k: r.get(k) for k in schema.names} for r in rows], schema)
    tmp = f".tmp-{os.getpid()}"
    pq.write_table(claims, out / f"claims.parquet{tmp}")
    os.replace(out / f"claims.parquet{tmp}", out / "claims.parquet")
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=schema.names, lineterminator="\n")
    writer.writeheader()
    writer.writerows(claims.to_pylist())
    atomic_write(out / "claims.csv", buf.getvalue())
    db = out / f"stance.duckdb{tmp}"
    db.unlink(missing_ok=True)
    import duckdb

    with duckdb.connect(str(db)) as target:
        target.register("c", claims)
        target.execute("CREATE TABLE claims AS SELECT * FROM c")
        for name in ("sentences", "articles"):
            if tables[name] is not None:
                target.register("t", tables[name])
                target.execute(f"CREATE TABLE {name} AS SELECT * FROM t")
                target.unregister("t")
    os.replace(db, out / "stance.duckdb")
