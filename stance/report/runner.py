"""Scoring what the store lacks, in this process or in ``jobs`` worker processes.

Articles go in chunks of ``CHUNK`` (their claims classified in one batched
pass); each scored article is committed to the store at once, by whichever
process scored it, so work done before a crash or a kill is kept. Workers are
started with ``spawn`` (no forked torch state) and load the model once each.
"""

from __future__ import annotations

import os
import sys
from concurrent.futures import ProcessPoolExecutor, as_completed
from multiprocessing import get_context
from typing import Callable, Sequence

from ..records import Document
from .store import Store

CHUNK = 8

_worker: dict = {}


def _init(model_path: str, store_root: str, model_id: str, threads: int | None = None) -> None:
    from ..models import load_model

    if threads:  # workers share the cores instead of each starting one torch thread per core
        import torch

        torch.set_num_threads(threads)
    _worker.update(model=load_model(model_path, progress=False), store=Store(store_root), model_id=model_id)


def _score(chunk: Sequence[tuple[str, Document]]) -> int:
    from ..scoring import score_documents

    results = score_documents([d for _, d in chunk], _worker["model"])
    for (key, _), result in zip(chunk, results):
        _worker["store"].write(key, result, _worker["model_id"])
    return len(chunk)


def score_missing(todo: Sequence[tuple[str, Document]], model_path: str, store: Store, model_id: str,
                  jobs: int = 1, progress: bool = False, log: Callable[[str], None] = lambda m: None) -> int:
    """Score and commit every (key, document) of ``todo``; returns how many were scored."""
    if not todo:
        return 0
    chunks = [todo[i:i + CHUNK] for i in range(0, len(todo), CHUNK)]
    bar = _bar(len(todo), progress)
    if jobs <= 1:
        _init(model_path, str(store.root), model_id)
        for chunk in chunks:
            bar(_score(chunk))
    else:
        log(f"scoring with {jobs} worker processes")
        threads = max(1, (os.cpu_count() or 1) // jobs)
        pool = ProcessPoolExecutor(jobs, mp_context=get_context("spawn"), initializer=_init,
                                   initargs=(model_path, str(store.root), model_id, threads))
        try:
            for done in as_completed([pool.submit(_score, chunk) for chunk in chunks]):
                bar(done.result())
        finally:  # on an error or Ctrl-C, chunks not started are dropped (committed articles stay)
            pool.shutdown(cancel_futures=True)
    bar(0, close=True)
    return len(todo)


def _bar(total: int, enabled: bool):
    """A progress callback: a tqdm bar on a terminal, else nothing."""
    if not (enabled and sys.stderr.isatty()):
        return lambda n, close=False: None
    from tqdm.auto import tqdm

    bar = tqdm(total=total, desc="scoring", unit="article", leave=False)

    def update(n: int, close: bool = False) -> None:
        bar.update(n)
        if close:
            bar.close()

    return update
