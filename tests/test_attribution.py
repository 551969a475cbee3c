"""eval.attribution: span scoring of the claims stage on brat folders."""

from __future__ import annotations

import argparse
import json
import warnings
from pathlib import Path

import pytest

from stance.eval.attribution import format_table, match_spans, normalise, run_attribution_eval
from stance.eval.attribution_cli import add_parser
from stance.records import Attribution

POLNEAR = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "polnear"

TEXT = ("The army said that the strike was deliberate.\n\n"
        "\u201cWe were fired on first,\u201d the general said, \u201cand we responded.\u201d\n")


def _at(text: str, words: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(words, start + 1)
    return start, start + len(words)


def _brat_folder(tmp_path: Path) -> Path:
    t = TEXT
    src1, cue1, con1 = _at(t, "The army"), _at(t, "said"), _at(t, "that the strike was deliberate")
    src2, cue2 = _at(t, "the general"), _at(t, "said", 1)
    piece_a, piece_b = _at(t, "\u201cWe were fired on first,\u201d"), _at(t, "\u201cand we responded.\u201d")
    ann = [
        f"T1\tSource {src1[0]} {src1[1]}\tThe army", f"T2\tCue {cue1[0]} {cue1[1]}\tsaid",
        f"T3\tContent {con1[0]} {con1[1]}\tx", f"T4\tAttribution {cue1[0]} {cue1[1]}\tsaid",
        "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1",
        f"T5\tSource {src2[0]} {src2[1]}\tthe general", f"T6\tCue {cue2[0]} {cue2[1]}\tsaid",
        f"T7\tContent {piece_a[0]} {piece_a[1]};{piece_b[0]} {piece_b[1]}\tx",
        f"T8\tAttribution {cue2[0]} {cue2[1]}\tsaid", "E2\tAttribution:T8 Content:T7 Cue:T6 Source:T5",
    ]
    (tmp_path / "story.txt").write_text(t, encoding="utf-8")
    (tmp_path / "story_0a1b.ann").write_text("\n".join(ann) + "\n", encoding="utf-8")
    return tmp_path


def test_normalise_drops_that_quotes_and_punctuation():
    text = "\u201cthat the posts fired first.\u201d"
    assert text[slice(*normalise(text, (0, len(text)), "content"))] == "the posts fired first"
    assert normalise("  ,", (0, 3), "source") is None


def test_match_spans_modes():
    text = "the army said the strike was deliberate and unprovoked"
    gold = [(14, 54)]
    counts = match_spans(text, gold, [(14, 39)], "content")  # 4 of 6 words: token F1 0.8
    assert counts == {"exact": 0, "strict": 0, "overlap": 1, "gold": 1, "pred": 1}
    assert match_spans(text, gold, [(40, 54)], "content")["overlap"] == 1  # 2 of 6 words: F1 exactly 0.5
    assert match_spans(text, gold, [(44, 54)], "content")["overlap"] == 0  # 1 of 6 words: F1 0.29
    assert match_spans(text, gold, [(14, 54), (14, 54)], "content")["exact"] == 1  # one to one


def test_run_attribution_eval_with_the_real_extractor(tmp_path):
    result = run_attribution_eval(_brat_folder(tmp_path))
    assert result["documents"] == 1
    for role in ("source", "cue", "content"):
        assert set(result[role]) == {"exact", "strict", "overlap"}
    # two gold sources, two cues; the interrupted quote counts as its two pieces
    assert result["source"]["overlap"]["n_gold"] == 2
    assert result["content"]["overlap"]["n_gold"] == 3
    assert result["source"]["exact"]["f1"] == 1.0
    assert result["cue"]["exact"]["f1"] == 1.0
    assert result["content"]["exact"]["recall"] == 1.0  # "that" and the marks are trimmed on both sides
    assert result["content"]["strict"]["recall"] < 1.0
    json.dumps(result)
    table = format_table(result)
    assert "content" in table and "overlap" in table


def test_run_attribution_eval_custom_extractor_and_empty_prediction(tmp_path):
    folder = _brat_folder(tmp_path)
    result = run_attribution_eval(folder, extractor=lambda docs: [[] for _ in docs])
    assert result["content"]["overlap"]["recall"] == 0.0 and result["content"]["overlap"]["precision"] == 0.0
    start = TEXT.index("the strike")
    one = [Attribution(content=(start, start + len("the strike was deliberate")), sentence=(0, 45))]
    result = run_attribution_eval(folder, extractor=lambda docs: [one for _ in docs])
    assert result["content"]["exact"]["n_matched"] == 1 and result["content"]["exact"]["precision"] == 1.0


def test_cli_parser_and_run(tmp_path, capsys):
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command")
    add_parser(sub)
    out = tmp_path / "scores.json"
    report = tmp_path / "report"
    args = parser.parse_args(["attribution", "--brat", str(_brat_folder(tmp_path)), "--out", str(out), "--limit", "1",
                              "--report", str(report)])
    assert args.func(args) == 0
    assert "source" in capsys.readouterr().out
    assert json.loads(out.read_text())["documents"] == 1
    assert json.loads((report / "metrics.json").read_text())["attribution"]["documents"] == 1
    assert "<table" in (report / "report.html").read_text() and (report / "report.md").exists()


@pytest.mark.skipif(not POLNEAR.is_dir(), reason="PolNeAR is not in ../shared")
def test_polnear_dev_sample_scores():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = run_attribution_eval(POLNEAR / "dev", limit=3)
    assert result["documents"] == 3
    for role in ("source", "cue", "content"):
        assert result[role]["overlap"]["n_gold"] > 0
        assert 0.0 < result[role]["overlap"]["f1"] <= 1.0


def test_tagger_labels_decode_and_merge():
    from stance.claims.tagger import LABELS, _decode, _merge, token_labels

    text = "The army said the posts fired first."
    roles = [""] * len(text)
    for role, words in (("SRC", "The army"), ("CUE", "said"), ("CON", "the posts fired first")):
        start = text.index(words)
        for i in range(start, start + len(words)):
            roles[i] = role
    offsets = [(m.start(), m.end()) for m in __import__("re").finditer(r"\w+|[^\w\s]", text)]
    labels = token_labels(offsets, roles, {text.index("The army"), text.index("said"), text.index("the posts")})
    tags = [LABELS[i] for i in labels]
    assert tags == ["B-SRC", "I-SRC", "B-CUE", "B-CON", "I-CON", "I-CON", "I-CON", "O"]
    decoded = [(role, text[a:b]) for role, (a, b) in _decode(tags, offsets)]
    assert decoded == [("SRC", "The army"), ("CUE", "said"), ("CON", "the posts fired first")]
    assert _merge('a "b" c', [(0, 1), (3, 4)]) == [(0, 4)]
    assert _merge("a b\nc", [(0, 1), (4, 5)]) == [(0, 1), (4, 5)]


def test_tagger_attributions_pair_each_content_with_its_cue_and_source(monkeypatch):
    """What a built tagger tags becomes claims: the nearest cue in the paragraph, then that cue's source."""
    from stance.claims.tagger import Tagger
    from stance.reader import document_from_text

    tagged = {"SRC": [_at(TEXT, "The army"), _at(TEXT, "the general")], "CUE": [_at(TEXT, "said"), _at(TEXT, "said", 1)],
              "CON": [_at(TEXT, "that the strike was deliberate"), _at(TEXT, "\u201cWe were fired on first,\u201d"),
                      _at(TEXT, "first")]}  # a one-word content is dropped
    tagger = Tagger.__new__(Tagger)  # the decoding is tested above; here, the claims built from its spans
    monkeypatch.setattr(tagger, "spans", lambda text, blocks: tagged)
    found = [(TEXT[slice(*a.source)], TEXT[slice(*a.cue)], TEXT[slice(*a.content)], a.kind)
             for a in tagger.attributions(document_from_text(TEXT))]
    assert found == [("The army", "said", "that the strike was deliberate", "indirect"),
                     ("the general", "said", "\u201cWe were fired on first,\u201d", "direct")]


@pytest.mark.slow
def test_tagger_builds_and_tags_on_a_tiny_corpus(tmp_path):
    from stance.claims.tagger import Tagger, build
    from stance.reader import document_from_text

    folder = _brat_folder(tmp_path / "corpus") if (tmp_path / "corpus").mkdir() is None else None
    meta = build(folder, tmp_path / "tagger", epochs=1, max_minutes=2, batch_size=2, log=lambda *_: None)
    assert meta["steps"] >= 1 and meta["windows"] >= 1
    document = document_from_text(TEXT)
    spans = Tagger(tmp_path / "tagger").spans(document.view, document.body)
    assert set(spans) == {"SRC", "CUE", "CON"}  # one epoch on one story: what it tags, if anything, is in the text
    assert all(0 <= a < b <= len(TEXT) for found in spans.values() for a, b in found)
