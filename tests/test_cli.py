import csv
import io
import json

import pytest

from stance.cli import main

from conftest import SEED
from synthetic import synthetic_claims


@pytest.fixture(scope="module")
def tiny_model(tiny_encoder, dispute, tmp_path_factory):
    from stance.classifier import StanceClassifier, TrainingArguments

    path = tmp_path_factory.mktemp("model") / "tiny"
    args = TrainingArguments(base_model=tiny_encoder, method="finetune", epochs=1, max_length=64)
    StanceClassifier(dispute, args).fit(synthetic_claims(), output_dir=path, progress=False, log=lambda m: None)
    return str(path)


def test_claims_jsonl_spans_index_the_file(capsys):
    assert main(["--no-progress", "claims", str(SEED), "--format", "jsonl"]) == 0
    text = SEED.read_text(encoding="utf-8")
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(rows) >= 12
    for row in rows:
        assert row["doc_id"] == "seed_article"
        s, e = row["claim_span"]
        assert text[s:e] == row["claim"]
        if row["speaker_span"]:
            s, e = row["speaker_span"]
            assert text[s:e] == row["speaker"]
        assert row["claim"] in row["sentence"]


def test_bad_files_are_reported_and_the_rest_still_written(tmp_path, capsys):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    binary = tmp_path / "blob.txt"
    binary.write_bytes(b"\x00\xff\x00\xfe" * 10)
    latin = tmp_path / "latin1.txt"
    latin.write_bytes("The minister said the café was closed.".encode("latin-1"))
    out = tmp_path / "claims.csv"
    code = main(["--no-progress", "claims", str(empty), str(SEED), str(binary), str(latin),
                 str(tmp_path / "missing.txt"), "--format", "csv", "--out", str(out)])
    assert code == 2
    err = [line for line in capsys.readouterr().err.splitlines() if not line.startswith("stance: wrote")]
    assert len(err) == 4
    for path in (empty, binary, latin, tmp_path / "missing.txt"):
        assert sum(str(path) in line for line in err) == 1
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert rows and {r["doc_id"] for r in rows} == {"seed_article"}


def test_folder_and_glob(tmp_path, capsys):
    (tmp_path / "a.txt").write_text("The ISPR said the posts were hit without warning.\n")
    (tmp_path / "b.txt").write_text("A NATO spokesman said the matter was under investigation.\n")
    assert main(["--no-progress", "claims", str(tmp_path), "--format", "jsonl"]) == 0
    assert {json.loads(l)["doc_id"] for l in capsys.readouterr().out.splitlines()} == {"a", "b"}
    assert main(["--no-progress", "claims", str(tmp_path / "*.txt"), "--format", "jsonl"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 2


def test_score_formats(tiny_model, tmp_path, capsys):
    assert main(["--no-progress", "score", str(SEED), "--model", tiny_model, "--format", "jsonl"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert rows and all(set(r["stance_scores"]) == {"us", "pakistan_military", "neutral"} for r in rows)
    assert all(abs(sum(r["speaker_group_scores"].values()) - 1) < 1e-3 for r in rows)
    assert main(["--no-progress", "score", str(SEED), "--model", tiny_model, "--format", "csv"]) == 0
    table = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    sentences = {r["sentence_index"] for r in table}
    assert len(sentences) >= 20  # every sentence has a row, with or without claims
    assert any(r["claim"] == "" for r in table)
    page = tmp_path / "seed.html"
    assert main(["--no-progress", "score", str(SEED), "--model", tiny_model, "--format", "html",
                 "--out", str(page)]) == 0
    html = page.read_text()
    assert html.count("<mark") == len(rows) and "class=speaker" in html and "stance:" in html
    assert main(["--no-progress", "score", str(SEED), "--model", tiny_model]) == 0
    assert "claims per stance" in capsys.readouterr().out


def test_classify_needs_only_four_fields(tiny_model, tmp_path, capsys):
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"id": "1", "sentence": "The army said it was deliberate.",
                                "claim": "it was deliberate", "speaker": "The army", "stance": "ignored"}) + "\n")
    assert main(["classify", str(path), "--model", tiny_model]) == 0
    row = json.loads(capsys.readouterr().out)
    assert row["stance"] in ("us", "pakistan_military", "neutral") and "stance_scores" in row


def test_train_stops_on_bad_data_before_training(tmp_path, capsys, seed_claims):
    good = tmp_path / "good.jsonl"
    good.write_text("".join(json.dumps(c.to_json(spans=False)) + "\n" for c in seed_claims))
    bad = tmp_path / "bad.jsonl"
    first = seed_claims[0].to_json(spans=False)
    bad.write_text("\n".join([
        json.dumps({k: v for k, v in first.items() if k != "speaker"}),
        json.dumps(first | {"id": "x2", "speaker_group": "martians"}),
        json.dumps(first | {"id": "x3", "claim": "words that are not there"}),
        "{oops",
    ]) + "\n")
    out = tmp_path / "model"
    assert main(["--no-progress", "train", str(good), str(bad), "--out", str(out)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert [line.split(": ")[1] for line in err] == [f"{bad}:{n}" for n in (1, 2, 3, 4)]
    assert not out.exists()


def test_missing_model_folder(tmp_path, capsys):
    assert main(["score", str(SEED), "--model", str(tmp_path / "nope")]) == 2
    assert "no such model folder" in capsys.readouterr().err


def test_tagger_option_names_a_missing_tagger(tmp_path, capsys):
    assert main(["claims", str(SEED), "--tagger", str(tmp_path / "no-tagger")]) == 2
    err = capsys.readouterr().err
    assert "no attribution tagger built here" in err and str(tmp_path / "no-tagger") in err
