"""Modeling: the network, its Hugging Face config, the inputs it reads, prediction.

Depends on the core (records, dispute) only; training, evaluation and the
scikit-learn estimator (``stance.classifier``) build on it. Names load on
first use, so ``import stance`` stays free of torch and transformers;
``stance.modeling.registry`` tells transformers about stance models.
"""

from importlib import import_module

_EXPORTS = {"StanceConfig": "config", "StanceModel": "network", "StanceModelOutput": "network",
            "StanceClassificationPipeline": "hf_pipeline", "register": "registry"}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(f"module 'stance.modeling' has no attribute {name!r}")
