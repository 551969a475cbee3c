"""The fine-tuning harness: data loading and checks, full fine-tuning, the few-shot method."""

from .data import DATA_DIR, load_training_data, split_by_document
from .arguments import TrainingArguments
from .trainer import train

__all__ = ["DATA_DIR", "TrainingArguments", "load_training_data", "split_by_document", "train"]
