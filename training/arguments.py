"""How to train a stance model; saved with the model (``training_summary.json``) so a run can be repeated."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from stance.modeling.encoders import resolve_encoder


@dataclass
class TrainingArguments:
    """How to train; saved beside the model so a run can be repeated."""

    # None: the default encoder (all-mpnet-base-v2, or $STANCE_ENCODER); or a packaged encoder's name
    # (all-mpnet-base-v2, all-MiniLM-L6-v2), a folder, or a hub id (the only path to the network)
    base_model: Optional[str] = None
    method: str = "auto"  # auto | finetune | fewshot
    epochs: int = 8
    learning_rate: float = 6e-5
    head_learning_rate: float = 2e-3
    batch_size: int = 16
    max_length: int = 160
    seed: int = 42
    class_weights: bool = True
    patience: int = 3
    dev_fraction: float = 0.15
    warmup_ratio: float = 0.1
    weight_decay: float = 0.01
    group_loss_weight: float = 0.5
    fewshot_max_claims: int = 150  # below this many claims, auto picks the few-shot method
    dropout: float = 0.1
    # Share of training examples whose speaker group is hidden from the input: the group head
    # learns on those (it must not read the answer), the stance head on all, so it copes
    # with a group the head guessed as well as with one that knowledge gave.
    group_mask_rate: float = 0.4

    def resolved_base_model(self) -> str:
        return resolve_encoder(self.base_model)
