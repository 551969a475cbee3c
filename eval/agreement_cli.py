"""``stance eval agreement A.jsonl B.jsonl``: how far two annotators of the same articles agree."""

from __future__ import annotations

import argparse
import json


def add_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "agreement", help="inter-annotator agreement: Cohen's kappa per field, claim-span agreement, disagreements",
        description="Pair the claims of two annotation files with the matching rule (same sentence, token F1 >= 0.5), "
                    "report span agreement and Cohen's kappa per field on the pairs, and list every disagreement.")
    parser.add_argument("a", metavar="A.jsonl", help="one annotator's claims (JSONL, docs/annotation.md)")
    parser.add_argument("b", metavar="B.jsonl", help="the other annotator's claims on the same articles")
    parser.add_argument("--format", choices=["text", "json"], default="text",
                        help="a readable table, or the figures and disagreements as JSON")
    parser.add_argument("--out", metavar="FILE", help="write here (atomically) instead of stdout")
    parser.add_argument("--dispute", metavar="FILE", help="dispute configuration (default: the built-in one)")
    parser.set_defaults(func=run)
    return parser


def run(args) -> int:
    """Both files are read and checked in full (every bad line listed) before anything is written."""
    from stance.dispute import load_dispute
    from stance.errors import InputError
    from stance.io import atomic_write, read_claims
    from stance.outputs import check_output_file

    from .agreement import agreement, format_agreement

    if args.out:
        check_output_file(args.out, [args.a, args.b])
    dispute = load_dispute(args.dispute)
    sides, problems = [], []
    for path in (args.a, args.b):
        try:
            sides.append(read_claims([path], dispute))
        except InputError as err:
            problems.append(str(err))
    if problems:
        raise InputError("\n".join(problems))
    result = agreement(*sides)
    text = (json.dumps(result.to_json(), indent=2, ensure_ascii=False) + "\n" if args.format == "json"
            else format_agreement(result, args.a, args.b))
    if args.out:
        atomic_write(args.out, text)
    else:
        print(text, end="")
    return 0
