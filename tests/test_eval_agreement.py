"""stance eval agreement: kappa per field on paired claims, span agreement by the matching rule, disagreements."""

from __future__ import annotations

import json

import pytest

from stance.cli import main
from stance.eval.agreement import agreement
from stance.records import Claim

S1 = "The American military said the air strike was unintentional, but the Pakistani military rejected this stand."
S2 = "ISPR said no fire came from the posts."


def rec(i, sentence, claim, stance, group, speaker="x", doc="d1"):
    return Claim(id=f"{doc}-{i}", doc_id=doc, sentence=sentence, claim=claim, speaker=speaker,
                 speaker_group=group, stance=stance)


A = [rec(1, S1, "the air strike was unintentional", "us", "us", "The American military"),
     rec(2, S1, "rejected this stand", "pakistan_military", "pakistan_military", "the Pakistani military"),
     rec(3, S2, "no fire came from the posts", "pakistan_military", "pakistan_military", "ISPR")]
B = [rec(1, S1, "the air strike was unintentional", "us", "us", "the American military"),
     rec(2, S1, "the Pakistani military rejected this stand", "neutral", "pakistan_military", "the Pakistani military"),
     rec(4, S2, "ISPR said", "neutral", "other")]  # too little overlap with A's claim 3: no pair


def test_pairs_kappa_and_disagreements():
    result = agreement(A, B)
    assert result.pairs == 2 and result.span_f1 == pytest.approx(4 / 6) and result.exact_spans == 1
    assert result.kappa["speaker_group"] == 1.0
    assert agreement(A[:1], B[:1]).kappa["stance"] is None  # one label on both sides: undefined, said so
    assert result.observed["stance"] == 0.5 and result.kappa["stance"] == pytest.approx(1 / 3)  # (0.5 - 0.25) / 0.75
    assert result.observed["speaker"] == 1.0  # case and spacing of a mention are not a disagreement
    assert [c.id for c in result.only_a] == ["d1-3"] and [c.id for c in result.only_b] == ["d1-4"]
    assert result.differences[0][2] == ["claim", "stance"]


def test_identical_files_agree_fully():
    result = agreement(A, A)
    assert result.span_f1 == 1.0 and result.kappa["stance"] == 1.0 and not result.differences


def write(path, claims):
    path.write_text("".join(json.dumps(c.to_json(spans=False)) + "\n" for c in claims))
    return str(path)


def test_cli_text_and_json(tmp_path, capsys):
    a, b = write(tmp_path / "a.jsonl", A), write(tmp_path / "b.jsonl", B)
    assert main(["eval", "agreement", a, b]) == 0
    out = capsys.readouterr().out
    assert "span F1 0.667" in out and "only in" in out and "stance: 'pakistan_military' / 'neutral'" in out
    assert main(["eval", "agreement", a, b, "--format", "json", "--out", str(tmp_path / "r.json")]) == 0
    assert json.loads((tmp_path / "r.json").read_text())["pairs"] == 2


def test_cli_bad_input_names_file_and_line(tmp_path, capsys):
    a = write(tmp_path / "a.jsonl", A)
    bad = tmp_path / "b.jsonl"
    bad.write_text(json.dumps(B[0].to_json(spans=False)) + "\n{not json\n")
    assert main(["eval", "agreement", a, str(bad)]) == 2
    err = capsys.readouterr().err
    assert f"{bad}:2: invalid JSON" in err and "Traceback" not in err
    assert main(["eval", "agreement", a, str(tmp_path / "missing.jsonl")]) == 2
    assert "missing.jsonl: no such file" in capsys.readouterr().err
