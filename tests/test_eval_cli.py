"""``stance eval``: arguments, the files it writes, and one-line input errors."""

import argparse
import json

import pytest

import stance
from stance.eval import cli
from eval_fixtures import FakeModel, make_gold
from stance.errors import InputError
from stance.io import dumps_jsonl


def _parser():
    root = argparse.ArgumentParser(prog="stance")
    eval_parser, eval_sub = cli.add_parser(root.add_subparsers(dest="command"))
    return root, eval_parser, eval_sub


def test_arguments_and_an_attribution_sub_command_beside_them():
    root, _, eval_sub = _parser()
    attribution = eval_sub.add_parser("attribution")
    attribution.add_argument("--brat")
    attribution.set_defaults(func="attribution")
    args = root.parse_args(["eval", "--data", "g.jsonl", "--model", "a", "b", "--model", "c", "--cv", "5",
                            "--out", "o"])
    assert (args.func, args.data, args.model, args.cv, args.eval_command) == (cli.run, "g.jsonl", ["a", "b", "c"], 5, None)
    assert not hasattr(args, "dispute")  # a root --dispute is never overwritten
    args = root.parse_args(["eval", "attribution", "--brat", "ann"])
    assert (args.func, args.brat, args.eval_command) == ("attribution", "ann", "attribution")
    with pytest.raises(SystemExit):
        root.parse_args(["eval", "--data", "g", "--cv", "3", "--train", "t.jsonl"])


@pytest.fixture
def gold_file(tmp_path):
    gold = make_gold(10, 100)
    path = tmp_path / "gold.jsonl"
    path.write_text(dumps_jsonl(c.to_json(spans=False) for c in gold))
    return gold, path


def _run(argv):
    root, _, _ = _parser()
    return cli.run(root.parse_args(["eval"] + argv))


def test_run_writes_the_four_files(gold_file, tmp_path, monkeypatch, capsys):
    gold, path = gold_file
    monkeypatch.setattr(stance, "load_model", lambda spec: FakeModel(seed=len(spec)), raising=False)
    (tmp_path / "saved").mkdir()
    out = tmp_path / "report"
    assert _run(["--data", str(path), "--model", "default", str(tmp_path / "saved"), "--baselines",
                 "majority,tfidf_lr,gazetteer", "--bootstrap", "200", "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["metrics.json", "predictions.jsonl", "report.html", "report.md"]
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["schema_version"] == 1 and metrics["data"]["gold"] == str(path)
    assert list(metrics["models"]) == ["default", str(tmp_path / "saved")]
    assert list(metrics["baselines"]) == ["majority", "tfidf_lr", "gazetteer"]
    rows = (out / "predictions.jsonl").read_text().splitlines()
    assert len(rows) == 2 * len(gold)
    summary = capsys.readouterr().out
    f1 = metrics["models"]["default"]["tasks"]["stance"]["macro_f1"]
    headline = f"{f1['value']:.3f} [{f1['ci_low']:.3f}, {f1['ci_high']:.3f}]"
    assert headline in summary
    assert headline in (out / "report.md").read_text() and headline in (out / "report.html").read_text()


def test_transformer_needs_folds_or_training_data(gold_file):
    _, path = gold_file
    with pytest.raises(InputError, match="--model transformer is a fresh classifier: it needs --cv K"):
        _run(["--data", str(path), "--model", "transformer", "--out", "o"])


def test_input_errors_are_one_line(gold_file, tmp_path, monkeypatch):
    gold, path = gold_file
    with pytest.raises(InputError, match="no such model folder"):
        _run(["--data", str(path), "--model", str(tmp_path / "missing"), "--out", "o"])
    monkeypatch.setattr(stance, "load_model", lambda spec: FakeModel(), raising=False)
    with pytest.raises(InputError, match="needs --data"):
        _run(["--out", "o"])
    with pytest.raises(InputError, match="unknown baseline 'bert'"):
        _run(["--data", str(path), "--baselines", "majority,bert", "--out", "o"])
    (tmp_path / "articles").mkdir()
    with pytest.raises(InputError) as err:
        _run(["--data", str(path), "--articles", str(tmp_path / "articles"), "--baselines", "none", "--out", "o"])
    assert "no article for doc_id 'doc000'" in str(err.value) and "\n" not in str(err.value)
    bad = tmp_path / "bad.jsonl"
    bad.write_text(path.read_text().replace('"stance": "us"', '"stance": "maybe"', 1))
    with pytest.raises(InputError, match="bad.jsonl:[0-9]+: unknown stance label 'maybe'"):
        _run(["--data", str(bad), "--out", "o"])


def test_the_stance_command_exits_2_with_one_line(gold_file, tmp_path, monkeypatch, capsys):
    from stance.cli import main

    gold, path = gold_file
    model = FakeModel({"stance": ["us", "neutral"], "speaker_group": FakeModel().labels["speaker_group"]})
    monkeypatch.setattr(stance, "load_model", lambda spec: model, raising=False)
    assert main(["eval", "--data", str(path), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "stance label 'pakistan_military' is unknown to model default (it knows us, neutral)" in err
    assert f"{path}:" in err
