"""Shared fixtures: the default dispute, a tiny random BERT, the shared corpus when present."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEED = REPO / "training" / "data" / "articles" / "seed_article.txt"
SEED_GOLD = REPO / "training" / "data" / "claims" / "seed_article.jsonl"

os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


@pytest.fixture(scope="session")
def dispute():
    from stance.dispute import load_dispute

    return load_dispute()


@pytest.fixture(scope="session")
def tiny_encoder(tmp_path_factory) -> str:
    """A randomly initialised 2-layer BERT with MiniLM's tokenizer: fast, and needs no download."""
    from transformers import AutoTokenizer, BertConfig, BertModel
    import torch

    from stance.classifier import packaged_encoder

    path = tmp_path_factory.mktemp("tiny-bert")
    torch.manual_seed(0)
    config = BertConfig(vocab_size=30522, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                        intermediate_size=64, max_position_embeddings=256)
    BertModel(config).save_pretrained(path)
    AutoTokenizer.from_pretrained(packaged_encoder()).save_pretrained(path)
    return str(path)


@pytest.fixture(scope="session")
def seed_claims(dispute):
    from stance.io import read_claims

    return read_claims([SEED_GOLD], dispute)
