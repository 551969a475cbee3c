"""Where stance keeps what it builds once: the default model and the assembled encoders."""

from __future__ import annotations

import os
from pathlib import Path


def cache_root() -> Path:
    """``$STANCE_CACHE``, else ``$XDG_CACHE_HOME/stance``, else ``~/.cache/stance``."""
    if os.environ.get("STANCE_CACHE"):
        return Path(os.environ["STANCE_CACHE"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "stance"
