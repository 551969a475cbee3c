"""Stage 5, classifier: the scikit-learn estimator over ``stance.modeling.StanceModel``.

``StanceClassifier`` keeps the scikit-learn contract: ``__init__`` only
stores its arguments (``clone`` and ``get_params`` work), ``fit`` learns
``model_`` (the Hugging Face network), ``tokenizer_``, ``dispute_`` and
``summary_``, ``predict`` returns labels and ``predict_proba`` probabilities
per task, columns in ``labels[task]`` order. ``fit`` seeds a forked copy of
torch's random state, so the caller's generators and thread count are left as
they were. The network, its inputs and the knowledge-first prediction are in
``stance.modeling``; the training loop in ``stance.training``.

Saved with ``save`` as a Hugging Face folder (``config.json`` of model type
``stance``, ``model.safetensors`` holding the encoder and both heads, the
tokenizer) plus ``dispute.toml`` and ``training_summary.json``; ``load``
reads such a folder, a hub id, or a folder of the earlier format 3.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
from pathlib import Path
from typing import Sequence

import numpy as np
import torch
from sklearn.base import BaseEstimator

from .dispute import Dispute, load_dispute
from .errors import InputError
from .modeling.config import FORMAT_VERSION, TASKS
from .modeling.encoders import packaged_encoder, quiet_transformers
from .modeling.inputs import known_group
from .modeling.predict import predict_proba
from .records import Claim
from .training.arguments import TrainingArguments

__all__ = ["FORMAT_VERSION", "TASKS", "StanceClassifier", "TrainingArguments", "new_network", "packaged_encoder",
           "quiet_transformers"]


def new_network(args: TrainingArguments, dispute: Dispute):
    """An untrained ``StanceModel`` on ``args``' base encoder, and its tokenizer: what ``fit`` starts from.

    The heads draw from torch's generator: ``fit`` seeds it.
    """
    from transformers import AutoModel, AutoTokenizer

    from .modeling.network import StanceModel

    base = args.resolved_base_model()
    with quiet_transformers():
        tokenizer = AutoTokenizer.from_pretrained(base)
        encoder = AutoModel.from_pretrained(base)
    labels = {t: dispute.labels(t) for t in TASKS}
    return StanceModel.with_encoder(encoder, labels, dispute=dispute.name, max_tokens=args.max_length,
                                    classifier_dropout=args.dropout), tokenizer


class StanceClassifier(BaseEstimator):
    """Labels claims with stance and speaker group; see the module docstring.

    ``dispute``: the dispute's labels and descriptions (None: the packaged one);
    ``args``: how ``fit`` trains (None: ``TrainingArguments()``).
    """

    def __init__(self, dispute: Dispute | None = None, args: TrainingArguments | None = None):
        self.dispute = dispute
        self.args = args

    @property
    def labels(self) -> dict[str, list[str]]:
        """Labels per task: the fitted model's, else the dispute's."""
        if hasattr(self, "model_"):
            return self.model_.config.task_labels
        dispute = self.dispute or load_dispute()
        return {t: dispute.labels(t) for t in TASKS}

    # -- training -------------------------------------------------------
    def fit(self, claims: Sequence[Claim], dev: Sequence[Claim] | None = None, *,
            init: str | os.PathLike | None = None, **kwargs) -> "StanceClassifier":
        """Train on labelled claims (see ``stance.training.trainer.train`` for the keyword options).

        ``init``: a saved stance model to continue from (its encoder and both
        heads) instead of the base encoder, so a few hundred new claims adapt it.
        """
        from stance.training import trainer

        output_dir = kwargs.get("output_dir")
        if output_dir:
            from .outputs import check_model_folder

            check_model_folder(output_dir)  # before the training, not after it
        args = self.args or TrainingArguments()
        self.dispute_ = self.dispute or load_dispute()
        with torch.random.fork_rng():  # the caller's generator is left as it was
            torch.manual_seed(args.seed)  # the heads' initial weights, then dropout
            self.model_, self.tokenizer_ = new_network(args, self.dispute_) if init is None else self._start(init)
            self.summary_ = trainer.train(self.model_, self.tokenizer_, list(claims), list(dev) if dev else None,
                                          args, self.dispute_, init=init, **kwargs)
        if output_dir:
            self.save(output_dir)
            shutil.rmtree(trainer.checkpoint_path(output_dir), ignore_errors=True)
        return self

    def _start(self, init: str | os.PathLike):
        """The network and tokenizer of a saved model, whose labels must be this dispute's."""
        source = type(self).load(init)
        if source.labels != {t: self.dispute_.labels(t) for t in TASKS}:
            raise InputError("--init: this model's labels are not those of the dispute being trained", init)
        return source.model_.train(), source.tokenizer_

    # -- inference ------------------------------------------------------
    def predict_proba(self, claims: Sequence[Claim], batch_size: int = 64) -> dict[str, np.ndarray]:
        """Probabilities per task, rows in the claims' order, columns in ``labels[task]`` order.

        A group that knowledge decided is certain (probability 1); the group head
        answers for the rest, and the stance head reads the group either way
        (``stance.modeling.predict``).
        """
        if not hasattr(self, "model_"):
            raise RuntimeError("the classifier is not trained: call fit() or load()")
        return predict_proba(self.model_, self.tokenizer_, claims, batch_size)

    def predict(self, claims: Sequence[Claim]) -> dict[str, list[str]]:
        """The most probable label per task, one per claim."""
        proba, labels = self.predict_proba(claims), self.labels
        return {t: [labels[t][i] for i in proba[t].argmax(1)] for t in TASKS}

    def group_source(self, claim: Claim) -> str:
        """Which evidence decided the claim's group: the speakers stage's, else ``model``."""
        known = known_group(claim)
        return claim.speaker_group_source if known in self.labels["speaker_group"] else "model"

    def label(self, claims: Sequence[Claim]) -> list[Claim]:
        """Copies of ``claims`` with stance, speaker group and every label's probability."""
        proba, labels = self.predict_proba(claims), self.labels
        out = []
        for i, c in enumerate(claims):
            c = copy.copy(c)
            for t in TASKS:
                scores = {label: round(float(p), 4) for label, p in zip(labels[t], proba[t][i])}
                setattr(c, t, labels[t][int(proba[t][i].argmax())])
                setattr(c, f"{t}_scores", scores)
            c.speaker_group_source = self.group_source(claims[i])
            out.append(c)
        return out

    # -- persistence ----------------------------------------------------
    def save(self, path: str | os.PathLike) -> Path:
        """Write a Hugging Face folder; written to a temporary folder, then renamed.

        ``path`` must be new, empty or an earlier stance model (``stance.outputs``).
        """
        from .outputs import check_model_folder, replace_folder

        path = Path(path)
        check_model_folder(path)
        tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
        if tmp.exists():
            shutil.rmtree(tmp)
        try:
            tmp.mkdir(parents=True)
            with quiet_transformers():
                self.model_.save_pretrained(tmp)
                self.tokenizer_.save_pretrained(tmp)
            (tmp / "dispute.toml").write_text(self.dispute_.source, encoding="utf-8")
            (tmp / "training_summary.json").write_text(json.dumps(self.summary_, indent=2))
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        replace_folder(tmp, path)
        return path

    @classmethod
    def load(cls, path: str | os.PathLike) -> "StanceClassifier":
        """A saved model: a folder (format 4, or 3 converted on load) or a hub id (``stance.modeling.saved``)."""
        from transformers import AutoTokenizer

        from .modeling.network import StanceModel
        from .modeling.saved import LEGACY_MARKER, load_legacy, local_folder
        from .errors import InputError

        folder = local_folder(path)
        summary_file = folder / "training_summary.json"
        summary = json.loads(summary_file.read_text()) if summary_file.exists() else {}
        with quiet_transformers():
            if (folder / LEGACY_MARKER).is_file():
                network, arguments = load_legacy(folder)
            else:
                network = StanceModel.from_pretrained(str(folder), use_safetensors=True).eval()
                arguments = summary.get("arguments", {})
                if network.config.format_version != FORMAT_VERSION:
                    raise InputError(f"model format {network.config.format_version} is not {FORMAT_VERSION}: "
                                     "retrain it", path)
            tokenizer = AutoTokenizer.from_pretrained(str(folder))
        dispute = load_dispute(folder / "dispute.toml")
        model = cls(dispute, TrainingArguments(**arguments))
        model.model_, model.tokenizer_, model.dispute_, model.summary_ = network, tokenizer, dispute, summary
        return model
