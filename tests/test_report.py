"""stance report: counts agree with `stance score`, the store is incremental and survives SIGKILL,
bad metadata is named by file and line."""

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

duckdb = pytest.importorskip("duckdb")

from stance.cli import main  # noqa: E402
from stance.report import build_report  # noqa: E402
from stance.report.metadata import ArticleMeta, html_meta, parse_date  # noqa: E402
from stance.reader import document_from_text  # noqa: E402

from conftest import REPO, SHARED  # noqa: E402
from fault_fixtures import fit_tiny_model  # noqa: E402
from report_fixtures import make_corpus  # noqa: E402

REALISTIC = SHARED / "corpus" / "realistic-dev"


@pytest.fixture(scope="module")
def tiny_model(tiny_encoder, dispute, tmp_path_factory):
    return fit_tiny_model(tiny_encoder, dispute, tmp_path_factory.mktemp("model") / "tiny")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return make_corpus(tmp_path_factory.mktemp("corpus"), 7)


def score_jsonl(paths, model, capsys) -> list[dict]:
    capsys.readouterr()
    assert main(["--no-progress", "score", *map(str, paths), "--model", model, "--format", "jsonl"]) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def check_counts(summary: dict, rows: list[dict]) -> None:
    """summary.json's counts are those of `stance score --format jsonl`, and every breakdown adds up."""
    assert summary["n_claims"] == len(rows)
    assert summary["by_stance"] == dict(Counter(r["stance"] for r in rows))
    assert summary["by_group"] == dict(Counter(r["speaker_group"] for r in rows))
    for key in ("by_outlet", "by_week"):
        assert sum(sum(c.values()) for c in summary[key].values()) == summary["n_claims"]
    per_stance = Counter()
    for counts in summary["by_outlet"].values():
        per_stance.update(counts)
    assert dict(per_stance) == summary["by_stance"]


def test_summary_counts_equal_score_jsonl(corpus, tiny_model, tmp_path, capsys):
    articles, meta = corpus
    out = tmp_path / "report"
    assert main(["--no-progress", "report", str(articles), "--meta", str(meta), "--model", tiny_model,
                 "--out", str(out)]) == 0
    summary = json.loads((out / "summary.json").read_text())
    rows = score_jsonl([articles], tiny_model, capsys)
    assert summary["n_articles"] == 7 and rows
    check_counts(summary, rows)
    # the article left out of the sidecar is in the missing bucket, for outlet and week alike
    assert summary["articles_by_outlet"]["unknown"] == 1 and summary["articles_by_week"]["unknown"] == 1
    assert set(summary["articles_by_outlet"]) == {"Dawn", "Reuters", "The Express Tribune", "unknown"}
    for speaker in summary["top_speakers"]:
        assert sum(speaker["stance"].values()) == speaker["claims"]
    # the data files hold the same claims, with their metadata
    table = duckdb.sql(f"SELECT outlet, count(*) n FROM '{out}/claims.parquet' GROUP BY outlet").fetchall()
    assert {o: n for o, n in table} == {o: sum(c.values()) for o, c in summary["by_outlet"].items() if c}
    with duckdb.connect(str(out / "stance.duckdb"), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM claims").fetchone()[0] == len(rows)
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 7
    assert len((out / "claims.csv").read_text().splitlines()) == len(rows) + 1
    # every claim links to its anchor in its article's view
    page = (out / "index.html").read_text()
    for r in rows[:5]:
        assert f'id="{r["id"]}"' in (out / "articles" / f"{r['doc_id']}.html").read_text()
    assert not re.findall(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)  # nothing fetched: offline


@pytest.mark.skipif(not (REALISTIC / "docs.jsonl").exists(), reason="../shared/corpus/realistic-dev is absent")
def test_realistic_dev_counts(tiny_model, tmp_path, capsys):
    out = tmp_path / "report"
    assert main(["--no-progress", "report", str(REALISTIC / "articles"), "--meta", str(REALISTIC / "docs.jsonl"),
                 "--model", tiny_model, "--out", str(out)]) == 0
    summary = json.loads((out / "summary.json").read_text())
    rows = score_jsonl([REALISTIC / "articles"], tiny_model, capsys)
    assert summary["n_articles"] == len(list((REALISTIC / "articles").iterdir()))
    check_counts(summary, rows)
    assert "unknown" not in summary["articles_by_outlet"]  # every article has its outlet in docs.jsonl


def test_rerun_scores_only_what_is_new_or_changed(corpus, tiny_model, tmp_path):
    articles, meta = corpus
    mine = tmp_path / "articles"
    mine.mkdir()
    files = sorted(articles.glob("*.txt"))
    for f in files[:5]:
        (mine / f.name).write_text(f.read_text())
    out = tmp_path / "report"
    first = build_report([str(mine)], out, model=tiny_model)
    assert (first.scored, first.reused) == (5, 0)
    again = build_report([str(mine)], out, model=tiny_model)
    assert (again.scored, again.reused, again.n_claims) == (0, 5, first.n_claims)
    # one article edited, one added: those two are scored, the rest come from the store
    edited = mine / files[0].name
    edited.write_text(edited.read_text() + "\nA Pentagon spokesman said the review was complete.\n")
    (mine / files[5].name).write_text(files[5].read_text())
    grown = build_report([str(mine)], out, model=tiny_model)
    assert (grown.scored, grown.reused, grown.n_articles) == (2, 4, 6)
    summary = json.loads((out / "summary.json").read_text())
    assert summary["n_articles"] == 6 and summary["n_claims"] == grown.n_claims


def store_snapshot(out: Path) -> dict:
    """Every row of the store's tables, sorted, and the committed keys."""
    store = out / "store"
    snap = {"keys": sorted(p.name for p in (store / "articles").glob("*.parquet"))}
    for table in ("claims", "sentences", "articles"):
        snap[table] = sorted(duckdb.sql(f"SELECT * FROM read_parquet('{store}/{table}/*.parquet')").fetchall(),
                             key=repr)
    snap["leftovers"] = sorted(p.name for p in store.rglob(".*"))
    return snap


def test_sigkill_then_rerun_equals_an_uninterrupted_run(tiny_model, tmp_path):
    articles, meta = make_corpus(tmp_path / "corpus", 40)
    killed = tmp_path / "killed"
    argv = [sys.executable, "-m", "stance.cli", "--no-progress", "report", str(articles), "--meta", str(meta),
            "--model", tiny_model, "--out", str(killed)]
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={**os.environ, "PYTHONPATH": str(REPO)})
    parts = killed / "store" / "articles"
    deadline = time.monotonic() + 300
    while proc.poll() is None and time.monotonic() < deadline:
        if parts.is_dir() and any(parts.glob("*.parquet")):
            break
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    committed = len(list(parts.glob("*.parquet")))
    assert 0 < committed < 40, "the run was not killed half-way"
    assert not (killed / "summary.json").exists()
    resumed = build_report([str(articles)], killed, model=tiny_model, meta=str(meta))
    assert resumed.reused == committed and resumed.scored == 40 - committed
    whole = tmp_path / "whole"
    build_report([str(articles)], whole, model=tiny_model, meta=str(meta))
    assert store_snapshot(killed) == store_snapshot(whole)
    assert json.loads((killed / "summary.json").read_text()) | {"model": ""} == \
        json.loads((whole / "summary.json").read_text()) | {"model": ""}


def test_jobs_two_gives_the_same_report(corpus, tiny_model, tmp_path):
    articles, meta = corpus
    one, two = tmp_path / "one", tmp_path / "two"
    build_report([str(articles)], one, model=tiny_model, meta=str(meta), jobs=1)
    run = build_report([str(articles)], two, model=tiny_model, meta=str(meta), jobs=2)
    assert run.scored == 7
    assert store_snapshot(one) == store_snapshot(two)


def test_bad_metadata_is_named_and_counted_as_missing(corpus, tiny_model, tmp_path, capsys):
    articles, _ = corpus
    ids = sorted(p.stem for p in articles.glob("*.txt"))
    meta = tmp_path / "meta.jsonl"
    meta.write_text("\n".join([
        json.dumps({"doc_id": ids[0], "outlet": "Dawn", "date": "2011-11-28"}),
        json.dumps({"doc_id": "no_such_article", "outlet": "Dawn", "date": "2011-11-28"}),
        json.dumps({"doc_id": ids[1], "outlet": "Reuters", "date": "the day after"}),
        '{"doc_id": "broken", ',
        json.dumps({"doc_id": ids[2], "outlet": "Dawn", "date": "2011-12 (approx.)"}),
    ]) + "\n")
    out = tmp_path / "report"
    capsys.readouterr()
    code = main(["--no-progress", "report", str(articles), "--meta", str(meta), "--model", tiny_model,
                 "--out", str(out)])
    err = [line for line in capsys.readouterr().err.splitlines() if str(meta) in line]
    assert code == 2
    assert len(err) == 3
    assert err[0].startswith(f"stance: {meta}:2: unknown doc_id 'no_such_article'")
    assert err[1].startswith(f"stance: {meta}:3: cannot read the date 'the day after'")
    assert err[2].startswith(f"stance: {meta}:4: not valid JSON")
    summary = json.loads((out / "summary.json").read_text())  # written all the same
    assert summary["n_articles"] == 7
    assert summary["articles_by_outlet"] == {"Dawn": 2, "Reuters": 1, "unknown": 4}
    # the bad date and the month-only date have no week: the missing bucket
    assert summary["articles_by_week"] == {"2011-W48": 1, "unknown": 6}


def test_bad_metadata_csv(corpus, tiny_model, tmp_path, capsys):
    articles, _ = corpus
    ids = sorted(p.stem for p in articles.glob("*.txt"))
    meta = tmp_path / "meta.csv"
    meta.write_text(f"doc_id,outlet,date\n{ids[0]},Dawn,2011-11-28\n{ids[1]},Reuters,31/31/2011\n"
                    f"{ids[2]},Dawn,2011-11-29,extra\n")
    capsys.readouterr()
    code = main(["--no-progress", "report", str(articles), "--meta", str(meta), "--model", tiny_model,
                 "--out", str(tmp_path / "report")])
    err = [line for line in capsys.readouterr().err.splitlines() if str(meta) in line]
    assert code == 2 and len(err) == 2
    assert f"{meta}:3: cannot read the date" in err[0] and f"{meta}:4: wrong number of fields" in err[1]


def test_out_that_holds_other_files_is_refused(corpus, tiny_model, tmp_path, capsys):
    articles, _ = corpus
    (tmp_path / "mine.txt").write_text("keep me")
    assert main(["--no-progress", "report", str(articles), "--model", tiny_model, "--out", str(tmp_path)]) == 2
    assert "not an earlier stance report" in capsys.readouterr().err
    assert (tmp_path / "mine.txt").read_text() == "keep me" and not (tmp_path / "store").exists()


def test_metadata_from_html_meta_tags():
    page = ("<!doctype html><html><head><title>Fallback title</title>"
            "<meta property='og:site_name' content='Dawn'><meta property='og:title' content='Army rejects findings'>"
            "<meta property='article:published_time' content='2011-12-23T09:15:00+05:00'>"
            "<link rel=canonical href='https://www.dawn.com/news/1'></head><body><p>The Pakistani military said "
            "the strike was deliberate.</p></body></html>")
    doc = document_from_text(page, "d", is_html=True)
    assert html_meta(doc, pytest.fail) == ArticleMeta("Dawn", "2011-12-23", "Army rejects findings",
                                                      "https://www.dawn.com/news/1")
    assert ArticleMeta(date="2011-12-23").week == "2011-W51"


@pytest.mark.parametrize("given, expected", [("2011-11-26", "2011-11-26"), ("2011-12-28 (approx.)", "2011-12-28"),
                                             ("2011-12 (approx.)", "2011-12"), ("", None),
                                             ("26 November 2011", "2011-11-26"), ("2012-07-03T10:00:00Z", "2012-07-03")])
def test_parse_date(given, expected):
    assert parse_date(given) == expected


@pytest.mark.parametrize("bad", ["yesterday", "2011-13-01", "2011-02-30", "11/26"])
def test_parse_date_refuses(bad):
    with pytest.raises(ValueError):
        parse_date(bad)


def test_every_input_bad_still_writes_an_empty_report(tiny_model, tmp_path, capsys):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    out = tmp_path / "report"
    assert main(["--no-progress", "report", str(empty), "--model", tiny_model, "--out", str(out)]) == 2
    assert f"{empty}: empty file" in capsys.readouterr().err
    summary = json.loads((out / "summary.json").read_text())
    assert (summary["n_articles"], summary["n_claims"], summary["by_outlet"]) == (0, 0, {})
    assert (out / "index.html").exists() and (out / "claims.csv").read_text().startswith("key,doc_id,id")


def test_claim_text_cannot_end_the_data_script():
    from stance.report.page import TABLE_COLUMNS, _claims_table

    row = {c: "x" for c in TABLE_COLUMNS} | {"claim": 'he said </script><!-- "<b>"', "stance_confidence": 0.5}
    section = _claims_table([row], {})
    data = re.search(r"<script type=application/json id=claims-data>(.*?)</script>", section, re.S).group(1)
    assert json.loads(data)["rows"][0][TABLE_COLUMNS.index("claim")] == row["claim"]
