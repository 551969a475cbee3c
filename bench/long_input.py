"""Benchmark: time and peak memory of ``stance claims`` and ``stance score`` on one long article.

The article is made of the shipped articles' paragraphs, repeated in order
until it reaches the asked size (default 100 KB), written as one ``.txt``
file. Each command runs in a fresh process (``python -m stance.cli``), so the
peak resident memory is that command's own. Prints a JSON summary; speed is a
benchmark, never a test.

    python bench/long_input.py [--kb 100] [--model DIR|default] [--commands claims,score] [--repo CHECKOUT]

``--repo`` runs the commands of another checkout (an older commit, for a
before/after comparison) on the same article. The machine may be shared:
``cpu_seconds`` (user + system) is steadier than ``seconds`` (wall clock).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def long_article(kb: int) -> str:
    """Paragraphs of the shipped articles, in order and repeated, up to ``kb`` kilobytes."""
    sys.path.insert(0, str(REPO))
    from stance.reader import read_document
    from stance.training.data import DATA_DIR

    paragraphs = []
    for path in sorted((DATA_DIR / "articles").glob("*.txt")):
        doc = read_document(path)
        paragraphs += [" ".join(doc.text[s:e].split()) for s, e in doc.body]
    out, size, i = [], 0, 0
    while size < kb * 1000:
        out.append(paragraphs[i % len(paragraphs)])
        size += len(out[-1].encode("utf-8")) + 2
        i += 1
    return "\n\n".join(out) + "\n"


def run(argv: list[str], repo: Path = REPO) -> dict:
    """Wall time, CPU time, peak RSS and exit code of one ``stance`` command in a fresh process."""
    env = dict(os.environ, PYTHONPATH=str(repo) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "stance.cli", "--no-progress"] + argv, cwd=repo, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    stderr = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    return {"seconds": round(seconds, 1), "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 1),
            "peak_rss_mb": round(usage.ru_maxrss / 1024),  # KiB on Linux
            "exit": os.waitstatus_to_exitcode(status), "stderr_tail": stderr.decode(errors="replace")[-300:]}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--kb", type=int, default=100, help="article size in kilobytes (default: 100)")
    parser.add_argument("--model", default="default", help="model folder for score (default: the default model)")
    parser.add_argument("--commands", default="claims,score")
    parser.add_argument("--repo", type=Path, default=REPO, help="checkout whose commands to run (default: this one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        article = Path(tmp) / f"long-{args.kb}kb.txt"
        article.write_text(long_article(args.kb), encoding="utf-8")
        result = {"repo": str(args.repo), "article_bytes": article.stat().st_size,
                  "machine": f"{platform.machine()}, {os.cpu_count()} cores"}
        for command in args.commands.split(","):
            argv = [command, str(article), "--format", "jsonl", "--out", str(Path(tmp) / f"{command}.jsonl")]
            if command == "score":
                argv += ["--model", args.model]
            result[command] = run(argv, args.repo.resolve())
            out = Path(tmp) / f"{command}.jsonl"
            result[command]["claims"] = sum(1 for _ in out.open()) if out.exists() else None
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
