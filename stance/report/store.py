"""The store that grows with the corpus: one Parquet part per scored article, queried with DuckDB.

A part is keyed by ``article_key``: a hash of the model's identity, the
``doc_id`` (claim ids carry it) and the article's text, so a re-run scores
only new or edited articles, and another model never reuses a part. Each part
is three files, ``claims/``, ``sentences/`` and last ``articles/<key>.parquet``
(the commit mark), each written to a temporary name and renamed: a run killed
at any moment leaves whole parts or none, and the next run resumes.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Iterable, Sequence

import pyarrow as pa
import pyarrow.parquet as pq

from ..records import Claim, Document
from ..scoring import ArticleResult

TABLES = ("claims", "sentences", "articles")  # written in this order: ``articles`` commits a part
MODEL_FILES = ("config.json", "dispute.toml", "model.safetensors", "stance.json", "heads.safetensors")  # + format 3

CLAIMS = pa.schema([
    ("key", pa.string()), ("doc_id", pa.string()), ("id", pa.string()), ("sentence_index", pa.int32()),
    ("kind", pa.string()), ("speaker", pa.string()), ("speaker_resolved", pa.string()),
    ("speaker_group", pa.string()), ("speaker_group_source", pa.string()), ("stance", pa.string()),
    ("stance_confidence", pa.float64()), ("cue", pa.string()), ("claim", pa.string()), ("sentence", pa.string()),
    ("claim_words", pa.int32()), ("claim_start", pa.int64()), ("claim_end", pa.int64()),
    ("speaker_start", pa.int64()), ("speaker_end", pa.int64()),
    ("stance_scores", pa.string()), ("speaker_group_scores", pa.string()),  # JSON {label: p}
])
SENTENCES = pa.schema([("key", pa.string()), ("doc_id", pa.string()), ("sentence_index", pa.int32()),
                       ("start", pa.int64()), ("end", pa.int64()), ("text", pa.string()), ("n_claims", pa.int32())])
ARTICLES = pa.schema([("key", pa.string()), ("doc_id", pa.string()), ("text_sha256", pa.string()),
                      ("model_id", pa.string()), ("n_chars", pa.int64()), ("n_sentences", pa.int32()),
                      ("n_claims", pa.int32())])


def model_identity(folder: str | os.PathLike) -> str:
    """sha256 of the files that decide a model's output, and the stance version (extraction rules)."""
    from .. import __version__

    digest = hashlib.sha256(f"stance {__version__}\0".encode())
    for name in MODEL_FILES:
        path = Path(folder) / name
        if path.is_file():
            digest.update(name.encode() + b"\0")
            with path.open("rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
    return digest.hexdigest()


def text_hash(document: Document) -> str:
    return hashlib.sha256(document.text.encode("utf-8")).hexdigest()


def article_key(model_id: str, document: Document) -> str:
    return hashlib.sha256(f"{model_id}\0{document.doc_id}\0{text_hash(document)}".encode()).hexdigest()


class Store:
    """A folder of Parquet parts; ``done`` keys are the committed ones."""

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)

    def path(self, table: str, key: str) -> Path:
        return self.root / table / f"{key}.parquet"

    def prepare(self) -> None:
        """Make the folders; drop temporary files a killed run left (they never count)."""
        for table in TABLES:
            (self.root / table).mkdir(parents=True, exist_ok=True)
            for stale in (self.root / table).glob(".*.tmp-*"):
                stale.unlink(missing_ok=True)

    def done(self) -> set[str]:
        return {p.stem for p in (self.root / "articles").glob("*.parquet")}

    def write(self, key: str, result: ArticleResult, model_id: str) -> None:
        """One article's part; ``articles/<key>.parquet`` goes last, so a part is whole or absent."""
        tables = article_tables(key, result, model_id)
        for name in TABLES:
            final = self.path(name, key)
            tmp = final.with_name(f".{final.name}.tmp-{os.getpid()}")
            pq.write_table(tables[name], tmp)
            os.replace(tmp, final)

    def files(self, table: str, keys: Iterable[str]) -> list[str]:
        return [str(self.path(table, k)) for k in sorted(keys)]


def article_tables(key: str, result: ArticleResult, model_id: str) -> dict[str, pa.Table]:
    """The three Arrow tables of one scored article."""
    doc = result.document
    where = {id(c): s.index for s in result.sentences for c in s.claims}
    claims = [claim_row(key, c, where.get(id(c))) for c in result.claims]
    sentences = [{"key": key, "doc_id": doc.doc_id, "sentence_index": s.index, "start": s.span[0],
                  "end": s.span[1], "text": s.text, "n_claims": len(s.claims)} for s in result.sentences]
    article = [{"key": key, "doc_id": doc.doc_id, "text_sha256": text_hash(doc), "model_id": model_id,
                "n_chars": len(doc.text), "n_sentences": len(result.sentences), "n_claims": len(result.claims)}]
    return {"claims": pa.Table.from_pylist(claims, CLAIMS), "sentences": pa.Table.from_pylist(sentences, SENTENCES),
            "articles": pa.Table.from_pylist(article, ARTICLES)}


def claim_row(key: str, c: Claim, sentence_index: int | None) -> dict:
    span = lambda s, i: None if s is None else s[i]  # noqa: E731
    scores = c.stance_scores or {}
    return {"key": key, "doc_id": c.doc_id, "id": c.id, "sentence_index": sentence_index, "kind": c.kind,
            "speaker": c.speaker, "speaker_resolved": c.speaker_resolved, "speaker_group": c.speaker_group,
            "speaker_group_source": c.speaker_group_source, "stance": c.stance,
            "stance_confidence": scores.get(c.stance) if c.stance else None, "cue": c.cue, "claim": c.claim,
            "sentence": c.sentence, "claim_words": len(c.claim.split()),
            "claim_start": span(c.claim_span, 0), "claim_end": span(c.claim_span, 1),
            "speaker_start": span(c.speaker_span, 0), "speaker_end": span(c.speaker_span, 1),
            "stance_scores": json.dumps(c.stance_scores) if c.stance_scores is not None else None,
            "speaker_group_scores": json.dumps(c.speaker_group_scores) if c.speaker_group_scores is not None else None}


def claims_of_rows(rows: Sequence[dict]) -> list[Claim]:
    """Claims back from stored rows: enough for the article view (spans, labels, scores)."""
    def pair(row, a, b):
        return None if row[a] is None else (row[a], row[b])

    return [Claim(id=r["id"], doc_id=r["doc_id"], sentence=r["sentence"], claim=r["claim"], speaker=r["speaker"] or "",
                  speaker_resolved=r["speaker_resolved"] or "", speaker_group=r["speaker_group"], stance=r["stance"],
                  kind=r["kind"], cue=r["cue"], claim_span=pair(r, "claim_start", "claim_end"),
                  speaker_span=pair(r, "speaker_start", "speaker_end"),
                  stance_scores=json.loads(r["stance_scores"]) if r["stance_scores"] else None,
                  speaker_group_scores=json.loads(r["speaker_group_scores"]) if r["speaker_group_scores"] else None,
                  speaker_group_source=r["speaker_group_source"])
            for r in rows]
