"""Finding a model: a saved folder, a hub id, or the default model built from ``training/data``.

The default model is trained reproducibly on first use and cached under the
user's cache folder, keyed by the training data, the dispute configuration,
the base encoder and the training arguments: change any of them and it is
rebuilt.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from dataclasses import asdict
from pathlib import Path
from typing import Callable, Optional

from .cache import cache_root
from .classifier import StanceClassifier
from .dispute import Dispute, load_dispute
from .training.arguments import TrainingArguments

logger = logging.getLogger(__name__)

#: The default model's recipe (and what ``stance eval --cv K --model transformer`` fits per fold):
#: the default encoder (all-mpnet-base-v2), all of the shipped data, a fixed 4 epochs. A dev split of a handful of articles picked its best
#: epoch anywhere from 2 to 5 from fold to fold: too noisy to be worth the data it holds out.
#: No class weights: they push predictions towards the rarest stance, neutral, which is rarer
#: still in real coverage than in our corpus (README, realistic-dev: "What did not help").
DEFAULT_ARGS = TrainingArguments(method="finetune", epochs=4, dev_fraction=0.0, class_weights=False)
#: What the recipe does to the data before training (part of the cache key): the speakers
#: stage's resolved names replace the annotators' (training.data.with_resolved_speakers).
RECIPE = "resolved-speakers"
#: Part of the cache key: the save format when the recipe's numerics last changed. A newer save
#: layout alone (format 4, one Hugging Face model) is converted on load, so it rebuilds nothing.
KEY_FORMAT = 3


def _data_files() -> list[Path]:
    from stance.training.data import DATA_DIR

    return sorted((DATA_DIR / "claims").glob("*.jsonl"))


def default_model_key(dispute: Dispute, args: TrainingArguments = DEFAULT_ARGS) -> str:
    h = hashlib.sha256()
    for path in _data_files():
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    base = Path(args.resolved_base_model())
    h.update((base / "config.json").read_bytes())
    h.update(str(sum(p.stat().st_size for p in base.glob("*.safetensors"))).encode())
    h.update(dispute.source.encode())
    h.update(json.dumps(asdict(args), sort_keys=True).encode())
    h.update(f"format-{KEY_FORMAT}/{RECIPE}".encode())
    return h.hexdigest()[:16]


def default_model_path(dispute: Dispute | None = None) -> Path:
    dispute = dispute or load_dispute()
    return cache_root() / "models" / f"{dispute.name}-{default_model_key(dispute)}"


def build_default_model(*, force: bool = False, progress: bool = True,
                        log: Callable[[str], None] | None = None) -> Path:
    """Train the default model from ``training/data`` unless an up-to-date one is cached.

    A file lock beside the cached model lets one process build it while any
    other that needs it waits, then uses the finished model.
    """
    from filelock import FileLock, Timeout

    from stance.training.data import DATA_DIR, load_training_data, with_resolved_speakers

    dispute = load_dispute()
    path = default_model_path(dispute)
    if path.exists() and not force:
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(path) + ".lock")
    notice = log or logger.warning  # a library user sees the one slow step without configuring logging
    try:
        lock.acquire(timeout=0)
    except Timeout:
        notice(f"another process is building the default model; waiting for it (lock {lock.lock_file})")
        lock.acquire()
        force = False  # what the other process built is what was asked for
    try:
        if path.exists() and not force:
            return path
        claims = with_resolved_speakers(load_training_data([DATA_DIR / "claims"], dispute), DATA_DIR / "articles",
                                        dispute)
        docs = len({c.doc_id for c in claims})
        notice(f"building the default model from {DATA_DIR} ({len(claims)} claims, {docs} articles); "
               f"this happens once, cached in {path}")
        model = StanceClassifier(dispute, DEFAULT_ARGS)
        model.fit(claims, output_dir=path, progress=progress, log=log or logger.info,
                  method_reason="the default model's recipe")
    finally:
        lock.release()
    return path


def load_model(path: str | os.PathLike | None = None, *, progress: bool = True,
               log: Optional[Callable[[str], None]] = None) -> StanceClassifier:
    """A saved model folder, a hub id, or (``None`` / ``"default"``) the default model, built if needed.

    A hub id reaches the network only when the model is not in the Hugging Face cache.
    """
    return StanceClassifier.load(model_folder(path, progress=progress, log=log))


def model_folder(spec: str | os.PathLike | None, *, progress: bool = True,
                 log: Optional[Callable[[str], None]] = None) -> Path:
    """Where a model named on the command line lives: ``None`` / ``"default"`` (built if needed),
    a saved folder, or a hub id's local snapshot; anything else is an ``InputError`` naming it."""
    if spec is None or str(spec) == "default":
        return build_default_model(progress=progress, log=log)
    from .modeling.saved import local_folder

    return local_folder(spec)
