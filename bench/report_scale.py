"""Benchmark: `stance report` at scale (a benchmark, never a test).

Builds N realistic articles by varying the shipped ones (training/data/articles:
paragraphs after the lead rotated, a new doc_id, an outlet and a date each),
then measures, on this machine:

* articles per second and peak memory (RSS summed over the process and its
  workers, sampled every 0.1 s) of a first run with ``--jobs 1`` and ``--jobs 2``;
* a re-run with nothing changed, and one after adding 1% more articles (only those are scored);
* the load time of index.html with ``--page-claims`` synthetic claims in headless
  Chromium (selenium), until the load event, the claims table drawn.

    STANCE_CACHE=... python bench/report_scale.py --articles 2000 [--model default] [--out bench/out]

Prints a JSON summary.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHIPPED = REPO / "training" / "data" / "articles"
OUTLETS = ["Dawn", "The Express Tribune", "The News", "Reuters", "Associated Press", "AFP", "The New York Times",
           "The Washington Post", "BBC", "Al Jazeera", "The Hindu", "Pajhwok"]


def make_corpus(folder: Path, n: int, start: int = 0, seed: int = 0) -> None:
    """Articles ``start`` .. ``start + n - 1`` in ``folder/articles`` and their lines in ``folder/docs.jsonl``."""
    rng = random.Random(seed + start)
    shipped = sorted(SHIPPED.glob("*.txt"))
    (folder / "articles").mkdir(parents=True, exist_ok=True)
    with (folder / "docs.jsonl").open("a", encoding="utf-8") as meta:
        for i in range(start, start + n):
            source = shipped[i % len(shipped)]
            blocks = source.read_text(encoding="utf-8").split("\n\n")
            k = 1 + (i // len(shipped)) % max(len(blocks) - 1, 1)
            body = blocks[:1] + blocks[1:][k - 1:] + blocks[1:][:k - 1]  # lead kept, the rest rotated
            doc_id = f"{source.stem}-v{i:05d}"
            (folder / "articles" / f"{doc_id}.txt").write_text("\n\n".join(body), encoding="utf-8")
            day = date(2011, 11, 26) + timedelta(days=rng.randrange(0, 230))
            meta.write(json.dumps({"doc_id": doc_id, "outlet": rng.choice(OUTLETS), "date": day.isoformat()}) + "\n")


def tree_rss(pid: int) -> int:
    """Resident memory (bytes) of ``pid`` and its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        todo += children.get(p, [])
        try:
            total += int(Path(f"/proc/{p}/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            pass
    return total


def run_report(corpus: Path, out: Path, model: str, jobs: int) -> dict:
    argv = [sys.executable, "-m", "stance.cli", "--no-progress", "report", str(corpus / "articles"),
            "--meta", str(corpus / "docs.jsonl"), "--model", model, "--out", str(out), "--jobs", str(jobs)]
    start, peak = time.perf_counter(), 0
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    while proc.poll() is None:
        peak = max(peak, tree_rss(proc.pid))
        time.sleep(0.1)
    seconds = time.perf_counter() - start
    err = proc.stderr.read()
    if proc.returncode:
        raise SystemExit(f"stance report failed ({proc.returncode}): {err}")
    summary = json.loads((out / "summary.json").read_text())
    last = [line for line in err.splitlines() if "wrote" in line][-1]
    return {"jobs": jobs, "seconds": round(seconds, 1), "articles": summary["n_articles"],
            "claims": summary["n_claims"], "articles_per_second": round(summary["n_articles"] / seconds, 2),
            "peak_rss_mb": round(peak / 2**20), "log": last}


def synthetic_page(folder: Path, n_claims: int, seed: int = 0) -> Path:
    """index.html for ``n_claims`` synthetic claims over ``n_claims / 10`` articles."""
    from stance.report.analytics import is_low_confidence, summarise
    from stance.report.page import render_page

    rng = random.Random(seed)
    stances = ["pakistan_military", "us", "neutral"]
    groups = ["us", "pakistan_military", "pakistan_civilian", "pakistan_militant", "other", "unattributed"]
    articles = [{"doc_id": f"a{i}", "outlet": rng.choice(OUTLETS),
                 "week": f"2011-W{rng.randrange(44, 53)}"} for i in range(max(1, n_claims // 10))]
    rows = []
    for i in range(n_claims):
        a, group = rng.choice(articles), rng.choice(groups)
        words = " ".join(rng.choice(["the", "strike", "was", "deliberate", "border", "posts", "forces", "said"])
                         for _ in range(rng.randrange(5, 40)))
        row = {"id": f"{a['doc_id']}-{i}", "doc_id": a["doc_id"], "outlet": a["outlet"], "week": a["week"],
               "speaker": "" if group == "unattributed" else f"speaker {i % 300}",
               "speaker_resolved": "" if group == "unattributed" else f"Speaker {i % 300}", "speaker_group": group,
               "speaker_group_source": rng.choice(["gazetteer", "rule", None]), "stance": rng.choice(stances),
               "stance_confidence": round(rng.uniform(0.34, 1), 4), "kind": rng.choice(["direct", "indirect", "mixed"]),
               "claim": words, "claim_words": len(words.split()), "link": f"articles/{a['doc_id']}.html#{i}"}
        row["low_confidence"] = is_low_confidence(row)
        rows.append(row)
    folder.mkdir(parents=True, exist_ok=True)
    page = folder / "index.html"
    page.write_text(render_page(summarise(articles, rows, stances), rows, stances, groups, "synthetic"), encoding="utf-8")
    return page


def page_load(page: Path, repeat: int = 3) -> dict:
    from selenium import webdriver

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,900"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=webdriver.ChromeService(executable_path="/usr/bin/chromedriver"), options=options)
    try:
        times = []
        for _ in range(repeat):
            driver.get(page.as_uri())
            times.append(driver.execute_script(
                "const t = performance.getEntriesByType('navigation')[0]; return t.loadEventEnd - t.startTime"))
        rows = len(driver.find_elements("css selector", "#claims-body tr"))
    finally:
        driver.quit()
    return {"page_mb": round(page.stat().st_size / 2**20, 1), "load_ms": sorted(times)[len(times) // 2],
            "rows_drawn": rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--model", default="default")
    parser.add_argument("--page-claims", type=int, default=20_000)
    parser.add_argument("--out", default=str(REPO / "bench" / "out" / "report_scale"))
    args = parser.parse_args()
    work = Path(args.out)
    shutil.rmtree(work, ignore_errors=True)
    corpus = work / "corpus"
    make_corpus(corpus, args.articles)
    result = {"articles": args.articles, "cpus": os.cpu_count(), "runs": []}
    for jobs in (1, 2):
        result["runs"].append(run_report(corpus, work / f"report-jobs{jobs}", args.model, jobs))
    result["unchanged"] = run_report(corpus, work / "report-jobs1", args.model, 1)
    extra = max(1, args.articles // 100)
    make_corpus(corpus, extra, start=args.articles)
    result["incremental"] = {"added": extra, **run_report(corpus, work / "report-jobs1", args.model, 1)}
    result["page"] = {"claims": args.page_claims, **page_load(synthetic_page(work / "page", args.page_claims))}
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
