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
    from stance.classifier import StanceClassifier, TrainingArguments, new_network, packaged_encoder
    from stance.cli import main
    from stance.models import default_model_key
    from synthetic import synthetic_claims

    args = TrainingArguments(method="fewshot")
    assert args.resolved_base_model() == packaged_encoder("all-mpnet-base-v2")  # the default encoder
    default_model_key(dispute)  # hashing the default model's inputs reads local files only
    for name in ("all-mpnet-base-v2", "all-MiniLM-L6-v2"):  # joined in the cache / from site-packages
        new_network(TrainingArguments(base_model=name), dispute)
    tiny = StanceClassifier(dispute, TrainingArguments(base_model=tiny_encoder, method="finetune", epochs=1))
    tiny.fit(synthetic_claims(), output_dir=tmp_path / "m", progress=False, log=lambda m: None)
    assert main(["--no-progress", "score", str(SEED), "--model", str(tmp_path / "m"), "--format", "jsonl",
                 "--out", str(tmp_path / "out.jsonl")]) == 0
    assert no_network == []


def test_a_cached_hub_id_loads_offline_and_only_an_uncached_one_reaches_out(no_network, tiny_encoder, dispute,
                                                                           tmp_path, monkeypatch):
    """A hub id in the Hugging Face cache needs no network; one that is not cached is the only case that tries."""
    import shutil

    import huggingface_hub.constants
    import numpy as np

    from stance.errors import InputError
    from stance.models import load_model
    from fault_fixtures import fit_tiny_model
    from synthetic import synthetic_claims

    saved = fit_tiny_model(tiny_encoder, dispute, tmp_path / "m")
    cache = tmp_path / "hub"
    repo = cache / "models--someone--tiny-stance"
    shutil.copytree(saved, repo / "snapshots" / ("0" * 40))
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text("0" * 40)
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_CACHE", str(cache))

    claims = synthetic_claims(2)
    np.testing.assert_array_equal(load_model("someone/tiny-stance").predict_proba(claims)["stance"],
                                  load_model(saved).predict_proba(claims)["stance"])
    assert no_network == []
    with pytest.raises(InputError, match="cannot fetch the hub model"):
        load_model("someone/not-cached")
    assert no_network  # the uncached id, and only it, tried the network
