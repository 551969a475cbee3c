"""``stance eval attribution``: score the claims stage on a brat folder (e.g. PolNeAR dev).

    stance eval attribution --brat ../shared/corpus/polnear/dev [--text DIR] [--out scores.json] [--limit N]
                            [--tagger DIR]

The main CLI calls :func:`add_parser` on its ``eval`` subparsers.
"""

from __future__ import annotations

import argparse
import json
import warnings
from pathlib import Path


def add_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "attribution",
        help="score source, cue and content spans against brat attribution annotations",
        description="Score the claims stage against brat standoff attribution annotations (PolNeAR's format): "
                    "exact and overlap precision, recall and F1 for source, cue and content.",
    )
    parser.add_argument("--brat", required=True, metavar="DIR",
                        help="folder of .ann files, or a PolNeAR split folder holding attributions/ and text/")
    parser.add_argument("--text", metavar="DIR", help="folder of the .txt files (default: beside the .ann, or ../text)")
    parser.add_argument("--out", metavar="FILE.json", help="also write the metrics as JSON")
    parser.add_argument("--report", metavar="DIR",
                        help="also write report.html, report.md and metrics.json (the stance eval report format)")
    parser.add_argument("--force", action="store_true",
                        help="write the --report files into a folder that holds other files")
    parser.add_argument("--limit", type=int, metavar="N", help="score only the first N articles")
    parser.add_argument("--tagger", metavar="DIR",
                        help="score the trained tagger built in DIR (python -m stance.claims.tagger build) "
                             "instead of the rules")
    parser.set_defaults(func=run)
    return parser


def run(args) -> int:
    from stance.errors import InputError

    from .attribution import print_table, run_attribution_eval

    if not Path(args.brat).is_dir():
        raise InputError("no such folder", args.brat)
    if args.text and not Path(args.text).is_dir():
        raise InputError("no such folder", args.text)
    from stance.outputs import check_output_file, check_report_folder

    if args.out:
        check_output_file(args.out)
    if args.report:
        check_report_folder(args.report, force=args.force)
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        try:
            result = run_attribution_eval(args.brat, args.text, limit=args.limit, tagger=args.tagger)
        except FileNotFoundError as err:
            raise InputError(str(err)) from None
    print_table(result)
    if args.out:
        from stance.io import atomic_write

        atomic_write(args.out, json.dumps(result, indent=2) + "\n")
    if args.report:
        from .report import write_attribution_report

        write_attribution_report(result, args.report)
        print(f"report: {Path(args.report) / 'report.html'}")
    return 0


def main(argv=None) -> int:
    """Stand-alone entry: ``python -m eval.attribution_cli --brat DIR``."""
    parser = argparse.ArgumentParser(prog="stance eval")
    sub = parser.add_subparsers(dest="command", required=True)
    add_parser(sub)
    args = parser.parse_args(["attribution"] + (argv if argv is not None else __import__("sys").argv[1:]))
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
