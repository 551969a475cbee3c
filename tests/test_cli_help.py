"""The command line explains itself: version, every option's help and default, exit codes, -v/-q."""

from __future__ import annotations

import argparse
import logging

import pytest

import stance
from stance.cli import build_parser, main

from conftest import SEED


def _parsers(parser: argparse.ArgumentParser, name: str = "stance"):
    yield name, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub_name, sub in action.choices.items():
                yield from _parsers(sub, f"{name} {sub_name}")


def test_version_comes_from_the_package_metadata(capsys):
    from importlib.metadata import version

    assert stance.__version__ == version("stance")
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"stance {stance.__version__}"


@pytest.mark.parametrize("name,parser", list(_parsers(build_parser())), ids=lambda v: v if isinstance(v, str) else "")
def test_every_option_has_help_and_shows_its_default(name, parser):
    text = " ".join(parser.format_help().split())
    for action in parser._actions:
        if isinstance(action, (argparse._HelpAction, argparse._VersionAction, argparse._SubParsersAction)):
            continue
        assert action.help, f"{name} {action.dest}: no help text"
        if action.option_strings and action.default is not None and not isinstance(action.default, bool) \
                and action.default is not argparse.SUPPRESS:
            assert f"(default: {action.default}" in text or f"default: {action.default}" in text, \
                f"{name} {action.option_strings[0]}: default {action.default!r} not shown"


def test_exit_codes_are_in_the_help():
    text = " ".join(build_parser().format_help().split())
    assert "exit codes: 0 done, 1 internal error (a bug in stance), 2 bad input or usage" in text


def test_usage_error_exits_2(capsys):
    assert main(["claims", str(SEED), "--format", "yaml"]) == 2
    assert "invalid choice" in capsys.readouterr().err


def test_quiet_keeps_problems_and_drops_the_wrote_line(tmp_path, capsys):
    out = tmp_path / "claims.jsonl"
    assert main(["-q", "claims", str(SEED), str(tmp_path / "missing.txt"), "--format", "jsonl", "--out", str(out)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and "missing.txt" in err[0] and err[0].startswith("stance: ")
    assert main(["claims", str(SEED), "--format", "jsonl", "--out", str(out)]) == 0
    assert capsys.readouterr().err.splitlines() == [f"stance: wrote {out}"]


def test_main_leaves_the_callers_logging_as_it_was(tmp_path):
    logger = logging.getLogger("stance")
    handlers, level = list(logger.handlers), logger.level
    main(["-v", "claims", str(SEED), "--format", "jsonl", "--out", str(tmp_path / "c.jsonl")])
    assert logger.handlers == handlers and logger.level == level
