"""``stance annotate``: pre-annotate, then serve the review page until Ctrl-C."""

from __future__ import annotations

import os
import sys
from typing import Callable, Sequence

from ..errors import InputError
from ..records import Document
from .queue import pre_annotate
from .server import AnnotationServer
from .session import Session, journal_path


def _stderr(message: str) -> None:
    print(f"stance: {message}", file=sys.stderr, flush=True)


def annotate(documents: Sequence[Document], model, out: str | os.PathLike, *, port: int = 8765,
             progress: bool = False, log: Callable[[str], None] = _stderr) -> Session:
    """Pre-annotate ``documents`` with ``model`` and serve the review page on 127.0.0.1 until interrupted.

    A journal beside ``out`` from an earlier run is replayed first: the session
    resumes where it stopped. Returns the session when the server is stopped.
    """
    articles = pre_annotate(documents, model, progress=progress)
    session = Session(articles, out, model.dispute, label=lambda claim: model.label([claim])[0])
    try:
        server = AnnotationServer(session, port)
    except OSError as err:
        raise InputError(f"cannot listen on 127.0.0.1:{port} ({err.strerror or err}): pass another --port, "
                         "or --port 0 for any free one") from None
    p = session.progress()
    log(f"{p['done'] + p['left']} claims in {len(articles)} articles, {p['done']} already reviewed; "
        f"gold file {out}, journal {journal_path(out)}")
    log(f"open {server.url}  (Ctrl-C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        p = session.progress()
        log(f"stopped: {p['done']} reviewed, {p['accepted']} claims saved in {out}")
    finally:
        server.server_close()
    return session
