"""The journal: every annotation action appended and fsynced before it is acknowledged.

One JSON object a line. A server killed while writing leaves at most one torn
last line: that action was never acknowledged, so replay drops it (and the
next append starts on a fresh line). ``undo`` is an action too: replay
removes the latest action still in force, so undo, redo-by-hand and a restart
all see the same history.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from ..errors import InputError


class Journal:
    """Append-only log of actions at ``path`` (created on the first append)."""

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)

    def read(self) -> list[dict]:
        """Every complete action written so far, in order.

        A torn last line (the action in flight when the server was killed) is
        cut off the file, so the next append starts clean; a damaged line
        anywhere else is an ``InputError`` naming it.
        """
        if not self.path.exists():
            return []
        data = self.path.read_bytes()
        lines = data.split(b"\n")
        actions, good = [], 0
        for n, line in enumerate(lines, 1):
            try:
                action = json.loads(line) if line.strip() else None
            except ValueError:
                if n == len(lines):
                    break
                raise InputError("damaged journal line (not JSON)", self.path, n) from None
            if action is not None and (not isinstance(action, dict) or "op" not in action):
                raise InputError("damaged journal line (no op)", self.path, n)
            if action is not None:
                actions.append(action)
            good += len(line) + (n < len(lines))
        if good < len(data) or not data.endswith(b"\n") and data:
            with open(self.path, "r+b") as handle:
                handle.truncate(good)
                if good and not data[:good].endswith(b"\n"):
                    handle.seek(good)
                    handle.write(b"\n")
                os.fsync(handle.fileno())
        return actions

    def append(self, action: dict) -> None:
        """Write one action and fsync it: once this returns, a crash cannot lose it."""
        line = json.dumps(action, ensure_ascii=False).encode() + b"\n"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        new = not self.path.exists()
        with open(self.path, "ab") as handle:
            handle.write(line)
            handle.flush()
            os.fsync(handle.fileno())
        if new:  # the file's name must survive a crash too, not only its bytes
            folder = os.open(self.path.parent, os.O_RDONLY)
            try:
                os.fsync(folder)
            finally:
                os.close(folder)


def in_force(actions: list[dict]) -> list[dict]:
    """The actions an ``undo`` has not taken back (each undo removes the latest one still in force)."""
    kept: list[dict] = []
    for action in actions:
        if action["op"] == "undo":
            if kept:
                kept.pop()
        else:
            kept.append(action)
    return kept
