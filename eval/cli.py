"""``stance eval``: score models and baselines on a gold set and write the report.

The main CLI calls ``add_parser(subparsers)`` and, for this command,
``run(args)``. Other evaluations (``stance eval attribution``) register as
sub-commands on the sub-parsers object ``add_parser`` returns; each sets its
own ``func``.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from stance.errors import InputError

from .baselines import BASELINES

if TYPE_CHECKING:  # the harness (scipy, matplotlib) loads when `stance eval` runs, not with every command
    from .harness import Candidate

#: ``--model`` words that are not folders.
DEFAULT_MODEL, FRESH_MODEL = "default", "transformer"


def add_parser(subparsers) -> tuple[argparse.ArgumentParser, argparse._SubParsersAction]:
    """Register ``eval``; return its parser and its sub-parsers object (for ``attribution``)."""
    parser = subparsers.add_parser(
        "eval", help="evaluate models and baselines on a gold set, write an HTML/Markdown report",
        description="Score stance and speaker group classification (claims given) and, with --articles, "
                    "end to end from the raw articles; compare models with baselines; write DIR/report.html, "
                    "report.md, metrics.json and predictions.jsonl.")
    parser.add_argument("--data", metavar="GOLD.jsonl", help="gold claims (docs/annotation.md)")
    parser.add_argument("--articles", metavar="DIR",
                        help="raw articles <doc_id>.txt or .html of the gold documents: adds end-to-end scores")
    parser.add_argument("--model", action="extend", nargs="+", metavar="M",
                        help=f"a saved model folder, {DEFAULT_MODEL!r}, or {FRESH_MODEL!r} (a fresh classifier, "
                             f"fitted per fold with --cv or on --train); repeat to compare (default: "
                             f"{DEFAULT_MODEL}, or {FRESH_MODEL} with --cv)")
    fitting = parser.add_mutually_exclusive_group()
    fitting.add_argument("--cv", type=int, metavar="K",
                         help="K-fold cross-validation by document: every model and baseline that learns is "
                              "fitted on K-1 folds and predicts the held-out one")
    fitting.add_argument("--train", metavar="TRAIN.jsonl",
                         help="claims to fit the candidates that learn on (the majority and TF-IDF baselines, "
                              "transformer); default: 5-fold cross-validation by document on the gold set")
    parser.add_argument("--dev", metavar="DEV.jsonl", help="dev claims to fit temperature scaling on")
    parser.add_argument("--baselines", default=",".join(BASELINES), metavar="NAMES",
                        help=f"comma-separated, or 'none' (default: {','.join(BASELINES)})")
    parser.add_argument("--seed", type=int, default=0, help="bootstrap and fold seed (default: 0)")
    parser.add_argument("--bootstrap", type=int, default=1000, metavar="N", help="bootstrap resamples (default: 1000)")
    parser.add_argument("--max-errors", type=int, default=50, metavar="N",
                        help="errors listed per model in the report (default: 50)")
    parser.add_argument("--dispute", default=argparse.SUPPRESS, metavar="FILE",
                        help="dispute configuration (default: the built-in one)")
    parser.add_argument("--out", metavar="DIR", help="folder for the report files: new, empty or an earlier report's")
    parser.add_argument("--force", action="store_true",
                        help="write the report files into --out even if it holds other files (only report.html, "
                             "report.md, metrics.json and predictions.jsonl are replaced)")
    parser.set_defaults(func=run)
    commands = parser.add_subparsers(dest="eval_command", metavar="{attribution,agreement}")
    from .agreement_cli import add_parser as add_agreement

    add_agreement(commands)
    return parser, commands


def run(args: argparse.Namespace) -> int:
    """Read, check, evaluate, write; input problems raise ``InputError`` (exit code 2)."""
    from stance.dispute import load_dispute
    from stance.io import read_claims
    from stance.outputs import check_report_folder

    try:
        import matplotlib  # noqa: F401 - the report's figures: missing is said before the work, not after
        from .harness import EvalArguments, baseline_candidates, evaluate, find_articles
        from .report import terminal_summary, write_report
    except ModuleNotFoundError as err:
        raise InputError(f"stance eval needs the evaluation extra: pip install 'stance[eval]' ({err.name} is missing)") \
            from None

    if not args.data or not args.out:
        raise InputError("stance eval needs --data GOLD.jsonl and --out DIR")
    check_report_folder(args.out, force=getattr(args, "force", False))  # before the work, not after it
    dispute = load_dispute(getattr(args, "dispute", None))
    names = [] if args.baselines.strip() == "none" else [n.strip() for n in args.baselines.split(",") if n.strip()]
    unknown = [n for n in names if n not in BASELINES]
    if unknown:
        raise InputError(f"--baselines: unknown baseline {unknown[0]!r} (known: {', '.join(BASELINES)}, none)")
    gold = read_claims([args.data], dispute)
    dev = read_claims([args.dev], dispute) if args.dev else None
    train = read_claims([args.train], dispute) if args.train else None
    articles = find_articles([c.doc_id for c in gold], args.articles) if args.articles else None  # before models load
    if articles:
        _check_articles(articles.values())
    specs = args.model or [FRESH_MODEL if args.cv else DEFAULT_MODEL]
    candidates = [_model_candidate(spec, dispute, bool(args.cv or train)) for spec in dict.fromkeys(specs)]
    candidates += baseline_candidates(dispute, names)
    sources = {"gold": args.data, "articles": args.articles, "dev": args.dev, "train": args.train}
    evaluation = evaluate(gold, candidates, dispute, EvalArguments(cv=args.cv, n_bootstrap=args.bootstrap, seed=args.seed),
                          train=train, dev=dev, articles=articles, sources=sources)
    write_report(evaluation, args.out, args.max_errors)
    print(terminal_summary(evaluation, args.out))
    return 0


def _check_articles(paths) -> None:
    """Every article reads (UTF-8, not empty, has text), or one ``InputError`` listing each that does not."""
    from stance.reader import read_document

    problems = []
    for path in paths:
        try:
            read_document(path)
        except InputError as err:
            problems.append(str(err))
    if problems:
        raise InputError("\n".join(problems))


def _model_candidate(spec: str, dispute, can_fit: bool) -> Candidate:
    """A ``--model`` word or folder as a candidate: ``transformer`` is fitted, the others load."""
    import stance

    from .harness import Candidate

    if spec == FRESH_MODEL:
        if not can_fit:
            raise InputError(f"--model {FRESH_MODEL} is a fresh classifier: it needs --cv K or --train TRAIN.jsonl")
        from stance.classifier import StanceClassifier
        from stance.models import DEFAULT_ARGS

        # the default model's recipe, so cross-validation measures what users get
        return Candidate(spec, make=lambda: StanceClassifier(dispute=dispute, args=DEFAULT_ARGS))
    return Candidate(spec, model=stance.load_model(spec))
