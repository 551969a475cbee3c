"""The annotation page in headless Chromium, driven by selenium as a user would drive it.

Skipped only where Chromium or its driver is not installed (the Makefile's set-up installs them).
Screenshots go to tests/artifacts/ (gitignored) for a look.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from annotate_fixtures import SEED, start_server, tiny_model_dir  # noqa: F401 - a fixture

CHROMIUM = "/usr/bin/chromium"
DRIVER = "/usr/bin/chromedriver" if Path("/usr/bin/chromedriver").exists() else shutil.which("chromedriver")
ARTIFACTS = Path(__file__).parent / "artifacts"
webdriver = pytest.importorskip("selenium.webdriver")
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists() or DRIVER is None,
                                reason="Chromium and chromedriver are not installed (Debian: chromium chromium-driver)")


@pytest.fixture
def server(tiny_model_dir, tmp_path):
    out = tmp_path / "gold.jsonl"
    proc, url = start_server([SEED], out, tiny_model_dir)
    yield url, out
    proc.kill()
    proc.wait()


def browser(width: int, height: int, mobile: bool = False):
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                f"--window-size={width},{height}"):
        options.add_argument(arg)
    if mobile:
        metrics = {"width": width, "height": height, "pixelRatio": 2}
        options.add_experimental_option("mobileEmulation", {"deviceMetrics": metrics})
    return webdriver.Chrome(options=options, service=Service(DRIVER))


def wait_for(driver, check, timeout=30):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(lambda d: check(d))


def text(driver, element_id):
    from selenium.webdriver.common.by import By

    return driver.find_element(By.ID, element_id).get_attribute("textContent")  # as written, not as styled


def press(driver, *keys):
    from selenium.webdriver.common.action_chains import ActionChains

    ActionChains(driver).send_keys(*keys).perform()


def current_id(driver):
    return text(driver, "claim-id").split(" ")[0]


def test_label_with_the_keyboard_fix_a_boundary_reload_and_find_the_work_kept(server, dispute):
    from selenium.webdriver.common.keys import Keys

    from stance.io import read_claims

    url, out = server
    driver = browser(1280, 900)
    try:
        driver.get(url)
        wait_for(driver, lambda d: current_id(d))
        labelled = {}
        steps = [("3", "neutral", None), ("1q", "us", "us"), ("2w", "pakistan_military", "pakistan_military")]
        for n, (keys, stance, group) in enumerate(steps, 1):
            claim = current_id(driver)
            press(driver, *keys, Keys.ENTER)
            wait_for(driver, lambda d: text(d, "counts").startswith(f"{n} done"))
            labelled[claim] = (stance, group)
        # the fourth claim: select the first half of it in the article, press c
        claim = current_id(driver)
        chosen = driver.execute_script("""
            const mark = document.querySelector('#doc .cur');
            const node = mark.firstChild, cut = Math.max(3, Math.floor(node.length / 2));
            const range = document.createRange();
            range.setStart(node, 0); range.setEnd(node, cut);
            const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(range);
            return node.textContent.slice(0, cut);""")
        press(driver, "c")
        wait_for(driver, lambda d: "Claim boundaries set" in text(d, "msg"))
        assert text(driver, "claim-text").strip("“”") == chosen.strip()
        press(driver, Keys.ENTER)
        wait_for(driver, lambda d: text(d, "counts").startswith("4 done"))
        shot(driver, "annotate_laptop")

        driver.refresh()
        wait_for(driver, lambda d: current_id(d))
        assert text(driver, "counts").startswith("4 done")
        assert current_id(driver) not in {*labelled, claim}
        gold = {c.id: c for c in read_claims([out], dispute)}
        assert set(gold) == {*labelled, claim}
        for cid, (stance, group) in labelled.items():
            assert gold[cid].stance == stance and (group is None or gold[cid].speaker_group == group)
        assert gold[claim].claim == chosen.strip()

        press(driver, "u")  # undo takes the fourth decision back: that claim is current again
        wait_for(driver, lambda d: text(d, "counts").startswith("3 done"))
        assert current_id(driver) == claim

        driver.get(url.split("?")[0])  # the page without its token
        assert "forbidden" in driver.page_source
        status = driver.execute_script("return fetch('/api/state').then(r => r.status)")
        assert status == 403
    finally:
        driver.quit()


@pytest.mark.parametrize("device, width, height, mobile", [("laptop", 1280, 800, False), ("phone", 390, 844, True)])
def test_the_page_fits_a_laptop_and_a_phone(server, device, width, height, mobile):
    url, _ = server
    driver = browser(width, height, mobile)
    try:
        driver.get(url)
        wait_for(driver, lambda d: current_id(d))
        fits = driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth + 1")
        assert fits, "the page is wider than the screen"
        shown = driver.execute_script("""
            const ids = ['accept', 'reject', 'undo', 'set-claim', 'set-speaker', 'add', 'doc'];
            return ids.filter(id => { const r = document.getElementById(id).getBoundingClientRect();
                                      return r.width > 0 && r.height > 0; });""")
        assert len(shown) == 7
        assert driver.execute_script("return document.querySelector('#doc .cur') !== null")
        shot(driver, f"annotate_{device}")
    finally:
        driver.quit()


def shot(driver, name):
    ARTIFACTS.mkdir(exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / f"{name}.png"))
