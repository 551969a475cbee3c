"""Benchmark: the evaluation report over 100 articles (1,500 synthetic claims, 2 fake models + 1 baseline).

Times scoring (metrics, bootstrap intervals) and writing the report files;
prints a JSON summary. Speed is a benchmark, never a test. The gold set and
the fake models are the evaluation tests' fixtures (tests/eval_fixtures.py).

    python bench/report_speed.py [--docs 100] [--claims 1500] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from eval_fixtures import FakeModel, make_gold  # noqa: E402

from stance.dispute import load_dispute  # noqa: E402
from stance.eval.harness import Candidate, EvalArguments, baseline_candidates, evaluate, score  # noqa: E402
from stance.eval.report import write_report  # noqa: E402


def one_run(docs: int, claims: int) -> dict[str, float]:
    dispute = load_dispute()
    candidates = [Candidate("model-a", model=FakeModel()), Candidate("model-b", model=FakeModel(accuracy=0.5, seed=1))]
    evaluation = evaluate(make_gold(docs, claims), candidates + baseline_candidates(dispute, ["majority"]), dispute,
                          EvalArguments())
    start = time.perf_counter()
    evaluation.metrics = score(evaluation, EvalArguments(), dispute)
    scored = time.perf_counter()
    with tempfile.TemporaryDirectory() as out:
        write_report(evaluation, out)
    return {"scoring_s": scored - start, "report_files_s": time.perf_counter() - scored}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100)
    parser.add_argument("--claims", type=int, default=1500)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    runs = [one_run(args.docs, args.claims) for _ in range(args.repeat)]
    print(json.dumps({
        "articles": args.docs, "claims": args.claims, "repeat": args.repeat, "machine": platform.platform(),
        **{key: round(statistics.median(r[key] for r in runs), 3) for key in runs[0]},
    }, indent=2))


if __name__ == "__main__":
    main()
