"""The ``stance`` command: a thin layer over the Python API.

Bad input (a file, a line) is one line on stderr and exit code 2, never a
traceback; the other files of the same run are still processed and written.
Exit codes: 0 done, 1 internal error (a bug: the message says where to
report it), 2 bad input or usage, 130 interrupted.

Messages go through the ``stance`` logger; ``main`` attaches a handler to
stderr for the length of one run (``-v`` adds debug lines, ``-q`` keeps only
problems), so a program that calls ``main`` keeps its own logging set-up.
"""

from __future__ import annotations

import argparse
import inspect
import logging
import os
import sys
from pathlib import Path
from typing import Callable

from .errors import InputError

EXIT_OK, EXIT_BUG, EXIT_BAD_INPUT, EXIT_INTERRUPTED = 0, 1, 2, 130
REPORT_BUGS = "the stance issue tracker (README, \"Reporting a bug\")"
EXIT_CODES = "exit codes: 0 done, 1 internal error (a bug in stance), 2 bad input or usage, 130 interrupted"
logger = logging.getLogger("stance")


class _HelpFormatter(argparse.ArgumentDefaultsHelpFormatter):
    """Shows each option's default, except where there is none or the help already says it."""

    def _get_help_string(self, action):
        if action.default is None or isinstance(action.default, bool) or "default:" in (action.help or ""):
            return action.help
        return super()._get_help_string(action)


class _Parser(argparse.ArgumentParser):
    """Every (sub)command's parser shows defaults: sub-parsers are built with the parent's class."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _HelpFormatter)
        super().__init__(*args, **kwargs)


class _Run:
    """Collects per-file errors so a run goes on and exits 2 at the end."""

    def __init__(self):
        self.failed = False

    def error(self, err: InputError | str) -> None:
        self.failed = True
        for line in str(err).splitlines():
            logger.error("%s", line)


def _emit(text: str, out: str | None) -> None:
    """To ``--out`` (atomically: the whole new file or the old one) or to stdout.

    With ``--out`` the file always holds this run's output, even when every
    input was bad (then an empty table or a CSV header): never a stale one.
    """
    if out:
        from .io import atomic_write

        atomic_write(out, text)
        logger.info("wrote %s", out)
    else:
        sys.stdout.write(text)


def _check_out(args, inputs) -> None:
    """Refuse an unusable ``--out`` (or ``--model``) before any work is done."""
    if args.out:
        from .outputs import check_output_file

        check_output_file(args.out, inputs)
    model = getattr(args, "model", "default")
    if model != "default":
        from .outputs import is_model_folder

        from .modeling.saved import is_hub_id

        if not Path(model).is_dir() and not is_hub_id(model):
            raise InputError("no such model folder", model)
        if Path(model).is_dir() and not is_model_folder(model):
            raise InputError("not a stance model folder (no stance config.json)", model)


def cmd_claims(args, run: _Run) -> None:
    from . import formats
    from .dispute import load_dispute
    from .io import read_documents
    from .pipeline import extract_documents

    _check_out(args, args.paths)
    dispute = load_dispute(args.dispute)
    documents = read_documents(args.paths, run.error)
    tagger = _tagger(args)
    claims = [c for _, cs in extract_documents(documents, dispute=dispute, progress=args.progress, tagger=tagger)
              for c in cs]
    render: dict[str, Callable] = {"table": formats.claims_table, "jsonl": formats.claims_jsonl,
                                   "csv": formats.claims_csv}
    _emit(render[args.format](claims), args.out)


def _tagger(args):
    if not args.tagger:
        return None
    from .claims.tagger import Tagger

    return Tagger(args.tagger)


def _model(args):
    from .models import load_model

    model = load_model(args.model, progress=args.progress)
    if args.dispute:
        from .dispute import load_dispute

        wanted = load_dispute(args.dispute)
        if wanted.labels("stance") != model.labels["stance"] or wanted.labels("speaker_group") != model.labels["speaker_group"]:
            raise InputError(f"the model's labels are those of {model.dispute.name!r}, not of this dispute: "
                             "train a model for it with `stance train`", args.dispute)
        model.dispute = wanted
    return model


def cmd_score(args, run: _Run) -> None:
    from . import formats
    from .io import read_documents
    from .scoring import score_documents

    _check_out(args, args.paths)
    documents = read_documents(args.paths, run.error)
    if documents:
        model = _model(args)
        results = score_documents(documents, model, progress=args.progress, tagger=_tagger(args))
        labels, title = model.labels, model.dispute.title
    else:  # nothing to score: the empty output, without loading (or building) a model
        results, (labels, title) = [], _labels_without_model(args)
    render = {
        "table": lambda: formats.articles_table(results),
        "jsonl": lambda: formats.articles_jsonl(results),
        "csv": lambda: formats.articles_csv(results, labels),
        "html": lambda: formats.articles_html(results, labels, title=f"stance: {title}"),
    }
    _emit(render[args.format](), args.out)


def _labels_without_model(args) -> tuple[dict[str, list[str]], str]:
    """The label sets and dispute title a run would have used: the model folder's, else the dispute's."""
    from .dispute import load_dispute
    from .modeling.saved import folder_labels

    if args.model != "default" and not args.dispute:
        try:
            labels = folder_labels(args.model)
            return labels, load_dispute(Path(args.model) / "dispute.toml").title
        except (OSError, ValueError, KeyError, TypeError, InputError):
            pass
    dispute = load_dispute(args.dispute)
    return {t: dispute.labels(t) for t in ("stance", "speaker_group")}, dispute.title


def cmd_classify(args, run: _Run) -> None:
    from . import formats
    from .given import as_given
    from .io import read_claims
    from .records import CLASSIFY_FIELDS

    _check_out(args, args.paths)
    claims = read_claims(args.paths, required=CLASSIFY_FIELDS, on_error=run.error)
    if claims:
        model = _model(args)
        labelled, labels = model.label([as_given(c, model.dispute) for c in claims]), model.labels
    else:
        labelled, labels = [], _labels_without_model(args)[0]
    for c in labelled:
        c.extra.pop("_source", None)
    render = {"jsonl": formats.claims_jsonl, "table": formats.claims_table,
              "csv": lambda cs: formats.claims_csv(cs, labels)}
    _emit(render[args.format](labelled), args.out)


def cmd_train(args, run: _Run) -> None:
    from .classifier import StanceClassifier, TrainingArguments
    from .dispute import load_dispute
    from .outputs import check_model_folder
    from stance.training.data import load_training_data, with_resolved_speakers

    check_model_folder(args.out)
    init = _init_model(args)
    dispute = load_dispute(args.dispute)
    claims = load_training_data(args.data, dispute)
    dev = load_training_data(args.dev, dispute) if args.dev else None
    if args.articles:
        claims = with_resolved_speakers(claims, args.articles, dispute)
        dev = with_resolved_speakers(dev, args.articles, dispute) if dev else None
    targs = TrainingArguments(base_model=args.base_model, method=args.method, epochs=args.epochs,
                              learning_rate=args.learning_rate, batch_size=args.batch_size, seed=args.seed,
                              class_weights=not args.no_class_weights, patience=args.patience,
                              dev_fraction=args.dev_fraction)
    model = StanceClassifier(dispute, targs).fit(claims, dev, output_dir=args.out, resume=args.resume,
                                                  progress=args.progress, log=logger.info, init=init)
    best = [e for e in model.summary_["epochs"] if e.get("best")] or model.summary_["epochs"][-1:]
    figures = ", ".join(f"{k} {v:.3f}" for k, v in best[0].items() if k.endswith(("f1", "accuracy")))
    logger.info(f"saved {args.out} ({model.summary_['method']}, {model.summary_['train_claims']} claims"
                + (f"; dev {figures}" if figures else "") + ")")


def _init_model(args) -> str | None:
    """``--init``: the folder of the model to continue from (``default``: the default model's)."""
    from .models import model_folder

    return str(model_folder(args.init, progress=args.progress)) if args.init else None


def cmd_model(args, run: _Run) -> None:
    import json

    from .models import build_default_model

    if args.action == "build":
        path = build_default_model(force=args.force, progress=args.progress)
        print(path)
    else:
        path = Path(args.path) if args.path else build_default_model(progress=args.progress)
        summary = path / "training_summary.json"
        if not summary.exists():
            raise InputError("not a stance model folder (no training_summary.json)", path)
        print(json.dumps({"path": str(path), **json.loads(summary.read_text())}, indent=2))


def cmd_report(args, run: _Run) -> None:
    try:
        from .report import build_report
    except ImportError as err:
        raise InputError(f"needs the report extra ({err.name} is missing): pip install 'stance[report]'") from None

    if args.jobs < 1:
        raise InputError("--jobs takes a number of worker processes, 1 or more")
    done = build_report(args.paths, args.out, model=args.model, meta=args.meta, jobs=args.jobs,
                        progress=args.progress, on_error=run.error, log=logger.info)
    logger.info(f"wrote {done.out}/index.html: {done.n_articles} articles ({done.scored} scored, {done.reused} from the "
        f"store), {done.n_claims} claims")


def cmd_annotate(args, run: _Run) -> None:
    from .annotate import annotate
    from .annotate.session import check_out
    from .scoring import read_documents

    _check_out(args, args.paths)
    check_out(args.out, args.paths)
    documents = read_documents(args.paths, run.error)
    if not documents:
        raise InputError("no article to annotate")
    annotate(documents, _model(args), args.out, port=args.port, progress=args.progress)


DISPUTE_HELP = "dispute configuration (TOML); default: the 2011 NATO strike on the Salala posts"
TAGGER_HELP = "find claims with an attribution tagger built from PolNeAR (python -m stance.claims.tagger build); " \
              "default: the rules"
OUT_HELP = "write here (atomically: the whole new file or the old one) instead of stdout"
MODEL_HELP = "a model folder, or 'default' (built on first use, then cached)"
PATHS_HELP = "article files (.txt, .html), folders or globs"


def build_parser() -> argparse.ArgumentParser:
    from . import __version__

    parser = _Parser(prog="stance", description="Who claims what in the news, and whose side it supports.",
                     epilog=EXIT_CODES)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--no-progress", dest="progress", action="store_false",
                        help="no progress bars (they show only on a terminal anyway)")
    parser.add_argument("-v", "--verbose", action="store_true", help="also debug messages")
    parser.add_argument("-q", "--quiet", action="store_true", help="only problems: no progress, no 'wrote' lines")
    sub = parser.add_subparsers(dest="command", required=True)
    for add in (_add_claims, _add_score, _add_classify, _add_train, _add_model, _add_eval, _add_report, _add_annotate):
        add(sub)
    return parser


def _add_claims(sub) -> None:
    _reading_command(sub, "claims", "find every attributed claim, its speaker and the speaker's group", cmd_claims,
                     formats=["table", "jsonl", "csv"], tagger=True)


def _add_score(sub) -> None:
    _reading_command(sub, "score", "claims with speaker group and stance, per claim, sentence and article", cmd_score,
                     formats=["table", "jsonl", "csv", "html"], model=True, tagger=True)


def _add_classify(sub) -> None:
    _reading_command(sub, "classify", "label claims given as JSONL (id, sentence, claim, speaker)", cmd_classify,
                     formats=["jsonl", "table", "csv"], model=True, metavar="FILE.jsonl",
                     paths_help="claims, one JSON object a line (docs/annotation.md)")


def _reading_command(sub, name: str, summary: str, func: Callable, *, formats: list[str], model: bool = False,
                     tagger: bool = False, metavar: str = "PATH", paths_help: str = PATHS_HELP) -> None:
    """A command that reads PATHs and writes one output (the first of ``formats`` by default)."""
    p = sub.add_parser(name, help=summary, epilog=EXIT_CODES)
    p.add_argument("paths", nargs="+", metavar=metavar, help=paths_help)
    if model:
        p.add_argument("--model", default="default", help=MODEL_HELP)
    p.add_argument("--format", choices=formats, default=formats[0], help="output format")
    p.add_argument("--dispute", help=DISPUTE_HELP + (" (its labels must be the model's)" if model else ""))
    if tagger:
        p.add_argument("--tagger", metavar="DIR", help=TAGGER_HELP)
    p.add_argument("--out", help=OUT_HELP)
    p.set_defaults(func=func)


def _add_train(sub) -> None:
    p = sub.add_parser("train", help="fine-tune a model on annotated claims (JSONL or a saved datasets dataset)",
                       epilog=EXIT_CODES)
    p.add_argument("data", nargs="+", metavar="DATA",
                   help="annotated claims: JSONL files, folders, globs (docs/annotation.md) or saved datasets")
    p.add_argument("--out", required=True, help="model folder to write")
    p.add_argument("--dev", nargs="+", help="dev set; default: a split of the data by document")
    p.add_argument("--articles", metavar="DIR", help="the claims' articles (<doc_id>.txt): train on the names the "
                   "speakers stage resolves there, as the default model does, not the annotators'")
    p.add_argument("--dispute", help=DISPUTE_HELP)
    p.add_argument("--base-model", help="encoder: all-mpnet-base-v2 or all-MiniLM-L6-v2 (packaged; MiniLM trains about 6x faster), "
                        "a folder, or a hub id; default: all-mpnet-base-v2")
    p.add_argument("--method", choices=["auto", "finetune", "fewshot"], default="auto",
                   help="fine-tune the encoder, or fit heads on frozen embeddings (few-shot); auto picks by data size")
    p.add_argument("--epochs", type=int, default=8, help="training epochs at most")
    p.add_argument("--learning-rate", type=float, default=6e-5, help="peak learning rate")
    p.add_argument("--batch-size", type=int, default=16, help="claims per training step")
    p.add_argument("--seed", type=int, default=42, help="seed of the run's random generators")
    p.add_argument("--patience", type=int, default=3, help="epochs without dev improvement before stopping")
    p.add_argument("--dev-fraction", type=float, default=0.15,
                   help="share of the claims held out as dev, whole documents only, when --dev is not given")
    p.add_argument("--no-class-weights", action="store_true", help="do not weight the loss by inverse label frequency")
    p.add_argument("--resume", action="store_true", help="continue from OUT's checkpoint")
    p.add_argument("--init", metavar="default|DIR", help="start from this stance model's weights (encoder and both "
                   "heads) instead of the base encoder: adapt a model to new claims")
    p.set_defaults(func=cmd_train)


def _add_annotate(sub) -> None:
    p = sub.add_parser("annotate", help="review the model's claims in a local page and save them as gold JSONL")
    p.add_argument("paths", nargs="+", metavar="PATH", help=PATHS_HELP)
    p.add_argument("--out", required=True, metavar="GOLD.jsonl",
                   help="gold file, rewritten atomically after every decision (journal beside it: GOLD.jsonl.journal)")
    p.add_argument("--model", default="default", help=MODEL_HELP)
    p.add_argument("--port", type=int, default=8765, help="port on 127.0.0.1 (0: any free port)")
    p.add_argument("--dispute", help=DISPUTE_HELP)
    p.set_defaults(func=cmd_annotate)


def _add_model(sub) -> None:
    p = sub.add_parser("model", help="the default model: build it ahead of time, or show a model's summary",
                       epilog=EXIT_CODES)
    p.add_argument("action", choices=["build", "info"], help="build the default model, or print a model's summary")
    p.add_argument("path", nargs="?", help="with info: a model folder; default: the default model")
    p.add_argument("--force", action="store_true", help="with build: rebuild even if cached")
    p.set_defaults(func=cmd_model)


def _add_eval(sub) -> None:
    """``stance eval`` and ``stance eval attribution`` live in the evaluation harness."""
    from stance.eval.attribution_cli import add_parser as add_attribution
    from stance.eval.cli import add_parser

    _, eval_commands = add_parser(sub)
    add_attribution(eval_commands)


def _add_report(sub) -> None:
    p = sub.add_parser("report", help="corpus dashboard: score into a store that grows with the corpus, "
                       "then write index.html, claims.parquet/.csv, summary.json")
    p.add_argument("paths", nargs="+", metavar="PATH", help=PATHS_HELP)
    p.add_argument("--out", required=True, metavar="DIR", help="report folder (holds the store: re-runs reuse it)")
    p.add_argument("--meta", metavar="FILE", help="outlet, date, title, url per doc_id (CSV or JSONL); default: "
                   "the articles' own HTML meta tags, else the 'unknown' bucket")
    p.add_argument("--model", default="default", help=MODEL_HELP)
    p.add_argument("--jobs", type=int, default=1, help="worker processes that score (each loads the model once)")
    p.set_defaults(func=cmd_report)


def main(argv: list[str] | None = None) -> int:
    """Run one command; returns the exit code (0, 1 bug, 2 bad input or usage, 130 interrupted)."""
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exit:  # argparse has printed the usage line (or the help, or the version)
        return exit.code if isinstance(exit.code, int) else EXIT_BAD_INPUT
    handler, level = _log_to_stderr(args), logger.level
    logger.setLevel(logging.WARNING if args.quiet else logging.DEBUG if args.verbose else logging.INFO)
    try:
        return _run(args, argv)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


def _log_to_stderr(args) -> logging.Handler:
    """A handler for this run: ``stance: message`` lines on the stderr of the moment."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("stance: %(message)s"))
    logger.addHandler(handler)
    if args.quiet:
        args.progress = False
    return handler


def _run(args, argv: list[str] | None) -> int:
    run = _Run()
    try:
        # The evaluation harness's commands take (args) and return an exit code.
        if len(inspect.signature(args.func).parameters) == 1:
            code = args.func(args) or EXIT_OK
            return EXIT_BAD_INPUT if run.failed else code
        args.func(args, run)
    except InputError as err:
        run.error(err)
    except KeyboardInterrupt:
        logger.error("interrupted")
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # `stance claims ... | head`: the reader has all it wanted
        sys.stdout = open(os.devnull, "w")
        return EXIT_OK
    except Exception as err:  # noqa: BLE001 - the one place a bug becomes a message, not a traceback
        if os.environ.get("STANCE_DEBUG"):
            raise
        _report_bug(err, argv if argv is not None else sys.argv[1:])
        return EXIT_BUG
    return EXIT_BAD_INPUT if run.failed else EXIT_OK


def _report_bug(err: Exception, argv: list[str]) -> None:
    """One line for an internal error; the traceback goes to a file to attach to the report."""
    import tempfile
    import traceback

    where = "run it again with STANCE_DEBUG=1 to see the traceback"
    try:
        fd, path = tempfile.mkstemp(prefix="stance-crash-", suffix=".txt")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(f"stance {' '.join(argv)}\n\n" + "".join(traceback.format_exception(err)))
        where = f"with the details saved in {path}"
    except OSError:
        pass
    what = (str(err).splitlines() or [""])[0][:200]
    logger.error("internal error (%s%s): a bug in stance, not a problem with your input; please report it to %s, %s",
                 type(err).__name__, ": " + what if what else "", REPORT_BUGS, where)


if __name__ == "__main__":
    sys.exit(main())
