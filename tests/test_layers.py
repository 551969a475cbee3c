"""Layers: the core (reading, sentences, claims, speakers, records, output formats) loads no model stack.

``import stance.claims`` and ``stance claims`` must work, and start fast, for a
user who installed stance without the training or evaluation extras.
"""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import SEED

HEAVY = ("torch", "transformers", "scipy", "matplotlib", "datasets", "sklearn")
UPPER = ("stance.classifier", "stance.models", "stance.training", "stance.eval.harness", "stance.eval.report")

LOADED = """
import json, sys
def loaded():
    return sorted(m for m in sys.modules if m.split(".")[0] in {heavy} or m.startswith({upper}))
"""

#: Run a Python snippet where ``import torch`` fails, as in a venv without torch.
NO_TORCH = """
import importlib.abc, sys
class NoTorch(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "torch" or name.startswith("torch."):
            raise ImportError("torch is hidden by the test")
sys.meta_path.insert(0, NoTorch())
"""


def _python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600)


def _loaded_after(code: str) -> list[str]:
    done = _python(LOADED.format(heavy=set(HEAVY), upper=UPPER) + code + "\nprint(json.dumps(loaded()))")
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.splitlines()[-1])


def test_import_stance_claims_loads_no_model_stack():
    assert _loaded_after("import stance, stance.claims, stance.pipeline, stance.formats, stance.io") == []


def test_stance_claims_command_loads_no_model_stack():
    code = (f"from stance.cli import main\nassert main(['--no-progress', 'claims', {str(SEED)!r}, '--format', 'jsonl',"
            f" '--out', '/dev/null']) == 0")
    # spaCy's thinc imports torch by itself whenever torch is installed: not stance's doing,
    # and the next test shows the command does not need it.
    assert [m for m in _loaded_after(code) if m.split(".")[0] != "torch"] == []


def test_stance_claims_runs_without_torch():
    code = NO_TORCH + (f"from stance.cli import main\nsys.exit(main(['--no-progress', 'claims', {str(SEED)!r},"
                       f" '--format', 'jsonl']))")
    done = _python(code)
    assert done.returncode == 0, done.stderr[-2000:]
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(rows) >= 12 and all(r["doc_id"] == "seed_article" for r in rows)
    assert "torch" not in done.stderr


def test_the_hidden_torch_really_is_hidden():
    done = _python(NO_TORCH + "import torch")
    assert done.returncode != 0 and "hidden by the test" in done.stderr


CORE = ["reader", "sentences", "speakers", "records", "dispute", "io", "formats", "pipeline", "given", "outputs",
        "brat", "errors", "templating", "claims/__init__", "claims/cues", "claims/quotes", "claims/indirect",
        "claims/source", "claims/content"]
ABOVE_CORE = {"classifier", "models", "scoring", "training", "eval", "claims.tagger", "tagger", "cli"}


def test_core_modules_import_nothing_above_the_core_not_even_lazily():
    from conftest import REPO
    from test_import_graph import _modules, imports, package_of

    modules = _modules()
    for name in CORE:
        path = REPO / "stance" / f"{name}.py"
        dotted = f"stance.{name.replace('/', '.')}".removesuffix(".__init__")
        for module in imports(path, package_of(dotted, path), modules):
            top = module.split(".")[0]
            assert top not in HEAVY, f"stance/{name}.py imports {module}"
            inside = module.removeprefix("stance.")
            assert not (module.startswith("stance.") and (inside in ABOVE_CORE or inside.split(".")[0] in ABOVE_CORE)), \
                f"stance/{name}.py imports {module}"
