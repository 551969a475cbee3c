"""Benchmark: what a label buys. Continue the default model on 25 / 50 / 100 / ... corrected claims.

A simulated annotator reviews realistic-dev's claims and answers with the gold
labels (and the gold boundaries). The claims are taken in two orders:

* uncertainty: the order ``stance annotate`` serves (``stance.annotate.queue.review_order``:
  the default model's least certain claims first, in turns across articles);
* random: a seeded shuffle (one per ``--seeds``).

After each step the default model is continued on the claims taken so far
(``--init``: the recipe of the default model, 4 epochs, no dev split) and
scored on the rest of the set: stance and speaker-group macro-F1, beside the
untouched default model's on the same rest. The two orders leave different
claims in the rest (uncertainty order removes the hard ones), so the fair
figure is the gain over the default model on that same rest.

    python bench/annotation_curve.py [--data ../shared/corpus/realistic-dev] [--steps 25,50,100,136]
                                     [--seeds 0] [--orders uncertainty,random] [--learning-rate LR] [--head-learning-rate LR]
                                     [--out curve.json]

The default model must be cached already (``stance model build``; ``$STANCE_CACHE``):
this benchmark never builds it. realistic-dev is read from ../shared, never copied.
Prints a Markdown table and a JSON summary; the machine may be shared, so the
times are indicative.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(REPO.parent / "shared" / "corpus" / "realistic-dev"))
    parser.add_argument("--steps", default="25,50,100,136")
    parser.add_argument("--seeds", default="0", help="random-order seeds, comma-separated")
    parser.add_argument("--orders", default="uncertainty,random", help="which orders to run (comma-separated)")
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--learning-rate", type=float, help="encoder learning rate (default: the recipe's)")
    parser.add_argument("--head-learning-rate", type=float, help="heads' learning rate (default: the recipe's)")
    parser.add_argument("--out", help="also write the JSON summary here")
    args = parser.parse_args(argv)

    from sklearn.metrics import f1_score

    from stance.annotate.queue import Article, review_order
    from stance.classifier import StanceClassifier
    from stance.dispute import load_dispute
    from stance.eval.harness import find_articles, given_claims
    from stance.io import read_claims
    from stance.models import DEFAULT_ARGS, default_model_path

    dispute = load_dispute()
    base = default_model_path(dispute)
    if not base.exists():
        print(f"the default model is not cached at {base}: run `stance model build` first", file=sys.stderr)
        return 2
    data = Path(args.data)
    gold = read_claims([data / "claims.jsonl"], dispute)
    given = given_claims(gold, find_articles([c.doc_id for c in gold], data / "articles"), dispute)
    # what training reads: the gold labels, the names the speakers stage resolves (the default recipe)
    answered = {g.id: dataclasses.replace(g, speaker_resolved=v.speaker_resolved) for g, v in zip(gold, given)}
    default = StanceClassifier.load(base)
    scored = default.label(given)
    by_doc = defaultdict(list)
    for c in scored:
        by_doc[c.doc_id].append(c)
    wanted = args.orders.split(",")
    orders = {}
    if "uncertainty" in wanted:
        orders["uncertainty"] = [c.id for c in review_order([Article(None, [], cs) for cs in by_doc.values()])]
    for seed in (int(s) for s in args.seeds.split(",") if "random" in wanted):
        ids = [c.id for c in gold]
        random.Random(seed).shuffle(ids)
        orders[f"random (seed {seed})"] = ids

    labels = {t: dispute.labels(t) for t in ("stance", "speaker_group")}
    default_pred = {c.id: c for c in scored}
    given_by_id = {c.id: c for c in given}
    truth = {c.id: c for c in gold}

    def macro(ids, pred, task):
        return float(f1_score([getattr(truth[i], task) for i in ids], [pred[i] for i in ids], labels=labels[task],
                              average="macro", zero_division=0))

    rows = []
    for name, order in orders.items():
        for k in (int(s) for s in args.steps.split(",")):
            taken, rest = order[:k], order[k:]
            row = {"order": name, "claims": len(taken), "rest": len(rest)}
            if not rest:  # every claim taken: nothing left to score, so no training to measure
                rows.append(row)
                continue
            for task in labels:
                row[f"default_{task}_f1"] = macro(rest, {i: getattr(default_pred[i], task) for i in rest}, task)
            targs = dataclasses.replace(DEFAULT_ARGS, epochs=args.epochs,
                                        learning_rate=args.learning_rate or DEFAULT_ARGS.learning_rate,
                                        head_learning_rate=args.head_learning_rate or DEFAULT_ARGS.head_learning_rate)
            started = time.perf_counter()
            model = StanceClassifier(dispute, targs).fit([answered[i] for i in taken], progress=False,
                                                         log=lambda m: None, init=str(base))
            row["train_seconds"] = round(time.perf_counter() - started, 1)
            pred = model.predict([given_by_id[i] for i in rest])
            for task in labels:
                row[f"{task}_f1"] = macro(rest, dict(zip(rest, pred[task])), task)
                row[f"{task}_gain"] = row[f"{task}_f1"] - row[f"default_{task}_f1"]
            rows.append(row)
            print(json.dumps(row), file=sys.stderr, flush=True)

    print(table(rows))
    summary = {"data": str(data), "default_model": str(base), "epochs": args.epochs,
               "learning_rate": args.learning_rate or DEFAULT_ARGS.learning_rate,
               "head_learning_rate": args.head_learning_rate or DEFAULT_ARGS.head_learning_rate, "rows": rows}
    if args.out:
        Path(args.out).write_text(json.dumps(summary, indent=2) + "\n")
    print(json.dumps(summary, indent=2))
    return 0


def table(rows: list[dict]) -> str:
    lines = ["| order | claims | rest | stance F1: default → continued (gain) "
             "| group F1: default → continued (gain) | train s |", "|---|---:|---:|---|---|---:|"]
    for r in rows:
        cells = []
        for task in ("stance", "speaker_group"):
            cells.append(f"{r[f'default_{task}_f1']:.3f} → {r[f'{task}_f1']:.3f} ({r[f'{task}_gain']:+.3f})"
                         if r["rest"] else "— (nothing left to score)")
        seconds = r.get("train_seconds", "—")
        lines.append(f"| {r['order']} | {r['claims']} | {r['rest']} | {cells[0]} | {cells[1]} | {seconds} |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
