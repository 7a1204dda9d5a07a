"""The leadership page on a desktop (1400 px) and on a phone (390 px), in a real
browser (Debian's chromium through Playwright) served by ``fieldeval serve``'s
own start-up: no sideways scrolling, cards stacked on the phone and side by side
on the desktop, the county ranking drawn as vector graphics (SVG, not a PNG)
with every county's interval and the threshold, headers in words. No timing
here: speed is measured in bench/bench_dashboards.py."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from dashboards_data import ARTIFACTS, CHROMIUM, Server, launch_browser, wait_rendered

if not Path(CHROMIUM).exists():
    if os.environ.get("CI") == "true":
        raise RuntimeError("chromium is missing: apt-get install -y chromium")
    pytest.skip("chromium not installed", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api") if os.environ.get("CI") != "true" else \
    __import__("playwright.sync_api", fromlist=["sync_playwright"])

PHONE, DESKTOP = 390, 1400

# every element's right edge, except inside a box that scrolls on its own (.fe-table-box), and every
# scrolling box (other than those) that is wider inside than outside: either means the page scrolls sideways
OVERFLOW_JS = """() => {
  const w = window.innerWidth, out = [];
  for (const e of document.querySelectorAll('body *')) {
    if (e.closest('.fe-table-box')) continue;
    const r = e.getBoundingClientRect();
    if (r.width > 0 && r.right > w + 1) out.push(e.tagName + '.' + e.className + ' right=' + Math.round(r.right));
    const s = getComputedStyle(e).overflowX;
    if ((s === 'auto' || s === 'scroll') && e.scrollWidth > e.clientWidth + 1 && !e.classList.contains('fe-table-box'))
      out.push(e.tagName + '.' + e.className + ' scrolls ' + e.scrollWidth + '>' + e.clientWidth);
  }
  return out.slice(0, 10);
}"""


@pytest.fixture(scope="module")
def served(demo_project: Path, tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    import shutil

    proj = tmp_path_factory.mktemp("phone") / "proj"
    shutil.copytree(demo_project, proj, ignore=shutil.ignore_patterns(".voila"))
    srv = Server(proj)
    yield srv, proj
    srv.stop()


@pytest.fixture(scope="module")
def browser():  # noqa: ANN201
    with sync_api.sync_playwright() as pw:
        ctx = launch_browser(pw)
        yield ctx
        ctx.close()


def _open(browser, url: str, width: int):  # noqa: ANN001, ANN202
    page = browser.new_page()
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(url, timeout=120_000)
    wait_rendered(page, 120_000)
    page.wait_for_selector(".fe-leadership .fe-forest", timeout=60_000)
    return page


def _county_count(proj: Path) -> int:
    import pandas as pd

    sc = pd.read_csv(proj / "output" / "verify" / "scorecard.csv", encoding="utf-8-sig")
    county = sc.columns[2]
    return int(sc.loc[~sc[county].isin(["All", "全市", "Whole city"]), county].nunique())


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_leadership_fits_the_screen(served, browser, width: int) -> None:  # noqa: ANN001
    srv, proj = served
    page = _open(browser, srv.page("leadership", "lang=en"), width)
    page.screenshot(path=str(ARTIFACTS / f"leadership_{width}.png"), full_page=True)
    # the document itself does not scroll sideways, and nothing sticks out of the screen
    sw, iw = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
    assert sw <= iw, (sw, iw)
    assert page.evaluate(OVERFLOW_JS) == []
    # cards: one column on the phone (every card at the same x), side by side on the desktop
    xs = page.eval_on_selector_all(".fe-card", "els => els.map(e => Math.round(e.getBoundingClientRect().x))")
    assert len(xs) >= 4
    if width == PHONE:
        assert len(set(xs)) == 1, xs
    else:
        assert len(set(xs)) > 1, xs
    # the ranking is vector graphics: an <svg>, no <img> (PNG) in the chart
    assert page.eval_on_selector_all(".fe-chart img", "els => els.length") == 0
    assert page.eval_on_selector_all(".fe-chart svg.fe-forest", "els => els.length") == 1
    page.close()


def test_ranking_draws_every_interval_and_the_threshold(served, browser) -> None:  # noqa: ANN001
    srv, proj = served
    page = _open(browser, srv.page("leadership", "lang=en"), PHONE)
    rows = page.eval_on_selector_all(".fe-forest .fe-county-row", "els => els.length")
    assert rows == _county_count(proj)
    intervals = page.eval_on_selector_all(".fe-forest .fe-interval",
                                          "els => els.map(e => e.getBoundingClientRect().width)")
    assert len(intervals) == rows and all(w > 0 for w in intervals)
    # the first indicator has a threshold: a drawn line, inside the chart, with its value in words
    line = page.eval_on_selector(".fe-forest .fe-threshold", "e => { const r = e.getBoundingClientRect();"
                                 " return [r.height, r.x]; }")
    chart = page.eval_on_selector(".fe-forest", "e => { const r = e.getBoundingClientRect(); return [r.x, r.right]; }")
    assert line[0] > 50 and chart[0] <= line[1] <= chart[1]
    label = page.eval_on_selector(".fe-forest .fe-threshold-label", "e => e.textContent")
    assert re.fullmatch(r"threshold: (below|at least) \d+\.\d%", label), label
    # another indicator redraws the chart in place, still as SVG
    before = page.inner_html(".fe-chart")
    options = page.eval_on_selector_all(".fe-indicator select option", "els => els.map(e => e.textContent)")
    page.select_option(".fe-indicator select", label=options[2])
    page.wait_for_function("b => document.querySelector('.fe-chart').innerHTML !== b", arg=before)
    assert page.eval_on_selector_all(".fe-chart svg.fe-forest", "els => els.length") == 1
    page.close()


def test_drill_down_headers_are_words(served, browser) -> None:  # noqa: ANN001
    srv, _ = served
    page = _open(browser, srv.page("leadership", "lang=en"), PHONE)
    heads = page.eval_on_selector_all(".fe-detail th", "els => els.map(e => e.innerText.trim())")
    assert heads[:4] == ["Finding", "Households", "Answer", "Share"], heads
    text = page.inner_text(".fe-leadership")
    assert not re.search(r"\b[a-z]+_[a-z_]+\b|\bn=|True|False|NaN|object at 0x", text), text[:500]
    page.close()
    page = _open(browser, srv.page("leadership"), PHONE)
    heads = page.eval_on_selector_all(".fe-detail th", "els => els.map(e => e.innerText.trim())")
    assert heads[:4] == ["发现的问题", "户数", "回答", "占比"], heads
    page.close()
