"""Where a command may write: checked before any work, so a refusal costs nothing.

* An output file (``claims``, ``score``, ``classify --out F``): a new file or
  an existing one (replaced at the end, atomically), never a folder, never
  one of the run's inputs.
* A model folder (``train --out DIR``, the default model's cache): a new
  folder, an empty one, or one that already holds a stance model (replaced
  as a whole, atomically). Anything else is refused: a user's folder is never
  emptied and a file is never moved aside.
* A report folder (``eval --out DIR``): new, empty, or holding an earlier
  report; another folder only with ``--force``, and then only the report's
  own files in it are replaced.

Every refusal is an ``InputError`` naming the path (exit code 2).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Iterable

from .errors import InputError

LEGACY_MARKER = "stance.json"  # what made a folder a stance model up to format 3
REPORT_MARKER = "metrics.json"


def check_writable(path: str | os.PathLike) -> None:
    """``path`` can be created or replaced: its nearest existing ancestor is a folder we may write in."""
    path = Path(path)
    parent = path.absolute().parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        raise InputError(f"cannot write here: {parent} is a file, not a folder", path)
    if not os.access(parent, os.W_OK | os.X_OK):
        raise InputError(f"cannot write here: no permission to write in {parent}", path)


def check_output_file(path: str | os.PathLike, inputs: Iterable[str | os.PathLike] = ()) -> None:
    """Refuse an output file that is a folder, one of the inputs, or in a place we cannot write."""
    path = Path(path)
    if path.is_dir():
        raise InputError("is a folder: --out takes a file name", path)
    if path.exists():
        for item in inputs:
            try:
                if Path(item).exists() and path.samefile(item):
                    raise InputError("is also an input of this run: choose another --out file", path)
            except OSError:
                continue
    check_writable(path)


def is_model_folder(path: str | os.PathLike) -> bool:
    """A folder holding a stance model: ``config.json`` of model type ``stance`` (or format 3's ``stance.json``)."""
    path = Path(path)
    if (path / LEGACY_MARKER).is_file():
        return True
    try:
        return json.loads((path / "config.json").read_text(encoding="utf-8")).get("model_type") == "stance"
    except (OSError, ValueError, AttributeError):
        return False


def check_model_folder(path: str | os.PathLike) -> None:
    """Refuse to write a model anywhere but a new folder, an empty one, or an earlier stance model."""
    path = Path(path)
    if path.exists() or path.is_symlink():
        if not path.is_dir():
            raise InputError("exists and is not a folder: a model is a folder, choose a new name", path)
        if not is_model_folder(path) and any(path.iterdir()):
            raise InputError("is a folder that holds other files, not a stance model: choose a new folder "
                             "(nothing was written)", path)
    checkpoint = path.with_name(path.name + ".checkpoint")
    if checkpoint.exists() and not (checkpoint / "state.json").is_file():
        raise InputError("is in the way of the training checkpoint: move it or choose another --out", checkpoint)
    check_writable(path)


def check_report_folder(path: str | os.PathLike, force: bool = False) -> None:
    """Refuse a report folder that is a file, or a folder of other things (unless ``force``)."""
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise InputError("exists and is not a folder: the report is a folder of files, choose a new name", path)
    if path.is_dir() and not force and not (path / REPORT_MARKER).is_file() and any(path.iterdir()):
        raise InputError("is a folder that holds other files, not an earlier report: choose a new folder, or "
                         "pass --force to write the report's files into it", path)
    check_writable(path / REPORT_MARKER)


def replace_folder(tmp: Path, path: Path) -> None:
    """Put the finished folder ``tmp`` at ``path``; an earlier model or empty folder there is replaced.

    Checked again here (the Python API calls ``save`` directly): a folder of
    other files or a file at ``path`` is an ``InputError`` and ``tmp`` is removed.
    """
    try:
        check_model_folder(path)
    except InputError:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if not path.exists():
        tmp.rename(path)
        return
    old = path.with_name(f".{path.name}.old-{os.getpid()}")
    path.rename(old)
    try:
        tmp.rename(path)
    except BaseException:
        old.rename(path)
        raise
    shutil.rmtree(old, ignore_errors=True)
