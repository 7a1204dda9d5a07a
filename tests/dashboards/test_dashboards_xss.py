"""Stored XSS: markup in the roster (address, name, cause) and in a note typed
on the page arrives in the walkthrough as text, and no script runs
(Debian's chromium through Playwright; one server, one page)."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from dashboards_data import ARTIFACTS, CHROMIUM, Server, launch_browser, wait_rendered

if not Path(CHROMIUM).exists():
    if os.environ.get("CI") == "true":
        raise RuntimeError("chromium is missing: apt-get install -y chromium")
    pytest.skip("chromium not installed", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api") if os.environ.get("CI") != "true" else \
    __import__("playwright.sync_api", fromlist=["sync_playwright"])

ADDRESS = "<img src=x onerror=alert(1)>"
CAUSE = "<img src=x onerror=window.__xss=1>患病"
NAME = "<script>window.__xss=2</script>"
NOTE = "<img src=y onerror=window.__xss=3>看过存折"


@pytest.fixture(scope="module")
def hostile(demo_project: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo project with markup in every roster row's address, cause and name."""
    from openpyxl import load_workbook

    proj = tmp_path_factory.mktemp("xss") / "proj"
    shutil.copytree(demo_project, proj, ignore=shutil.ignore_patterns(".voila"))
    book = load_workbook(proj / "roster.xlsx")
    ws = book.worksheets[0]
    head = {c.value: c.column for c in ws[1]}
    for r in range(2, ws.max_row + 1):
        ws.cell(row=r, column=head["家庭住址"], value=ADDRESS)
        ws.cell(row=r, column=head["主要致困原因"], value=CAUSE)
        ws.cell(row=r, column=head["姓名"], value=NAME)
    book.save(proj / "roster.xlsx")
    return proj


def test_walkthrough_runs_no_injected_script(hostile: Path) -> None:
    srv = Server(hostile)
    dialogs: list[str] = []
    try:
        with sync_api.sync_playwright() as pw:
            ctx = launch_browser(pw)
            page = ctx.new_page()
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.goto(srv.page("walkthrough", "lang=en"), timeout=120_000)
            wait_rendered(page, 120_000)
            page.wait_for_selector(".fe-compare", timeout=60_000)
            page.fill(".fe-who input", "Evaluator Li")
            page.fill(".fe-note textarea", NOTE)
            page.click(".fe-save-note button, button.fe-save-note")
            page.wait_for_selector(".fe-history:has-text('看过存折')", timeout=30_000)
            page.wait_for_timeout(1500)
            compare = page.inner_text(".fe-compare")
            history = page.inner_text(".fe-history")
            flag = page.evaluate("() => window.__xss === undefined ? null : window.__xss")
            injected = page.eval_on_selector_all("img[src='x'], img[src='y']", "els => els.length")
            page.screenshot(path=str(ARTIFACTS / "walkthrough_xss.png"), full_page=True)
            ctx.close()
    finally:
        srv.stop()
    assert (flag, dialogs, injected) == (None, [], 0)        # no script ran, no element was injected …
    assert "<img src=x onerror=" in compare                  # … the markup shows as text
    assert "<img src=y onerror=" in history
