"""Nothing touches the network at run time unless the user passes a hub id."""

import socket

import pytest

from conftest import SEED


@pytest.fixture
def no_network(monkeypatch):
    attempts = []

    def refuse(self, address, *a, **k):
        attempts.append(address)
        raise OSError(f"network access attempted: {address}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: attempts.append(a) or (_ for _ in ()).throw(OSError("dns")))
    return attempts


def test_pipeline_and_packaged_encoder_stay_offline(no_network, tiny_encoder, dispute, tmp_path):
    from stance.classifier import StanceClassifier, TrainingArguments, packaged_encoder
    from stance.cli import main
    from stance.models import default_model_key
    from synthetic import synthetic_claims

    args = TrainingArguments(method="fewshot")
    assert args.resolved_base_model() == packaged_encoder()
    default_model_key(dispute)  # hashing the default model's inputs reads local files only
    real = StanceClassifier(dispute, args)
    real._init_net()  # the packaged all-MiniLM-L6-v2 loads from site-packages
    tiny = StanceClassifier(dispute, TrainingArguments(base_model=tiny_encoder, method="finetune", epochs=1))
    tiny.fit(synthetic_claims(), output_dir=tmp_path / "m", progress=False, log=lambda m: None)
    assert main(["--no-progress", "score", str(SEED), "--model", str(tmp_path / "m"), "--format", "jsonl",
                 "--out", str(tmp_path / "out.jsonl")]) == 0
    assert no_network == []
