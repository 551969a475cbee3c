"""Files in and out: path expansion, validated JSONL claims, atomic writes."""

from __future__ import annotations

import glob
import json
import os
import tempfile
from pathlib import Path
from typing import Iterable, Sequence

from .dispute import Dispute
from .errors import InputError
from .records import REQUIRED_FIELDS, Claim


def expand_paths(patterns: Iterable[str], suffixes: Sequence[str]) -> list[Path]:
    """Files named by paths, folders (searched recursively) and globs, in order.

    A pattern that matches nothing is returned as is, so that reading it
    reports the missing file by name.
    """
    out: list[Path] = []
    for pattern in patterns:
        path = Path(pattern)
        if path.is_dir():
            out += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in suffixes)
        elif any(ch in pattern for ch in "*?[") and not path.exists():
            out += [Path(p) for p in sorted(glob.glob(pattern, recursive=True)) if Path(p).is_file()]
        else:
            out.append(path)
    return out


def read_claims(
    paths: Iterable[str | Path],
    dispute: Dispute | None = None,
    required: Sequence[str] = REQUIRED_FIELDS,
) -> list[Claim]:
    """Read claim records from JSONL files, checking each against ANNOTATION.md.

    Every bad line is collected, and one ``InputError`` lists them all as
    ``file:line: problem``, so a user fixes a file in one pass.
    """
    claims, errors, seen = [], [], {}
    files = expand_paths([str(p) for p in paths], (".jsonl",))
    for path in files:
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            errors.append(f"{path}: no such file")
            continue
        except (UnicodeDecodeError, IsADirectoryError) as err:
            errors.append(f"{path}: cannot read as UTF-8 text ({err.__class__.__name__})")
            continue
        for n, line in enumerate(lines, 1):
            if not line.strip():
                continue
            problem, claim = _parse_line(line, dispute, required)
            if claim is not None and claim.id in seen:
                problem = f"duplicate id {claim.id!r} (first at {seen[claim.id]})"
            if problem:
                errors.append(f"{path}:{n}: {problem}")
                continue
            seen[claim.id] = f"{path}:{n}"
            claim.extra["_source"] = f"{path}:{n}"
            claims.append(claim)
    if errors:
        raise InputError("\n".join(errors))
    if not claims:
        raise InputError("no claim records found", ", ".join(map(str, files)) or "(no files)")
    return claims


def _parse_line(line: str, dispute: Dispute | None, required: Sequence[str]):
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as err:
        return f"invalid JSON ({err.msg})", None
    return validate_record(obj, dispute, required)


def validate_record(obj, dispute: Dispute | None, required: Sequence[str] = REQUIRED_FIELDS):
    """(problem or None, Claim or None) for one record, per ANNOTATION.md."""
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
    """Write through a temporary file and rename, so a crash never leaves half a file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; a report is for reading
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def dumps_jsonl(objects: Iterable[dict]) -> str:
    return "".join(json.dumps(o, ensure_ascii=False) + "\n" for o in objects)
