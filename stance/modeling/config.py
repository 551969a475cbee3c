"""``StanceConfig``: everything needed to rebuild the network, saved as ``config.json``."""

from __future__ import annotations

from transformers import AutoConfig, PreTrainedConfig
from transformers.configuration_utils import SubConfigSpec

#: Version of the folder layout. 3: encoder folder + heads.safetensors + stance.json
#: (still loads, ``stance.modeling.legacy``); 4: one Hugging Face model, both heads inside.
FORMAT_VERSION = 4
TASKS = ("stance", "speaker_group")


class StanceConfig(PreTrainedConfig):
    """The base encoder's config, both label maps, the claim markers, pooling and the dispute.

    ``id2label`` / ``label2id`` are the stance head's (what transformers tools
    read); the speaker-group head's labels are ``speaker_group_labels``, in
    the head's order.
    """

    model_type = "stance"
    sub_configs_defaults = {"encoder": SubConfigSpec(config_class=AutoConfig, model_type="bert")}

    encoder: PreTrainedConfig | dict | None = None
    speaker_group_labels: list | None = None
    claim_markers: list | None = None
    pooling: str = "mean+claim_mean"  # the mean of all tokens beside the mean of the claim's tokens
    classifier_dropout: float = 0.1
    max_tokens: int = 160  # input length: the speaker segment keeps at most a third of it
    dispute: str | None = None
    format_version: int = FORMAT_VERSION

    def __post_init__(self, **kwargs):
        super().__post_init__(**kwargs)
        self.speaker_group_labels = list(self.speaker_group_labels or [])
        self.claim_markers = list(self.claim_markers or ["<<", ">>"])

    @property
    def stance_labels(self) -> list[str]:
        return [self.id2label[i] for i in sorted(self.id2label, key=int)] if self.id2label else []

    @property
    def task_labels(self) -> dict[str, list[str]]:
        """Labels per head, in the head's column order."""
        return {"stance": self.stance_labels, "speaker_group": list(self.speaker_group_labels)}

    @classmethod
    def for_labels(cls, encoder: PreTrainedConfig, labels: dict[str, list[str]], **kwargs) -> "StanceConfig":
        return cls(encoder=encoder, id2label=dict(enumerate(labels["stance"])),
                   label2id={label: i for i, label in enumerate(labels["stance"])},
                   speaker_group_labels=list(labels["speaker_group"]), **kwargs)


AutoConfig.register(StanceConfig.model_type, StanceConfig, exist_ok=True)
