"""Shared by the fault tests: a tiny model, small inputs, a CLI runner and a read-only folder.

Nothing here loads the real encoder: the model is the tiny random BERT of
``conftest.tiny_encoder`` fitted by the few-shot method in about a second.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from stance.cli import main

from synthetic import synthetic_claims

GOOD_ARTICLE = (
    "Army rejects findings\n\n"
    "The Pakistani military said the strike on the border posts was deliberate and unprovoked.\n\n"
    "A US official said forces acted in self-defence after they were fired on.\n"
)


def fit_tiny_model(encoder: str, dispute, path: Path) -> str:
    from stance.classifier import StanceClassifier, TrainingArguments

    args = TrainingArguments(base_model=encoder, method="fewshot", max_length=64)
    StanceClassifier(dispute, args).fit(synthetic_claims(), output_dir=path, progress=False, log=lambda m: None)
    return str(path)


def records(prefix: str = "c", n_docs: int = 12) -> list[dict]:
    """Labelled claim records (docs/annotation.md fields), ids and doc_ids starting with ``prefix``."""
    out = []
    for c in synthetic_claims(n_docs):
        row = c.to_json(spans=False)
        row["id"], row["doc_id"] = f"{prefix}-{row['id']}", f"{prefix}-{row['doc_id']}"
        out.append(row)
    return out


def jsonl(rows) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in rows)


def cli(capsys, *argv: str) -> tuple[int, str, list[str]]:
    """Run ``stance`` in process: (exit code, stdout, stderr lines)."""
    code = main(["--no-progress", *map(str, argv)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err.splitlines()


def problems(err: list[str]) -> list[str]:
    """The stderr lines that report a problem (not progress: wrote, method, saved, resuming ...)."""
    chatter = ("stance: wrote ", "stance: method: ", "stance: saved ", "stance: nothing to resume",
               "stance: early stop", "stance: resuming ")
    return [line for line in err if not line.startswith(chatter)]


def snapshot(root: Path) -> dict[str, bytes | None]:
    """Every file (bytes) and folder (None) under ``root``, by relative path."""
    out = {}
    for path in sorted(root.rglob("*")):
        out[str(path.relative_to(root))] = None if path.is_dir() else path.read_bytes()
    return out


def make_read_only(folder: Path, monkeypatch) -> Path:
    """A folder nobody may write in; for root (who may write anywhere) ``os.access`` says so too."""
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o555)
    if os.geteuid() == 0:
        real = os.access
        inside = str(folder.resolve())

        def access(path, mode, *args, **kwargs):
            if mode & os.W_OK and str(Path(path).resolve()).startswith(inside):
                return False
            return real(path, mode, *args, **kwargs)

        monkeypatch.setattr(os, "access", access)
    return folder
