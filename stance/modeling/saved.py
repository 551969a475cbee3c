"""Where a saved model is (a folder or a Hugging Face hub id) and the layouts stance has written.

Format 4 is one Hugging Face model folder (``config.json`` of model type
``stance``, ``model.safetensors`` with both heads, the tokenizer). Format 3
(the encoder's folder, ``heads.safetensors``, ``stance.json``) is converted
on load. Light to import: the CLI checks a ``--model`` with it.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from ..errors import InputError
from ..outputs import LEGACY_MARKER, is_model_folder

LEGACY_FORMAT = 3
_HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")


def is_hub_id(name: str | os.PathLike) -> bool:
    """``org/name`` that is not a local path (nor in a local folder that exists): a hub model."""
    text = str(name)
    return bool(_HUB_ID.match(text)) and not Path(text).exists() and not Path(text).parent.is_dir()


def local_folder(name: str | os.PathLike) -> Path:
    """The model's local folder: ``name`` itself, or the hub model's snapshot in the Hugging Face cache.

    A hub model already cached is used without the network (as
    ``HF_HUB_OFFLINE`` would); only one that is not cached is downloaded.
    """
    if Path(name).is_dir():
        if not is_model_folder(name):
            raise InputError("not a stance model folder (no stance config.json)", name)
        return Path(name)
    if not is_hub_id(name):
        raise InputError("no such model folder (nor a hub id of the form org/name)", name)
    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import HfHubHTTPError, LocalEntryNotFoundError

    try:
        folder = Path(snapshot_download(str(name), local_files_only=True))
    except LocalEntryNotFoundError:
        try:
            folder = Path(snapshot_download(str(name)))
        except (HfHubHTTPError, LocalEntryNotFoundError, OSError) as err:
            raise InputError(f"cannot fetch the hub model: {type(err).__name__}", name) from None
    if not is_model_folder(folder):
        raise InputError("the hub model is not a stance model (no stance config.json)", name)
    return folder


def folder_labels(path: str | os.PathLike) -> dict[str, list[str]]:
    """The label sets of a saved model folder (either layout), read without loading the model."""
    path = Path(path)
    if (path / LEGACY_MARKER).is_file():
        return json.loads((path / LEGACY_MARKER).read_text())["labels"]
    config = json.loads((path / "config.json").read_text())
    return {"stance": [config["id2label"][k] for k in sorted(config["id2label"], key=int)],
            "speaker_group": config["speaker_group_labels"]}


def read_legacy(path: Path) -> dict:
    """``stance.json`` of a format-3 folder (labels, training arguments, dispute name)."""
    meta = json.loads((path / LEGACY_MARKER).read_text())
    if meta.get("format_version") != LEGACY_FORMAT:
        raise InputError(f"model format {meta.get('format_version')} is not {LEGACY_FORMAT}: retrain it", path)
    return meta


def load_legacy(path: Path):
    """A format-3 folder as a ``StanceModel`` (the encoder as saved, the heads from ``heads.safetensors``)
    and the training arguments it recorded."""
    from safetensors.torch import load_file
    from transformers import AutoModel

    from .network import StanceModel

    meta = read_legacy(path)
    args = meta["args"]
    encoder = AutoModel.from_pretrained(str(path), use_safetensors=True)
    model = StanceModel.with_encoder(encoder, meta["labels"], dispute=meta["dispute"], max_tokens=args["max_length"],
                                     classifier_dropout=args["dropout"])
    model.heads.load_state_dict(load_file(str(path / "heads.safetensors")))
    return model.eval(), args
