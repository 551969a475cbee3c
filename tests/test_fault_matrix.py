"""The fault matrix: every command x every input class x every output case.

For each case: the exit code; one stderr line per problem, naming the file
(and the line, for a bad JSONL line); the other inputs still processed (the
article and JSONL commands get a good file beside the bad one; ``train`` and
``eval`` stop before any work on bad data, by design); no traceback; no
half-written or stale output; no input or other user file changed, deleted
or moved; no temporary file left behind.

Kept fast: in process through ``stance.cli.main``, a tiny model loaded once,
small inputs, and the "huge" classes made huge relative to limits lowered
for the test (``MAX_BLOCK_CHARS``, ``WINDOW_CHARS``); tests/test_faults.py
has the real sizes.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from stance.outputs import is_model_folder

from fault_fixtures import GOOD_ARTICLE, cli, fit_tiny_model, jsonl, make_read_only, problems, records, snapshot

OUTPUTS = ("new", "existing file", "existing folder", "read-only")
FILE_COMMANDS = ("claims", "score", "classify")  # --out FILE
ARTICLE_COMMANDS = ("claims", "score")

RUN_ON = "The " + "very " * 300 + "angry spokesman said the strike was deliberate.\n"
NON_LATIN = ("Министр заявил, что удар был преднамеренным и ничем не спровоцированным.\n\n"
             "巴基斯坦军方表示，这次空袭是蓄意的，没有受到任何挑衅。\n\n"
             "فوج کے ترجمان نے کہا کہ حملہ جان بوجھ کر کیا گیا اور یہ بلا اشتعال تھا۔\n\n"
             "The army said the strike was deliberate.\n")
QUOTES = ('"“”‘’\'«» ' * 30 + '.\n\n' + '"' * 400 + '.\n\n' + "“ ” “ ” ‘ ’ " * 40 + "said.\n")
UNBALANCED = ('The army said "the strike was deliberate and unprovoked.\n\n'
              'A US official said “forces acted in self-defence.\n\n“He said” it was ” over ‘ and\' done.\n')


def long_paragraph() -> str:
    sentences = [f"Officer {i} said the posts were hit without warning." for i in range(45)]
    return " ".join(sentences) + "\n"


def many_paragraphs() -> str:
    return "".join(f"Official {i} said the strike on post {i} was deliberate.\n\n" for i in range(60))


# name: (bytes of the file, or None: not created), expected exit code, a word of the one-line problem, line
ARTICLE_INPUTS = {
    "missing": (None, 2, "no such file", None),
    "empty": (b"", 2, "empty file", None),
    "whitespace": (b"  \n\t \r\n\n   ", 2, "empty file (only white space)", None),
    "binary": (bytes(range(256)) * 16, 2, "binary file", None),
    "control bytes": (bytes(range(1, 9)) * 2500, 2, "binary data", None),
    "UTF-16": (GOOD_ARTICLE.encode("utf-16"), 2, "UTF-16 text", None),
    "Latin-1": ("Le ministre a dit que le café était fermé.\n".encode("latin-1"), 2, "Latin-1", 1),
    "BOM": (b"\xef\xbb\xbf" + GOOD_ARTICLE.encode(), 0, None, None),
    "CRLF": (GOOD_ARTICLE.replace("\n", "\r\n").encode(), 0, None, None),
    "huge paragraph": (long_paragraph().encode(), 0, None, None),
    "huge file": (many_paragraphs().encode(), 0, None, None),
    "unbalanced quotes": (UNBALANCED.encode(), 0, None, None),
    "only quotes": (QUOTES.encode(), 0, None, None),
    "very long names": (RUN_ON.encode(), 0, None, None),
    "non-Latin scripts": (NON_LATIN.encode(), 0, None, None),
    "duplicate ids": (GOOD_ARTICLE.encode(), 2, "same doc_id 'good'", None),  # dup/good.txt beside good.txt
}


def _rows(change=None, n_docs: int = 12) -> list:
    rows = records("bad", n_docs)
    if change:
        change(rows)
    return rows


def _set(i, **fields):
    return lambda rows: rows[i].update(fields)


def _jsonl_inputs() -> dict:
    good = jsonl(_rows())
    latin = jsonl(_rows(_set(1, sentence="Le ministre a dit que le café était fermé.", claim="le café était fermé")))
    long_sentence = "The army said " + "that the posts were hit, " * 8000 + "and it was deliberate."
    return {
        "missing": (None, 2, "no such file", None),
        "empty": (b"", 2, "empty file (no claim records)", None),
        "whitespace": (b"  \n\t \r\n\n   ", 2, "empty file (no claim records)", None),
        "binary": (bytes(range(256)) * 16, 2, "binary file", None),
        "control bytes": (bytes(range(1, 9)) * 2500, 2, "binary data", None),
        "UTF-16": (good.encode("utf-16"), 2, "UTF-16 text", None),
        "Latin-1": (latin.encode("latin-1"), 2, "Latin-1", 2),
        "BOM": (b"\xef\xbb\xbf" + good.encode(), 0, None, None),
        "CRLF": (good.replace("\n", "\r\n").encode(), 0, None, None),
        "huge paragraph": (jsonl(_rows(_set(0, sentence=long_sentence, claim="it was deliberate"))).encode(),
                           0, None, None),
        "huge file": (jsonl(_rows(n_docs=40)).encode(), 0, None, None),
        "unbalanced quotes": (jsonl(_rows(_set(0, sentence='The army said "the strike was deliberate.',
                                               claim='"the strike was deliberate'))).encode(), 0, None, None),
        "only quotes": (jsonl(_rows(_set(0, sentence='"“”‘’"', claim="“”"))).encode(), 0, None, None),
        "very long names": (jsonl(_rows(_set(0, speaker="a spokesman " * 500))).encode(), 0, None, None),
        "non-Latin scripts": (jsonl(_rows(_set(0, sentence="فوج نے کہا کہ حملہ جان بوجھ کر کیا گیا۔",
                                               claim="حملہ جان بوجھ کر کیا گیا", speaker="فوج"))).encode(),
                              0, None, None),
        "malformed JSONL lines": (jsonl(_rows(lambda rows: rows.insert(2, '{"id": "oops", '))).encode(),
                                  2, "invalid JSON", 3),
        "unknown labels": (jsonl(_rows(_set(1, stance="martians"))).encode(), 2, "unknown stance label", 2),
        "duplicate ids": (jsonl(_rows(lambda rows: rows[2].update(id=rows[0]["id"]))).encode(),
                          2, "duplicate id", 3),
    }


JSONL_INPUTS = _jsonl_inputs()


def _cases():
    for command in ("claims", "score", "classify", "train", "eval"):
        inputs = ARTICLE_INPUTS if command in ARTICLE_COMMANDS else JSONL_INPUTS
        for name in inputs:
            for output in OUTPUTS:
                yield pytest.param(command, name, output, id=f"{command}-{name}-{output}")


@pytest.fixture(scope="module")
def tiny_model(tiny_encoder, dispute, tmp_path_factory):
    return fit_tiny_model(tiny_encoder, dispute, tmp_path_factory.mktemp("matrix") / "tiny")


@pytest.fixture(scope="module")
def loaded():
    return {}


@pytest.fixture(autouse=True)
def small_limits_and_one_model_load(monkeypatch, loaded):
    """"Huge" relative to limits lowered for the test; the tiny model loaded once for the module."""
    import stance.models
    import stance.pipeline
    import stance.reader

    monkeypatch.setattr(stance.reader, "MAX_BLOCK_CHARS", 800)  # the huge paragraph: 2,500 characters
    monkeypatch.setattr(stance.pipeline, "WINDOW_CHARS", 1_000)  # the huge file: 3,500 characters
    real = stance.models.load_model

    def load_once(path=None, **kwargs):
        if str(path) not in loaded:
            loaded[str(path)] = real(path, **kwargs)
        return loaded[str(path)]

    monkeypatch.setattr(stance.models, "load_model", load_once)


def _place_output(command: str, output: str, root: Path, monkeypatch) -> Path:
    name = {"train": "model", "eval": "report"}.get(command, "result.jsonl")
    if output == "read-only":
        return make_read_only(root / "ro", monkeypatch) / name
    out = root / "out" / name
    if output == "existing file":
        out.parent.mkdir()
        out.write_text("old\n")
    elif output == "existing folder":
        out.mkdir(parents=True)
        (out / "notes.txt").write_text("mine\n")
    return out


def _refused(command: str, output: str) -> bool:
    if output in ("existing folder", "read-only"):
        return True
    return output == "existing file" and command in ("train", "eval")


@pytest.mark.parametrize("command, name, output", list(_cases()))
def test_fault_matrix(command, name, output, tmp_path, capsys, monkeypatch, tiny_model, tiny_encoder):
    article = command in ARTICLE_COMMANDS
    data, expected, message, line = (ARTICLE_INPUTS if article else JSONL_INPUTS)[name]
    if command == "classify" and name == "unknown labels":
        expected, message = 0, None  # classify reads id, sentence, claim and speaker; labels are ignored
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    bad = inputs / ("dup" if name == "duplicate ids" and article else "") / (
        ("good" if name == "duplicate ids" and article else "case") + (".txt" if article else ".jsonl"))
    if data is not None:
        bad.parent.mkdir(exist_ok=True)
        bad.write_bytes(data)
    good = inputs / ("good.txt" if article else "good.jsonl")
    good.write_text(GOOD_ARTICLE if article else jsonl(records("good")[:3]))
    out = _place_output(command, output, tmp_path, monkeypatch)
    given = [good, bad] if command in FILE_COMMANDS else [bad]
    argv = {
        "claims": ["claims", *given, "--format", "jsonl"],
        "score": ["score", *given, "--model", tiny_model, "--format", "jsonl"],
        "classify": ["classify", *given, "--model", tiny_model, "--format", "jsonl"],
        "train": ["train", *given, "--base-model", tiny_encoder, "--method", "fewshot"],
        "eval": ["eval", "--data", *given, "--model", tiny_model, "--baselines", "none", "--bootstrap", "10"],
    }[command] + ["--out", out]
    before = snapshot(tmp_path)

    code, stdout, err = cli(capsys, *argv)

    assert all(line.startswith("stance: ") for line in err) and "Traceback" not in stdout, err
    after = snapshot(tmp_path)
    if _refused(command, output):
        assert code == 2 and len(err) == 1 and str(out) in err[0], err  # one line, before any work
        assert after == before
        return
    assert code == expected, err
    reported = problems(err)
    if message:
        assert len(reported) == 1 and message in reported[0], reported
        assert str(bad) in reported[0] and (line is None or f"{bad}:{line}: " in reported[0]), reported
    else:
        assert reported == [], reported
    for path, content in before.items():  # inputs and every other file as they were
        if not path.startswith("out"):
            assert after.get(path, "gone") == content, path
    created = {p for p in after if p not in before or after[p] != before[p]}
    target = out.relative_to(tmp_path)
    allowed = {str(target), *(str(parent) for parent in target.parents)}
    assert all(p in allowed or p.startswith(f"{target}/") for p in created), created  # no temporary file, no old copy
    if command in FILE_COMMANDS:
        rows = [json.loads(row) for row in out.read_text().splitlines()]
        key = "doc_id" if article else "id"
        assert any(str(r[key]).startswith("good") for r in rows)  # the good input still processed
    elif command == "train":
        assert is_model_folder(out) == (code == 0)
        assert code == 0 or not out.exists()
    else:
        names = {"report.html", "report.md", "metrics.json", "predictions.jsonl"}
        assert (set(p.name for p in out.iterdir()) == names) if code == 0 else not out.exists()


@pytest.mark.parametrize("argv, message", [
    (["model", "info", "{tmp}/nope"], "not a stance model folder"),
    (["eval", "attribution", "--brat", "{tmp}/nope"], "no such folder"),
    (["eval", "attribution", "--brat", "{tmp}", "--report", "{tmp}/a.txt"], "exists and is not a folder"),
    (["eval", "attribution", "--brat", "{tmp}", "--report", "{tmp}"], "pass --force"),
    (["eval", "attribution", "--brat", "{tmp}", "--out", "{tmp}"], "is a folder: --out takes a file name"),
    (["eval", "--data", "{tmp}/gold.jsonl"], "needs --data GOLD.jsonl and --out DIR"),
    (["score", "{tmp}/a.txt", "--model", "{tmp}/nope"], "no such model folder"),
    (["classify", "{tmp}/a.jsonl", "--model", "{tmp}"], "not a stance model folder"),
    (["train", "{tmp}/gold.jsonl", "--out", "{tmp}/gold.jsonl/model"], "is a file, not a folder"),
])
def test_other_commands_and_options_fail_in_one_line(argv, message, tmp_path, capsys):
    (tmp_path / "a.txt").write_text(GOOD_ARTICLE)
    (tmp_path / "a.jsonl").write_text(jsonl(records()[:2]))
    (tmp_path / "gold.jsonl").write_text(jsonl(records()))
    before = snapshot(tmp_path)
    code, _, err = cli(capsys, *[a.format(tmp=tmp_path) for a in argv])
    assert code == 2 and len(err) == 1 and err[0].startswith("stance: ") and message in err[0], err
    assert snapshot(tmp_path) == before


def test_a_bug_is_one_line_that_says_where_to_report_it(tmp_path, capsys, monkeypatch):
    import stance.pipeline

    def broken(*args, **kwargs):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(stance.pipeline, "extract_documents", broken)
    (tmp_path / "a.txt").write_text(GOOD_ARTICLE)
    code, out, err = cli(capsys, "claims", tmp_path / "a.txt", "--out", tmp_path / "out.jsonl")
    assert code == 1 and out == "" and len(err) == 1
    assert err[0].startswith("stance: internal error (ZeroDivisionError: division by zero): a bug in stance")
    assert "please report it to" in err[0] and "details saved in" in err[0]
    crash = Path(err[0].rsplit("details saved in ", 1)[1])
    assert "Traceback" in crash.read_text() and "ZeroDivisionError" in crash.read_text()
    crash.unlink()
    assert not (tmp_path / "out.jsonl").exists()


def test_interrupted_is_130_and_leaves_no_partial_output(tmp_path, capsys, monkeypatch):
    import stance.pipeline

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(stance.pipeline, "extract_documents", interrupted)
    (tmp_path / "a.txt").write_text(GOOD_ARTICLE)
    (tmp_path / "out.jsonl").write_text("old\n")
    code, _, err = cli(capsys, "claims", tmp_path / "a.txt", "--out", tmp_path / "out.jsonl")
    assert code == 130 and err == ["stance: interrupted"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "out.jsonl"]
    assert (tmp_path / "out.jsonl").read_text() == "old\n"


def test_usage_errors_are_exit_code_2(capsys):
    code, _, err = cli(capsys, "claims")
    assert code == 2 and err[0].startswith("usage: stance claims")
