"""report.html in a real browser: headless Chromium renders every table and figure, on a laptop and a phone.

The screenshots are kept under tests/artifacts/ (gitignored) for a look.
"""

import re
from pathlib import Path

import pytest

from stance.eval.harness import Candidate, EvalArguments, baseline_candidates, evaluate
from stance.eval.report import write_report
from eval_fixtures import FakeModel, make_gold, run_chromium
from stance.dispute import load_dispute

ARTIFACTS = Path(__file__).parent / "artifacts"

# Injected into a copy of the report (the report itself has no script): after load,
# record what was rendered in a marker element that --dump-dom shows.
CHECK = """<script>
window.addEventListener("load", () => {
  const shown = el => { const r = el.getBoundingClientRect(), s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== "hidden" && s.display !== "none"; };
  const images = [...document.images], tables = [...document.querySelectorAll("table")];
  const m = document.createElement("div");
  m.id = "render-check";
  m.dataset.images = images.length;
  m.dataset.imagesLoaded = images.filter(i => i.complete && i.naturalWidth > 0 && i.naturalHeight > 0).length;
  m.dataset.imagesShown = images.filter(shown).length;
  const open = tables.filter(t => !t.closest("details:not([open])"));
  m.dataset.tables = tables.length;
  m.dataset.tablesOpen = open.length;
  m.dataset.tablesOpenShown = open.filter(shown).length;
  m.dataset.pageOverflow = document.documentElement.scrollWidth > window.innerWidth + 1;
  document.querySelectorAll("details").forEach(d => { d.open = true; });
  m.dataset.tablesShownUnfolded = tables.filter(shown).length;
  m.dataset.pageOverflowUnfolded = document.documentElement.scrollWidth > window.innerWidth + 1;
  document.body.appendChild(m);
});
</script>"""


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    dispute = load_dispute()
    gold, dev = make_gold(12, 150), make_gold(4, 60, seed=4)
    for c in dev:
        c.id = "dev-" + c.id
    candidates = [Candidate("model-a", model=FakeModel()), Candidate("model-b", model=FakeModel(accuracy=0.5, seed=1))]
    ev = evaluate(gold, candidates + baseline_candidates(dispute, ["majority"]), dispute,
                  EvalArguments(n_bootstrap=200), dev=dev, sources={"gold": "synthetic.jsonl"})
    out = tmp_path_factory.mktemp("report")
    write_report(ev, out)
    checked = out / "checked.html"
    checked.write_text((out / "report.html").read_text().replace("</body>", CHECK + "\n</body>"))
    return out, checked


@pytest.mark.parametrize("device, size", [("laptop", "1280,2000"), ("phone", "390,844")])
def test_report_renders_in_chromium(report, tmp_path, device, size):
    out, checked = report
    dom = run_chromium(checked.as_uri(), tmp_path / "profile", "--dump-dom", "--virtual-time-budget=5000",
                       f"--window-size={size}")
    marker = re.search(r'<div id="render-check"([^>]*)>', dom)
    assert marker, "the check script did not run"
    found = dict(re.findall(r'data-([a-z-]+)="([^"]*)"', marker.group(1)))
    # Two models: confusion and reliability figures each, plus the headline chart.
    assert found["images"] == found["images-loaded"] == found["images-shown"] == "5"
    assert int(found["tables"]) >= 10
    assert found["tables-open"] == found["tables-open-shown"]
    assert found["tables-shown-unfolded"] == found["tables"]  # folded tables (<details>) show when opened
    # Wide tables scroll inside the page instead of widening it.
    assert found["page-overflow"] == found["page-overflow-unfolded"] == "false"
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / f"eval_report_{device}.png"
    shot.unlink(missing_ok=True)
    run_chromium(checked.as_uri(), tmp_path / "profile", f"--screenshot={shot}", f"--window-size={size}")
    assert shot.stat().st_size > 20_000
