"""Files in and out: path expansion, validated JSONL claims, atomic writes."""

from __future__ import annotations

import glob
import json
import os
import tempfile
from pathlib import Path
from typing import Callable, Iterable, Sequence

from .dispute import Dispute
from .errors import InputError
from .reader import TEXT_SUFFIXES, decode, read_document
from .records import REQUIRED_FIELDS, Claim, Document


def expand_paths(patterns: Iterable[str], suffixes: Sequence[str],
                 on_error: Callable[[InputError], None] | None = None) -> list[Path]:
    """Files named by paths, folders (searched recursively) and globs, in order.

    A path that does not exist is returned as is, so that reading it reports
    the missing file by name. A glob that matches no file and a folder that
    holds none of ``suffixes`` are problems too: each goes to ``on_error``
    (default: raised) and the other patterns are still expanded.
    """
    def problem(message: str, where: str) -> None:
        err = InputError(message, where)
        if on_error is None:
            raise err
        on_error(err)

    out: list[Path] = []
    for pattern in patterns:
        path = Path(pattern)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in suffixes)
            if not found:
                problem(f"no {_kinds(suffixes)} files in this folder", pattern)
            out += found
        elif any(ch in pattern for ch in "*?[") and not path.exists():
            found = [Path(p) for p in sorted(glob.glob(pattern, recursive=True)) if Path(p).is_file()]
            if not found:
                problem("no file matches this pattern", pattern)
            out += found
        else:
            out.append(path)
    return out


def _kinds(suffixes: Sequence[str]) -> str:
    return "/".join(dict.fromkeys(s for s in suffixes if s)) or "article"


def read_claims(
    paths: Iterable[str | Path],
    dispute: Dispute | None = None,
    required: Sequence[str] = REQUIRED_FIELDS,
    on_error: Callable[[InputError], None] | None = None,
) -> list[Claim]:
    """Read claim records from JSONL files, checking each against docs/annotation.md.

    Every bad line is collected as ``file:line: problem``. Without
    ``on_error``, one ``InputError`` lists them all, so a user fixes a file
    in one pass (training and evaluation start on clean data only). With it,
    each problem goes there and the good records of every file are returned.
    """
    claims, errors, seen = [], [], {}
    report = on_error or (lambda err: errors.append(str(err)))
    files = expand_paths([str(p) for p in paths], (".jsonl",), report)
    for path in files:
        try:
            text = decode(path.read_bytes(), path)
        except FileNotFoundError:
            report(InputError("no such file", path))
            continue
        except IsADirectoryError:
            report(InputError("is a folder, not a JSONL file", path))
            continue
        except OSError as err:
            report(InputError(f"cannot read ({err.strerror})", path))
            continue
        except InputError as err:
            report(err)
            continue
        found = 0
        for n, line in enumerate(text.removeprefix("\ufeff").split("\n"), 1):
            if not line.strip():
                continue
            found += 1
            problem, claim = _parse_line(line, dispute, required)
            if claim is not None and claim.id in seen:
                problem = f"duplicate id {claim.id!r} (first at {seen[claim.id]})"
            if problem:
                report(InputError(problem, path, n))
                continue
            seen[claim.id] = f"{path}:{n}"
            claim.extra["_source"] = f"{path}:{n}"
            claims.append(claim)
        if not found:
            report(InputError("empty file (no claim records)", path))
    if errors:
        raise InputError("\n".join(errors))
    if not claims and on_error is None:
        raise InputError("no claim records found", ", ".join(map(str, files)) or "(no files)")
    return claims


def _parse_line(line: str, dispute: Dispute | None, required: Sequence[str]):
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as err:
        return f"invalid JSON ({err.msg})", None
    return validate_record(obj, dispute, required)


def validate_record(obj, dispute: Dispute | None, required: Sequence[str] = REQUIRED_FIELDS):
    """(problem or None, Claim or None) for one record, per docs/annotation.md."""
    if not isinstance(obj, dict):
        return "not a JSON object", None
    missing = [k for k in required if k not in obj or obj[k] is None]
    if missing:
        return f"missing field {', '.join(missing)}", None
    bad_type = [k for k in required if not isinstance(obj[k], str)]
    if bad_type:
        return f"field {', '.join(bad_type)} must be a string", None
    if not obj["claim"].strip():
        return "empty claim", None
    if obj["claim"] not in obj["sentence"]:
        return "claim is not a substring of its sentence", None
    if dispute is not None:
        for task in ("stance", "speaker_group"):
            if task in required and obj[task] not in dispute.labels(task):
                return f"unknown {task} label {obj[task]!r} (expected one of {', '.join(dispute.labels(task))})", None
    if obj.get("kind") not in (None, "direct", "indirect", "mixed"):
        return f"unknown kind {obj['kind']!r}", None
    return None, Claim.from_json(obj)


def atomic_write(path: str | Path, text: str) -> None:
    """Write through a temporary file and rename, so a crash never leaves half a file.

    A place that cannot be written (a folder in the way, no permission, a
    full disk) is an ``InputError`` naming it; the old file, if any, is kept.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as err:
        raise InputError(f"cannot write here ({err.strerror or err})", path) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; a report is for reading
        os.replace(tmp, path)
    except BaseException as err:
        os.unlink(tmp)
        if isinstance(err, OSError):
            raise InputError(f"cannot write here ({err.strerror or err})", path) from None
        raise


def dumps_jsonl(objects: Iterable[dict]) -> str:
    return "".join(json.dumps(o, ensure_ascii=False) + "\n" for o in objects)


def read_documents(patterns: Iterable[str], on_error: Callable[[InputError], None]) -> list[Document]:
    """Read every article named by paths, folders and globs; a bad file is reported and skipped.

    Two files with one ``doc_id`` (``a.txt`` and ``b/a.txt``) would give claims
    the same ids: the second is reported and skipped.
    """
    documents, seen, read = [], {}, set()
    for path in expand_paths(patterns, TEXT_SUFFIXES, on_error):
        if path.resolve() in read:
            continue  # named twice (a file and its folder): read once
        read.add(path.resolve())
        try:
            document = read_document(path)
        except InputError as err:
            on_error(err)
            continue
        if document.doc_id in seen:
            on_error(InputError(f"same doc_id {document.doc_id!r} as {seen[document.doc_id]}: rename one "
                                "(claim ids would repeat)", path))
            continue
        seen[document.doc_id] = path
        documents.append(document)
    return documents
