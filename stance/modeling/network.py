"""``StanceModel``: a transformer encoder, claim-aware pooling, a stance head and a speaker-group head."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import torch
from transformers import AutoModel, PreTrainedModel
from transformers.utils import ModelOutput

from .config import TASKS, StanceConfig


@dataclass
class StanceModelOutput(ModelOutput):
    """``logits``: the stance head's (columns in ``config.id2label`` order); the group head's beside them."""

    logits: Optional[torch.FloatTensor] = None
    speaker_group_logits: Optional[torch.FloatTensor] = None
    pooled: Optional[torch.FloatTensor] = None


#: Which output field holds each task's logits.
LOGITS = {"stance": "logits", "speaker_group": "speaker_group_logits"}


class StanceModel(PreTrainedModel):
    """The mean of all tokens beside the mean of the claim's tokens; one linear head per task.

    Pooling the claim's own tokens is what lets two claims of one sentence
    differ: the sentence-wide mean alone is nearly the same for both.
    Without a ``claim_mask`` the whole input counts as the claim.
    """

    config_class = StanceConfig
    base_model_prefix = "encoder"
    supports_gradient_checkpointing = False
    _supports_sdpa = True

    def __init__(self, config: StanceConfig, encoder: PreTrainedModel | None = None):
        super().__init__(config)
        # The encoder's config may come in with its attention implementation reset: give it ours.
        config._attn_implementation = config._attn_implementation
        if config.pooling != "mean+claim_mean":
            raise ValueError(f"unknown pooling {config.pooling!r} (stance models pool 'mean+claim_mean')")
        if encoder is not None:  # pretrained: post_init must not draw its weights again
            for module in encoder.modules():
                module._is_hf_initialized = True
        family = type(encoder) if encoder is not None else AutoModel._model_mapping[type(config.encoder)]
        _runnable_attention(config.encoder, family)
        self.encoder = encoder if encoder is not None else AutoModel.from_config(config.encoder)
        _runnable_attention(self.encoder.config, family)
        self.dropout = torch.nn.Dropout(config.classifier_dropout)
        hidden = config.encoder.hidden_size
        sizes = {task: len(labels) for task, labels in config.task_labels.items()}
        self.heads = torch.nn.ModuleDict({t: torch.nn.Linear(2 * hidden, sizes[t]) for t in TASKS})
        self.post_init()

    def _init_weights(self, module):
        """Heads keep PyTorch's default initialisation (what every stance model was trained from)."""

    @classmethod
    def with_encoder(cls, encoder: PreTrainedModel, labels: dict[str, list[str]], **config) -> "StanceModel":
        """A model on a loaded ``encoder``, heads freshly drawn from torch's generator (the caller seeds it).

        ``config``: ``StanceConfig`` fields (``dispute``, ``max_tokens``, ``classifier_dropout``...).
        """
        return cls(StanceConfig.for_labels(encoder.config, labels, **config), encoder=encoder)

    def embed(self, input_ids, attention_mask, claim_mask=None, token_type_ids=None) -> torch.Tensor:
        out = self.encoder(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)
        hidden = out.last_hidden_state

        def mean(mask):
            mask = mask.unsqueeze(-1).to(hidden.dtype)
            return (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)

        claim_mask = attention_mask if claim_mask is None else claim_mask
        return torch.cat([mean(attention_mask), mean(claim_mask)], dim=-1)

    def forward(self, input_ids, attention_mask, claim_mask=None, token_type_ids=None, **kwargs) -> StanceModelOutput:
        pooled = self.embed(input_ids, attention_mask, claim_mask, token_type_ids)
        dropped = self.dropout(pooled)
        return StanceModelOutput(logits=self.heads["stance"](dropped),
                                 speaker_group_logits=self.heads["speaker_group"](dropped), pooled=pooled)


def _runnable_attention(config, family: type) -> None:
    """Eager attention for an encoder family with no SDPA path (MPNet), in place.

    The stance model asks for SDPA and transformers hands that to the encoder's config. A
    family without SDPA would refuse to load, or (MPNet) build SDPA's boolean padding mask
    and add it to its scores as 0/1, leaving the padding unmasked.
    """
    if config._attn_implementation == "sdpa" and not family._supports_sdpa:
        config._attn_implementation = "eager"


AutoModel.register(StanceConfig, StanceModel, exist_ok=True)
