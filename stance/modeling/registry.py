"""Registration with transformers: ``AutoConfig``, ``AutoModel`` and the ``stance-classification`` task.

Each module registers its own class when it is imported (``config``,
``network``, ``hf_pipeline``). ``import stance`` must not load transformers
(``stance claims`` needs no model), yet ``AutoModel.from_pretrained(DIR)``
must know stance models once transformers is in use: ``watch()`` imports
each of those modules right after the transformers module holding its
registry is first imported (at once if it already is).
"""

from __future__ import annotations

import importlib
import importlib.abc
import sys

TASK = "stance-classification"
#: transformers module holding a registry -> our module that registers with it.
_PARTS = {
    "transformers.models.auto.configuration_auto": "stance.modeling.config",
    "transformers.models.auto.modeling_auto": "stance.modeling.network",
    "transformers.pipelines": "stance.modeling.hf_pipeline",
}


def register() -> None:
    """Register everything now (imports transformers and torch)."""
    for ours in _PARTS.values():
        importlib.import_module(ours)


class _Watcher(importlib.abc.MetaPathFinder):
    """Imports our registering module right after its transformers module has executed."""

    def find_spec(self, name, path, target=None):
        if name not in _PARTS or name in sys.modules:
            return None
        spec = next((s for s in (f.find_spec(name, path, target) for f in sys.meta_path
                                 if f is not self and hasattr(f, "find_spec")) if s), None)
        if spec is None or spec.loader is None:
            return spec
        run = spec.loader.exec_module

        def exec_then_register(module):
            run(module)
            # Ours may be the import that loaded transformers: it then registers when it finishes.
            importlib.import_module(_PARTS[name])

        spec.loader.exec_module = exec_then_register
        return spec


def watch() -> None:
    """Register the parts whose transformers modules are loaded; the others when they load."""
    for theirs, ours in _PARTS.items():
        if theirs in sys.modules:
            importlib.import_module(ours)
    if not any(isinstance(f, _Watcher) for f in sys.meta_path):
        sys.meta_path.insert(0, _Watcher())
