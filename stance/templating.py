"""HTML pages from Jinja2 templates with autoescape on: text from articles and
annotations can never become markup."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Callable


def environment(folder: Path, tests: dict[str, Callable] | None = None):
    """A Jinja2 environment for the templates in ``folder``; ``tests`` are Jinja tests (``x is table``)."""
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(folder)), autoescape=True, trim_blocks=True,
                             lstrip_blocks=True, keep_trailing_newline=True,
                             undefined=jinja2.StrictUndefined)
    env.filters["tidy_lines"] = tidy_lines
    env.tests.update(tests or {})
    return env


def tidy_lines(markup):
    """No leading spaces, at most one blank line: blanked titles and datelines would show as indents and gaps.

    Only spaces and newlines change, never an escaped character, so the result stays safe markup.
    """
    from markupsafe import Markup

    return Markup(re.sub(r"\n{3,}", "\n\n", re.sub(r"(?m)^ +", "", str(markup))).strip())
