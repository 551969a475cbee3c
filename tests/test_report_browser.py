"""The report's index.html in headless Chromium (selenium): it loads offline from file://, every chart
renders, and choosing an outlet filters the claims table to that outlet's claims.

Skipped only when chromium or chromedriver is absent (the Makefile's set-up installs them).
"""

import json
import os

import pytest

pytest.importorskip("duckdb")
webdriver = pytest.importorskip("selenium.webdriver")

from selenium.webdriver.support.ui import Select  # noqa: E402

from stance.report import build_report  # noqa: E402

from fault_fixtures import fit_tiny_model  # noqa: E402
from report_fixtures import make_corpus  # noqa: E402

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"

pytestmark = pytest.mark.skipif(not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)),
                                reason="chromium or chromedriver is absent")


@pytest.fixture(scope="module")
def report(tiny_encoder, dispute, tmp_path_factory):
    model = fit_tiny_model(tiny_encoder, dispute, tmp_path_factory.mktemp("model") / "tiny")
    articles, meta = make_corpus(tmp_path_factory.mktemp("corpus"), 7)
    out = tmp_path_factory.mktemp("report")
    build_report([str(articles)], out, model=model, meta=str(meta))
    return out


def browser(width: int, height: int):
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", f"--window-size={width},{height}"):
        options.add_argument(flag)
    return webdriver.Chrome(service=webdriver.ChromeService(executable_path=CHROMEDRIVER), options=options)


@pytest.mark.parametrize("width, height", [(1280, 900), (390, 844)])
def test_page_loads_offline_and_every_chart_renders(report, width, height):
    driver = browser(width, height)
    try:
        driver.get((report / "index.html").as_uri())
        # only the page itself was loaded: no script, style sheet, font or image from anywhere
        fetched = driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
        assert fetched == []
        charts = driver.execute_script("""return [...document.querySelectorAll('svg.chart')].map(s => {
            const r = s.getBoundingClientRect();
            return {marks: s.querySelectorAll('rect,circle,polyline,polygon').length, w: r.width, h: r.height}; })""")
        assert len(charts) >= 6
        for chart in charts:
            assert chart["marks"] > 0 and chart["w"] > 100 and chart["h"] > 30, chart
        overflow = driver.execute_script("return document.documentElement.scrollWidth > window.innerWidth + 1")
        assert not overflow  # wide tables scroll inside their box, the page never scrolls sideways
        assert driver.find_elements("css selector", "#claims-body tr")
    finally:
        driver.quit()


def test_choosing_an_outlet_filters_the_table(report):
    summary = json.loads((report / "summary.json").read_text())
    driver = browser(1280, 900)
    try:
        driver.get((report / "index.html").as_uri())
        total = len(driver.find_elements("css selector", "#claims-body tr"))
        assert total == min(summary["n_claims"], 200)
        outlet = Select(driver.find_element("id", "f-outlet"))
        for name, counts in [(o, c) for o, c in summary["by_outlet"].items() if c]:
            outlet.select_by_value(name)
            rows = driver.find_elements("css selector", "#claims-body tr")
            assert len(rows) == sum(counts.values()), name
            assert {r.get_attribute("data-outlet") for r in rows} <= {name}
        outlet.select_by_value("")
        assert len(driver.find_elements("css selector", "#claims-body tr")) == total
        # a claim's link opens its article view at the claim
        link = driver.find_element("css selector", "#claims-body a")
        target = link.get_attribute("href").split("#")[1]
        link.click()
        assert driver.find_element("id", target).tag_name == "mark"
    finally:
        driver.quit()
