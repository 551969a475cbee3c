"""stance: who claims what in the news, and whose side it supports.

    >>> import stance
    >>> claims = stance.extract_claims(open("article.txt").read())
    >>> model = stance.load_model()            # the default model, built on first use
    >>> scored = model.label(claims)

Names are imported on first use, so ``import stance`` stays cheap (no spaCy,
no torch until they are needed).
"""

from importlib import import_module
from importlib.metadata import PackageNotFoundError, version

from .modeling.registry import watch

watch()  # AutoConfig / AutoModel / pipeline() know stance models once transformers loads

_EXPORTS = {
    "Attribution": "records", "Claim": "records", "Document": "records",
    "Dispute": "dispute", "load_dispute": "dispute",
    "InputError": "errors",
    "read_document": "reader",
    "extract_claims": "pipeline", "extract_documents": "pipeline",
    "StanceClassifier": "classifier", "TrainingArguments": "classifier",
    "StanceConfig": "modeling", "StanceModel": "modeling",
    "load_model": "models", "build_default_model": "models",
    "score_documents": "scoring", "score_paths": "scoring",
    "read_claims": "io",
}
__all__ = sorted(_EXPORTS)
try:
    __version__ = version("stance")
except PackageNotFoundError:  # a checkout on sys.path, never installed
    __version__ = "0+unknown"


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(f"module 'stance' has no attribute {name!r}")
