"""The ``stance-classification`` pipeline task: ``pipeline("stance-classification", model=DIR)(text)``.

An input is a claim: a string (the claim is its own sentence, no named
speaker), or a dict with ``claim`` and optionally ``sentence``, ``speaker``
and ``speaker_group`` (a group the caller knows, taken as given, as the
speakers stage's knowledge is).
"""

from __future__ import annotations

from transformers import Pipeline
from transformers.pipelines import PIPELINE_REGISTRY

from ..records import Claim
from .network import StanceModel
from .predict import predict_proba
from .registry import TASK


class StanceClassificationPipeline(Pipeline):
    """Stance and speaker group of one claim, scores for every label."""

    _load_processor = False
    _load_image_processor = False
    _load_feature_extractor = False
    _load_tokenizer = True

    def _sanitize_parameters(self, **kwargs):
        return {}, {}, {}

    def preprocess(self, inputs) -> dict:
        item = {"claim": inputs} if isinstance(inputs, str) else dict(inputs)
        if not item.get("claim"):
            raise ValueError("a stance-classification input needs a claim: a string or a dict with 'claim'")
        claim = Claim("input", "input", item.get("sentence") or item["claim"], item["claim"], item.get("speaker", ""),
                      speaker_group=item.get("speaker_group"))
        claim.speaker_group_source = "given" if item.get("speaker_group") else None
        return {"claim": claim}

    def _forward(self, model_inputs: dict) -> dict:
        return predict_proba(self.model, self.tokenizer, [model_inputs["claim"]])

    def postprocess(self, model_outputs: dict) -> dict:
        """``label`` and ``score`` (the stance, as text-classification names them), the group beside them."""
        out = {}
        for task, labels in self.model.config.task_labels.items():
            scores = {label: float(p) for label, p in zip(labels, model_outputs[task][0])}
            best = max(scores, key=scores.get)
            prefix = "" if task == "stance" else f"{task}_"
            out |= {f"{prefix}label": best, f"{prefix}score": scores[best], f"{prefix}scores": scores}
        return out


if TASK not in PIPELINE_REGISTRY.get_supported_tasks():
    PIPELINE_REGISTRY.register_pipeline(TASK, pipeline_class=StanceClassificationPipeline, pt_model=StanceModel,
                                        type="text")
