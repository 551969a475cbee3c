"""The report: one self-contained HTML file, the same numbers in Markdown (its speed: bench/report_speed.py)."""

import json
import re

from stance.eval import TASKS
from stance.eval.harness import Candidate, EvalArguments, baseline_candidates, evaluate
from stance.eval.report import attribution_report, to_html, to_markdown, write_attribution_report, write_report
from eval_fixtures import FakeModel, make_gold
from stance.dispute import load_dispute

DISPUTE = load_dispute()


def _evaluation(n_docs, n_claims, **kw):
    candidates = [Candidate("model-a", model=FakeModel()), Candidate("model-b", model=FakeModel(accuracy=0.5, seed=1))]
    return evaluate(make_gold(n_docs, n_claims), candidates + baseline_candidates(DISPUTE, ["majority"]), DISPUTE,
                    EvalArguments(**kw))


def test_html_is_self_contained_and_markdown_has_the_same_numbers(tmp_path):
    ev = _evaluation(10, 100, n_bootstrap=200)
    files = write_report(ev, tmp_path)
    page, markdown = files["html"].read_text(), files["markdown"].read_text()
    assert '<meta name="viewport"' in page and "<script" not in page
    assert not re.search(r'(src|href)="(?!data:)', page) and "http" not in page
    assert len(re.findall(r'<img src="data:image/png;base64,', page)) == 5
    metrics = json.loads(files["metrics"].read_text())
    for group in ("models", "baselines"):
        for entry in metrics[group].values():
            for task in TASKS:
                f1 = entry["tasks"][task]["macro_f1"]
                headline = f"{f1['value']:.3f} [{f1['ci_low']:.3f}, {f1['ci_high']:.3f}]"
                assert headline in page and headline in markdown
    # Figures become their tables in Markdown.
    assert markdown.count("*Confusion matrix: stance*") == 2 and "base64" not in markdown
    assert "| gold \\ predicted | us | pakistan_military | neutral |" in markdown


def test_attribution_report():
    metrics = {
        "source": {"exact": {"precision": 0.5, "recall": 0.25, "f1": 1 / 3, "tp": 1}, "overlap": {"precision": 0.75,
                                                                                                  "recall": 0.5, "f1": 0.6}},
        "cue": {"exact": {"f1": 0.9, "recall": 0.8, "precision": 1.0}},
        "documents": 12,
        "settings": {"overlap": "token"},
    }
    report = attribution_report(metrics)
    markdown, page = to_markdown(report), to_html(report)
    assert "| role | match | precision | recall | f1 | tp |" in markdown
    assert "| source | exact | 0.500 | 0.250 | 0.333 | 1 |" in markdown
    assert "| cue | exact | 1.000 | 0.800 | 0.900 | - |" in markdown
    assert "| documents | 12 |" in markdown and "| settings.overlap | token |" in markdown
    assert "<td class=\"num\">0.600</td>" in page


def test_write_attribution_report(tmp_path):
    files = write_attribution_report({"content": {"overlap": {"precision": 1.0, "recall": 1.0, "f1": 1.0}}}, tmp_path)
    assert json.loads(files["metrics"].read_text())["attribution"]["content"]["overlap"]["f1"] == 1.0
    assert "Attribution evaluation" in files["html"].read_text()
