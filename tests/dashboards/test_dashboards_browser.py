"""The dashboards in a real browser (Debian's chromium through Playwright),
served by ``fieldeval serve``'s own start-up: one server for the module."""
from __future__ import annotations

import http.client
import os
from pathlib import Path
from urllib.parse import urlparse

import pandas as pd
import pytest

from dashboards_data import ARTIFACTS, CHROMIUM, DASHBOARDS, Server, error_outputs, launch_browser, wait_rendered

if not Path(CHROMIUM).exists():
    if os.environ.get("CI") == "true":
        raise RuntimeError("chromium is missing: apt-get install -y chromium")
    pytest.skip("chromium not installed", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api") if os.environ.get("CI") != "true" else \
    __import__("playwright.sync_api", fromlist=["sync_playwright"])


@pytest.fixture(scope="module")
def served(demo_project: Path, tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    import shutil

    proj = tmp_path_factory.mktemp("served") / "proj"
    shutil.copytree(demo_project, proj)
    srv = Server(proj)
    yield srv, proj
    srv.stop()


@pytest.fixture(scope="module")
def browser():  # noqa: ANN201
    with sync_api.sync_playwright() as pw:
        ctx = launch_browser(pw)
        yield ctx
        ctx.close()


def _open(browser, url: str, requests: list[str] | None = None):  # noqa: ANN001, ANN202
    page = browser.new_page()
    if requests is not None:
        page.on("request", lambda r: requests.append(r.url))
    page.goto(url, timeout=120_000)
    wait_rendered(page, 120_000)
    return page


@pytest.mark.parametrize("name", DASHBOARDS)
def test_renders_offline_without_errors(served, browser, name: str) -> None:  # noqa: ANN001
    srv, _ = served
    seen: list[str] = []
    page = _open(browser, srv.page(name, "lang=en"), seen)
    page.wait_for_timeout(500)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    assert error_outputs(page) == []
    assert "Traceback" not in page.content()
    # blob: URLs are the page's own in-memory objects (image widgets), data: inline
    outside = [u for u in seen if not u.startswith("data:")
               and urlparse(u.removeprefix("blob:")).hostname != "127.0.0.1"]
    assert outside == [], outside
    page.close()


def test_request_without_token_is_refused(served) -> None:  # noqa: ANN001
    srv, _ = served
    for path in ("/voila/render/leadership.ipynb", "/", "/voila/render/entry.ipynb?token=wrong"):
        c = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=10)
        c.request("GET", path)
        r = c.getresponse()
        assert r.status == 403 or (r.status in (301, 302) and "/login" in (r.getheader("Location") or "")), \
            (path, r.status)
        c.close()


def test_leadership_numbers_equal_the_scorecard(served, browser) -> None:  # noqa: ANN001
    srv, proj = served
    sc = pd.read_csv(proj / "output" / "verify" / "scorecard.csv", encoding="utf-8-sig")
    county_col, est_col = sc.columns[2], sc.columns[3]
    from toolkit.i18n import t

    household = ~sc[sc.columns[8]].isin([t("checklist.no_interval", "en"), t("checklist.no_interval", "zh")])
    whole = sc[sc[county_col].isin(["All", "全市"]) & household]   # document review rows are not cards
    expected = ["–" if pd.isna(v) else f"{v:.1f}%" for v in whole[est_col]]
    page = _open(browser, srv.page("leadership", "lang=en"))
    shown = page.eval_on_selector_all(".fe-card:not([data-indicator=data_consistency]) .fe-card-value",
                                      "els => els.map(e => e.innerText.trim())")   # the reconciliation card apart
    assert shown == expected
    page.close()


def test_leadership_html_has_no_personal_data(served, browser) -> None:  # noqa: ANN001
    from toolkit.roster import read_roster

    srv, proj = served
    roster = read_roster(proj / "roster.xlsx").frame
    secrets = set()
    for col in ("name", "id_number", "phone", "bank_card", "address", "archive_id"):
        if col in roster:
            secrets |= {str(v) for v in roster[col].dropna() if len(str(v)) >= 2}
    page = _open(browser, srv.page("leadership"))
    counties = page.eval_on_selector_all(".fe-county select option", "els => els.map(e => e.textContent)")
    htmls = [page.content()]
    for c in counties[1:]:
        page.select_option(".fe-county select", label=c)
        page.wait_for_timeout(400)
        htmls.append(page.content())
    for html in htmls:
        leaked = [s for s in secrets if s in html]
        assert leaked == [], leaked[:5]
    page.close()


def test_entry_relevance_and_constraint(served, browser) -> None:  # noqa: ANN001
    from toolkit.forms import read_xlsform
    from toolkit.widgets.entry_logic import FORM_FILE

    form = read_xlsform(FORM_FILE)
    lab = lambda q, c: form.choice_labels(form.question(q).list_name, "en")[c]  # noqa: E731
    srv, _ = served
    page = _open(browser, srv.page("entry", "lang=en"))
    page.select_option(".fe-q-visit_result select", label=lab("visit_result", "met"))
    page.wait_for_selector(".fe-q-consent", state="visible")
    page.select_option(".fe-q-consent select", label=lab("consent", "yes"))
    page.select_option(".fe-q-hh_size_check select", label=lab("hh_size_check", "different"))
    page.wait_for_selector(".fe-q-hh_size_actual", state="visible")
    page.fill(".fe-q-hh_size_actual input", "50")
    page.press(".fe-q-hh_size_actual input", "Enter")
    msg = form.text(form.question("hh_size_actual").constraint_message, "en")
    page.wait_for_selector(f".fe-q-hh_size_actual .fe-err:has-text('{msg}')")
    page.screenshot(path=str(ARTIFACTS / "entry_constraint.png"), full_page=True)
    page.select_option(".fe-q-hh_size_check select", label=lab("hh_size_check", "same"))
    page.wait_for_selector(".fe-q-hh_size_actual", state="hidden")
    page.select_option(".fe-q-visit_result select", label=lab("visit_result", [c for c in form.choice_labels(
        form.question("visit_result").list_name) if c != "met"][0]))
    page.wait_for_selector(".fe-q-consent", state="hidden")
    page.close()


def test_walkthrough_note_survives_a_restart(served, browser) -> None:  # noqa: ANN001
    srv, proj = served
    page = _open(browser, srv.page("walkthrough", "lang=en"))
    aid = page.eval_on_selector(".fe-household select", "e => e.value")
    aid = page.eval_on_selector(".fe-household select", "e => e.options[e.selectedIndex].textContent")
    page.fill(".fe-who input", "Evaluator Li")
    page.fill(".fe-note textarea", "bank slip seen for 2025")
    page.click(".fe-save-note button, button.fe-save-note")
    page.wait_for_selector(".fe-history:has-text('bank slip seen')")
    page.close()
    srv.stop()
    srv2 = Server(proj)
    try:
        page = _open(browser, srv2.page("walkthrough", f"lang=en&household={aid}"))
        page.wait_for_selector(".fe-history:has-text('bank slip seen')", timeout=30_000)
        assert "Evaluator Li" in page.inner_text(".fe-history")
        page.screenshot(path=str(ARTIFACTS / "walkthrough_after_restart.png"), full_page=True)
        page.close()
    finally:
        srv2.stop()
        srv.__init__(proj)  # the module's server again for any later test
