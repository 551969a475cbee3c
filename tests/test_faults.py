"""Issue 11's twelve reproductions, one test each, named after them.

Each runs the command a user would (``stance.cli.main`` in process) on a
small input that reproduces the fault, and checks the documented behaviour:
one line per problem naming the file (and line), exit code 2 for bad input,
the other inputs still processed, no traceback, nothing half-written, stale,
deleted or moved.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from stance.cli import main
from stance.errors import InputError
from stance.outputs import is_model_folder

from conftest import REPO
from fault_fixtures import GOOD_ARTICLE, cli, fit_tiny_model, jsonl, make_read_only, problems, records, snapshot


@pytest.fixture(scope="module")
def tiny_model(tiny_encoder, dispute, tmp_path_factory):
    return fit_tiny_model(tiny_encoder, dispute, tmp_path_factory.mktemp("faults") / "tiny")


def no_traceback(err: list[str]) -> bool:
    return all(line.startswith("stance: ") for line in err) and not any("Traceback" in line for line in err)


# 1 ---------------------------------------------------------------------------
def test_1_train_out_never_deletes_or_moves_a_users_folder_or_file(tmp_path, capsys, tiny_encoder, dispute):
    data = tmp_path / "data.jsonl"
    data.write_text(jsonl(records()))
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "a.txt").write_text("my notes\n")
    (tmp_path / "file.txt").write_text("keep\n")
    before = snapshot(tmp_path)
    train = ["train", data, "--base-model", tiny_encoder, "--method", "fewshot", "--out"]
    for out in (notes, tmp_path / "file.txt"):
        code, _, err = cli(capsys, *train, out)
        assert code == 2 and no_traceback(err)
        assert len(problems(err)) == 1 and str(out) in err[0]
    assert snapshot(tmp_path) == before  # nothing deleted, renamed aside or added
    model = tmp_path / "model"
    for _ in range(2):  # a new folder, then the same one again: it holds a stance model, so it is replaced
        code, _, err = cli(capsys, *train, model)
        assert code == 0 and no_traceback(err)
    assert is_model_folder(model)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data.jsonl", "file.txt", "model", "notes"]

    from stance.classifier import StanceClassifier

    with pytest.raises(InputError, match="not a stance model"):  # the Python API refuses the same way
        StanceClassifier.load(model).save(notes)
    assert snapshot(tmp_path / "notes") == snapshot(notes) and (notes / "a.txt").read_text() == "my notes\n"


# 2 ---------------------------------------------------------------------------
RUN_ON = "The " + "very " * 300 + "angry spokesman said the strike was deliberate.\n"


def test_2_a_speaker_mention_of_a_thousand_characters_is_scored_and_classified(tmp_path, capsys, tiny_model):
    (tmp_path / "runon.txt").write_text(RUN_ON)
    (tmp_path / "good.txt").write_text(GOOD_ARTICLE)
    code, out, err = cli(capsys, "score", tmp_path / "runon.txt", tmp_path / "good.txt", "--model", tiny_model,
                         "--format", "jsonl")
    assert code == 0 and not err
    rows = [json.loads(line) for line in out.splitlines()]
    assert {r["doc_id"] for r in rows} == {"runon", "good"}
    assert max(len(r["speaker"]) for r in rows) > 1000

    long = records("long")[:3]
    long[0]["speaker"] = "a spokesman " * 500
    (tmp_path / "long.jsonl").write_text(jsonl(long))
    (tmp_path / "other.jsonl").write_text(jsonl(records("other")[:2]))
    code, out, err = cli(capsys, "classify", tmp_path / "long.jsonl", tmp_path / "other.jsonl", "--model", tiny_model)
    assert code == 0 and not err
    assert [json.loads(line)["id"].split("-")[0] for line in out.splitlines()] == ["long"] * 3 + ["other"] * 2


def test_2_cap_segments_keeps_the_first_tokens_exactly(tiny_encoder):
    from transformers import AutoTokenizer

    from stance.modeling.inputs import cap_segments

    tokenizer = AutoTokenizer.from_pretrained(tiny_encoder)
    short, long = "The army", "the spokesman of the army " * 100
    capped = cap_segments(tokenizer, [short, long], 16)
    assert capped[0] == short and long.startswith(capped[1])
    assert len(tokenizer(capped[1], add_special_tokens=False)["input_ids"]) == 16


# 3 ---------------------------------------------------------------------------
def test_3_a_paragraph_over_a_million_characters_is_read_in_pieces(tmp_path, capsys):
    """1.1 MB with single line breaks only: one paragraph for the reader, pieces for spaCy.

    Long words keep the parse to seconds: what spaCy refused was the paragraph's length.
    """
    line = "The spokesman said the " + "qwertyuiopasdfghjklzxcvbnm" * 300 + " was deliberate.\n"
    text = line * (1_100_000 // len(line) + 1)
    big = tmp_path / "big.txt"
    big.write_text(text)
    (tmp_path / "good.txt").write_text(GOOD_ARTICLE)
    code, out, err = cli(capsys, "claims", big, tmp_path / "good.txt", "--format", "jsonl")
    assert code == 0 and not err
    rows = [json.loads(line) for line in out.splitlines()]
    assert {r["doc_id"] for r in rows} == {"big", "good"}
    big_rows = [r for r in rows if r["doc_id"] == "big"]
    assert len(big_rows) == text.count("\n")  # one claim per sentence, none lost at a cut
    for r in big_rows[:: max(1, len(big_rows) // 50)]:
        s, e = r["claim_span"]
        assert text[s:e] == r["claim"]


def test_3_split_block_cuts_at_sentence_ends_within_the_limit():
    from stance.reader import split_block

    text = "One sentence here. Another one there.\nA third line follows. " * 50 + "x" * 300
    pieces = split_block(text, 0, len(text), 200)
    assert all(e - s <= 200 for s, e in pieces)
    assert "".join(text[s:e] for s, e in pieces) == text  # nothing lost, nothing moved
    assert all(text[s:e].rstrip()[-1] in ".\n" for s, e in pieces[:-3])


# 4 ---------------------------------------------------------------------------
@pytest.mark.parametrize("case", ["existing file", "existing folder", "read-only folder"])
def test_4_out_that_is_a_file_a_folder_or_read_only_is_refused_before_any_work(case, tmp_path, capsys, monkeypatch,
                                                                                tiny_model, tiny_encoder):
    import stance.eval.harness
    import stance.scoring
    import stance.training.trainer

    def no_work(*args, **kwargs):
        raise AssertionError("the work started before --out was checked")

    monkeypatch.setattr(stance.eval.harness, "evaluate", no_work)  # run() imports it when called
    monkeypatch.setattr(stance.scoring, "score_documents", no_work)
    monkeypatch.setattr(stance.training.trainer, "train", no_work)
    gold = tmp_path / "gold.jsonl"
    gold.write_text(jsonl(records()))
    article = tmp_path / "a.txt"
    article.write_text(GOOD_ARTICLE)
    place = tmp_path / "place"
    if case == "existing file":
        place.write_text("old\n")
        out = place
    elif case == "existing folder":
        place.mkdir()
        (place / "notes.txt").write_text("mine\n")
        out = place
    else:
        out = make_read_only(place, monkeypatch) / "out"
    commands = [["eval", "--data", gold, "--model", tiny_model, "--baselines", "none", "--out", out],
                ["train", gold, "--base-model", tiny_encoder, "--out", out]]
    if case != "existing file":  # score replaces an existing output file: that is what --out F asks for
        commands.append(["score", article, "--model", tiny_model, "--out", out])
    before = snapshot(tmp_path)
    for argv in commands:
        code, _, err = cli(capsys, *argv)
        assert code == 2 and no_traceback(err), (argv[0], err)
        assert len(err) == 1 and str(out) in err[0], (argv[0], err)
    assert snapshot(tmp_path) == before


# 5 ---------------------------------------------------------------------------
def test_5_classify_reports_each_bad_line_and_every_other_file_is_still_labelled(tmp_path, capsys, tiny_model):
    a, b, empty = tmp_path / "A.jsonl", tmp_path / "B.jsonl", tmp_path / "empty.jsonl"
    rows = records("a")[:3]
    a.write_text(jsonl([rows[0], "{not json", rows[1], {"id": "x"}, rows[2]]))
    b.write_text(jsonl(records("b")[:2]))
    empty.write_text("")
    out = tmp_path / "labelled.jsonl"
    code, _, err = cli(capsys, "classify", a, empty, b, "--model", tiny_model, "--out", out)
    assert code == 2 and no_traceback(err)
    assert problems(err) == [f"stance: {a}:2: invalid JSON (Expecting property name enclosed in double quotes)",
                             f"stance: {a}:4: missing field sentence, claim, speaker",
                             f"stance: {empty}: empty file (no claim records)"]
    ids = [json.loads(line)["id"] for line in out.read_text().splitlines()]
    assert ids == [r["id"] for r in rows] + [r["id"] for r in records("b")[:2]]


# 6 ---------------------------------------------------------------------------
def test_6_a_glob_or_folder_that_matches_nothing_is_reported(tmp_path, capsys, tiny_model):
    (tmp_path / "empty").mkdir()
    (tmp_path / "good.txt").write_text(GOOD_ARTICLE)
    glob = str(tmp_path / "nothing" / "*.txt")
    code, out, err = cli(capsys, "claims", glob, tmp_path / "empty", tmp_path / "good.txt", "--format", "jsonl")
    assert code == 2 and no_traceback(err)
    assert err == [f"stance: {glob}: no file matches this pattern",
                   f"stance: {tmp_path / 'empty'}: no .txt/.text/.md/.html/.htm/.xhtml files in this folder"]
    assert {json.loads(line)["doc_id"] for line in out.splitlines()} == {"good"}
    code, out, err = cli(capsys, "classify", str(tmp_path / "*.jsonl"), "--model", tiny_model)
    assert code == 2 and err == [f"stance: {tmp_path / '*.jsonl'}: no file matches this pattern"] and out == ""


# 7 ---------------------------------------------------------------------------
@pytest.mark.parametrize("command", ["claims", "score", "classify"])
def test_7_a_failed_run_replaces_out_with_its_own_output_never_a_stale_one(command, tmp_path, capsys, monkeypatch,
                                                                          tiny_model):
    import stance.models

    monkeypatch.setattr(stance.models, "load_model", lambda *a, **k: pytest.fail("nothing to label: no model"))
    bad = tmp_path / ("bad.jsonl" if command == "classify" else "bad.txt")
    bad.write_bytes(b"")
    out = tmp_path / "out.jsonl"
    out.write_text('{"stale": "from last week"}\n')
    model = [] if command == "claims" else ["--model", tiny_model]
    code, _, err = cli(capsys, command, bad, "--format", "jsonl", "--out", out, *model)
    assert code == 2 and problems(err) == [f"stance: {bad}: empty file" + (" (no claim records)" if command ==
                                                                               "classify" else "")]
    assert out.read_text() == ""  # this run's output: no claims
    assert sorted(p.name for p in tmp_path.iterdir()) == [bad.name, "out.jsonl"]  # no temporary file left


def test_7_csv_of_a_run_with_nothing_to_score_still_has_its_header(tmp_path, capsys, tiny_model):
    (tmp_path / "bad.txt").write_bytes(b"\x00\x01")
    out = tmp_path / "out.csv"
    code, _, _ = cli(capsys, "score", tmp_path / "bad.txt", "--model", tiny_model, "--format", "csv", "--out", out)
    assert code == 2 and out.read_text().startswith("sentence_index,doc_id,") and "stance:us" in out.read_text()


# 8 ---------------------------------------------------------------------------
@pytest.mark.parametrize("name, data, message", [
    ("controls.txt", bytes(range(1, 9)) * 2500, "binary data (20000 control characters in 20000), not text"),
    ("utf16.txt", GOOD_ARTICLE.encode("utf-16"), "UTF-16 text, not UTF-8: save it as UTF-8"),
    ("utf16-no-bom.txt", GOOD_ARTICLE.encode("utf-16-le"),
     "UTF-16 text (no byte-order mark), not UTF-8: save it as UTF-8"),
    ("utf32.txt", GOOD_ARTICLE.encode("utf-32"), "UTF-32 text, not UTF-8: save it as UTF-8"),
    ("latin1.txt", "Title\n\nThe minister said the\ncafé was closed.\n".encode("latin-1"),
     "not UTF-8 text: byte 0xE9 (Latin-1 or Windows-1252?): save it as UTF-8"),
    ("blob.txt", bytes(range(256)) * 4, "binary file (NUL bytes), not text"),
])
def test_8_binary_control_characters_and_utf16_are_named(name, data, message, tmp_path, capsys):
    (tmp_path / name).write_bytes(data)
    (tmp_path / "good.txt").write_text(GOOD_ARTICLE)
    code, out, err = cli(capsys, "claims", tmp_path / name, tmp_path / "good.txt", "--format", "jsonl")
    where = f"{tmp_path / name}:4" if name == "latin1.txt" else tmp_path / name
    assert code == 2 and err == [f"stance: {where}: {message}"]
    assert {json.loads(line)["doc_id"] for line in out.splitlines()} == {"good"}


def test_8_a_few_stray_control_characters_are_read_as_spaces(tmp_path, capsys):
    text = GOOD_ARTICLE.replace("deliberate", "deliberate\x0b\x1b")
    (tmp_path / "a.txt").write_text(text)
    code, out, err = cli(capsys, "claims", tmp_path / "a.txt", "--format", "jsonl")
    assert code == 0 and not err
    for row in map(json.loads, out.splitlines()):
        s, e = row["claim_span"]
        assert text[s:e] == row["claim"]


# 9 ---------------------------------------------------------------------------
def test_9_report_md_shows_markup_in_claims_as_text(tmp_path):
    from stance.eval.harness import Candidate, EvalArguments, evaluate
    from stance.eval.report import to_html, to_markdown, build_report
    from eval_fixtures import FakeModel, make_gold
    from stance.dispute import load_dispute

    gold = make_gold(6, 30)
    for c in gold[:10]:
        c.speaker = '<img src=x onerror="alert(1)">'
        c.claim = "<script>alert('claim')</script> [a link](javascript:alert(2)) *bold* `code`"
        c.sentence = f"{c.speaker} said {c.claim}."
    evaluation = evaluate(gold, [Candidate("fake", model=FakeModel(accuracy=0.0))], load_dispute(),
                          EvalArguments(n_bootstrap=10))
    report = build_report(evaluation)
    markdown = to_markdown(report)
    assert "&lt;script&gt;" in markdown and "&lt;img src=x onerror=" in markdown
    for raw in ("<script", "<img", "[a link](", "*bold*", "`code`"):
        assert raw not in markdown, raw
    assert "<script" not in to_html(report) and "<img src=x" not in to_html(report)


# 10 --------------------------------------------------------------------------
BUILD = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    import stance.models as models
    import stance.training.trainer as trainer
    from stance.classifier import TrainingArguments

    import stance.training.data as data

    encoder, marks = sys.argv[1], Path(sys.argv[2])
    models.DEFAULT_ARGS = TrainingArguments(base_model=encoder, method="fewshot", max_length=32)
    load = data.load_training_data
    data.load_training_data = lambda *args: load(*args)[:60]  # a quick build: the lock is what is tested
    train = trainer.train

    def held_train(*args, **kwargs):
        (marks / "building").write_text("")
        for _ in range(600):  # hold the lock until the other process waits for it (30 s at most)
            if (marks / "waiting").exists():
                break
            time.sleep(0.05)
        return train(*args, **kwargs)

    def log(message):
        print(message, file=sys.stderr, flush=True)
        if "waiting for it" in message:
            (marks / "waiting").write_text("")

    trainer.train = held_train
    print(models.build_default_model(progress=False, log=log))
""")


def test_10_two_processes_build_the_default_model_once_and_the_log_says_why(tmp_path, tiny_encoder):
    """Started together: one builds (holding the lock until the other waits for it), the other reuses."""
    script = tmp_path / "build.py"
    script.write_text(BUILD)
    env = dict(os.environ, STANCE_CACHE=str(tmp_path / "cache"), PYTHONPATH=str(REPO))
    run = [sys.executable, script, tiny_encoder, tmp_path]
    procs = [subprocess.Popen(run, env=env, cwd=REPO, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for _ in range(2)]
    (out_a, err_a), (out_b, err_b) = (p.communicate(timeout=300) for p in procs)
    assert [p.returncode for p in procs] == [0, 0], (err_a, err_b)
    assert out_a == out_b and is_model_folder(out_a.strip())  # the same model, reused
    builder, waiter = (err_a, err_b) if "building the default model from" in err_a else (err_b, err_a)
    assert "building the default model from" in builder and "waiting for it" not in builder
    assert "another process is building the default model; waiting for it" in waiter
    assert "building the default model from" not in waiter and "method:" not in waiter  # it never trained
    assert "as asked" not in builder and "method: fewshot (the default model's recipe)" in builder


def test_10_resume_without_a_checkpoint_says_so(tmp_path, capsys, tiny_encoder):
    data = tmp_path / "data.jsonl"
    data.write_text(jsonl(records()))
    code, _, err = cli(capsys, "train", data, "--out", tmp_path / "model", "--base-model", tiny_encoder,
                       "--method", "finetune", "--epochs", "1", "--resume")
    assert code == 0
    assert f"stance: nothing to resume: no checkpoint at {tmp_path / 'model.checkpoint'}; training from the start" in err


# 11 --------------------------------------------------------------------------
def test_11_html_character_references_and_markup_give_the_same_claims_as_plain_text(tmp_path, capsys):
    plain = ("“The strike was deliberate,” the army’s spokesman said on Sunday.\n\n"
             "A Pakistani official said that Pakistan’s sovereignty—not the routes—was the issue.\n\n"
             "The ministry said it wasn’t the issue and the raid was unprovoked.\n")
    page = ("<html><body><h1>Title</h1><article>"
            "<p>&#8220;The strike was deliberate,&#8221; the army&#8217;s spokesman said on Sunday.</p>\n"
            "<p>A Pakistani official said that Pakistan&#x2019;s sovereignty&#x2014;not the routes&#x2014;was the "
            "issue.</p>\n<p>The ministry said it wasn&rsquo;t the issue and the raid was <em>unprovoked</em>.</p>"
            "</article></body></html>\n")
    (tmp_path / "plain.txt").write_text(plain)
    (tmp_path / "page.html").write_text(page)
    rows = {}
    for name in ("plain.txt", "page.html"):
        code, out, err = cli(capsys, "claims", tmp_path / name, "--format", "jsonl")
        assert code == 0 and not err
        rows[name] = [json.loads(line) for line in out.splitlines()]
    fields = ("speaker", "claim", "sentence", "cue", "kind")
    assert [[r[f] for f in fields] for r in rows["page.html"]] == [[r[f] for f in fields] for r in rows["plain.txt"]]
    assert len(rows["plain.txt"]) >= 3
    for r in rows["page.html"]:  # spans still index the page as read: whole references, never half of one
        s, e = r["claim_span"]
        assert not page[s:e].startswith(";") and page[s:e].count("&") == page[s:e].count(";")


# 12 --------------------------------------------------------------------------
def long_article(n: int = 6) -> str:
    from stance.reader import read_document
    from stance.training.data import DATA_DIR

    paragraphs = []
    for path in sorted((DATA_DIR / "articles").glob("*.txt"))[:n]:
        doc = read_document(path)
        paragraphs += [" ".join(doc.text[s:e].split()) for s, e in doc.body]
    return "\n\n".join(paragraphs) + "\n"


def test_12_a_long_article_is_read_in_windows_with_the_same_claims(monkeypatch):
    import stance.pipeline as pipeline
    from stance.reader import document_from_text

    text = long_article()
    document = document_from_text(text, "long")
    whole = pipeline.extract_documents([document])[0]
    monkeypatch.setattr(pipeline, "WINDOW_CHARS", 3_000)
    assert len(list(pipeline._windows(document))) > 5
    windowed = pipeline.extract_documents([document])[0]
    assert windowed.sentences == whole.sentences
    key = lambda c: (c.id, c.claim_span, c.speaker_span, c.cue_span, c.kind)  # noqa: E731
    same = sum(key(a) == key(b) for a, b in zip(windowed.claims, whole.claims))
    assert len(windowed.claims) == len(whole.claims) and same >= 0.97 * len(whole.claims)
    assert [c.id for c in windowed.claims] == [f"long-{n}" for n in range(1, len(whole.claims) + 1)]
    for c in windowed.claims:
        assert text[c.claim_span[0]:c.claim_span[1]] == c.claim


def test_12_long_input_shows_progress_on_a_terminal(tmp_path, capsys, monkeypatch, tiny_model):
    import stance.pipeline as pipeline
    import stance.scoring as scoring

    monkeypatch.setattr(pipeline, "PROGRESS_CHARS", 1_000)
    monkeypatch.setattr(scoring, "CLASSIFY_CHUNK", 8)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    (tmp_path / "long.txt").write_text(long_article(2))
    code = main(["score", str(tmp_path / "long.txt"), "--model", tiny_model, "--format", "jsonl"])  # progress on
    err = capsys.readouterr().err
    assert code == 0 and "reading" in err and "classifying" in err
