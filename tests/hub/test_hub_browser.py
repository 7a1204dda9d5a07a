"""Issue 20 in a browser: JupyterHub started by the test on loopback, native
accounts with roles, one Voilà server per user (Debian's chromium).

One hub per module. An evaluator signs in, opens the walkthrough (no name
to type: the signed-in user), saves a note the store attributes to them and
is refused a review decision (supervisors only, refused in the project call);
a supervisor records a decision the store attributes to them; a leadership
user sees the leadership dashboard and is refused the walkthrough, the entry
form, ``/files/`` and the kernel API (each refusal logged); signing out ends
access.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import dashboards_data as D
import hub_data as H

sync_api = pytest.importorskip("playwright.sync_api") if os.environ.get("CI") != "true" else \
    __import__("playwright.sync_api", fromlist=["sync_playwright"])

PEOPLE = {"eva": "evaluator", "sup": "supervisor", "lead": "leadership"}


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory, demo_projects):  # noqa: ANN001, ANN201
    if not Path(D.CHROMIUM).exists():
        pytest.fail(f"{D.CHROMIUM} missing: make sysdeps installs Debian's chromium")
    from toolkit.hub.setup import find_proxy

    if find_proxy() is None:
        pytest.fail("configurable-http-proxy missing: bash scripts/install-hub.sh (make sysdeps) installs it")
    project = demo_projects(D.HOUSEHOLDS, D.SEED, "en", tmp_path_factory.mktemp("hub") / "proj")
    os.environ.pop("FIELDEVAL_DATABASE_URL", None)
    H.make_hub(project, PEOPLE)
    h = H.Hub(project)
    try:
        yield h, project
    finally:
        h.stop()


@pytest.fixture(scope="module")
def pw():  # noqa: ANN201
    with sync_api.sync_playwright() as p:
        yield p


def _context(pw):  # noqa: ANN001, ANN202
    return D.launch_browser(pw)


def _refusals(project: Path) -> list[dict]:
    f = project / ".fieldeval" / "hub" / "logs" / "refusals.log"
    return [json.loads(x) for x in f.read_text(encoding="utf-8").splitlines()] if f.exists() else []


def test_evaluator_notes_are_theirs_and_decisions_refused(hub, pw) -> None:  # noqa: ANN001
    h, project = hub
    ctx = _context(pw)
    try:
        page = ctx.new_page()
        H.login(page, h, "eva")
        page.goto(f"{h.url}/user/eva/voila/render/walkthrough.ipynb?lang=en", timeout=240_000)
        D.wait_rendered(page, timeout=240_000)
        page.wait_for_selector(".fe-who input", timeout=60_000)
        assert page.eval_on_selector(".fe-who input", "e => [e.value, e.disabled]") == ["eva", True]
        aid = page.eval_on_selector(".fe-household select", "e => e.value")
        page.fill(".fe-note textarea", "bank slip seen for 2025")
        page.click(".fe-save-note button, button.fe-save-note")
        page.wait_for_selector(".fe-history:has-text('bank slip seen')", timeout=60_000)
        page.click(".fe-override button, button.fe-override")
        page.wait_for_selector(".fe-msg:has-text('Refused')", timeout=60_000)
        assert "eva" in page.inner_text(".fe-msg")
        page.screenshot(path=str(D.ARTIFACTS / "hub_evaluator_walkthrough.png"), full_page=True)
    finally:
        ctx.close()
    from toolkit.store import open_store

    with open_store(project) as st:
        notes, decisions = st.notes(), st.decisions()
    mine = notes[notes["text"].astype(str).str.contains("bank slip seen")]
    assert mine["who"].tolist() == ["eva"] and mine["archive_id"].tolist() == [aid]
    assert "eva" not in set(decisions["who"])


def test_supervisor_decision_is_attributed(hub, pw) -> None:  # noqa: ANN001
    h, project = hub
    ctx = _context(pw)
    try:
        page = ctx.new_page()
        H.login(page, h, "sup")
        page.goto(f"{h.url}/user/sup/voila/render/walkthrough.ipynb?lang=en", timeout=240_000)
        D.wait_rendered(page, timeout=240_000)
        page.wait_for_selector(".fe-override", timeout=60_000)
        # a household with findings to decide on (the queue's first may have none yet)
        for _ in range(30):
            if page.eval_on_selector(".fe-finding select", "e => e.options.length"):
                break
            page.click(".fe-next button, button.fe-next")
            page.wait_for_timeout(1500)
        aid = page.eval_on_selector(".fe-household select", "e => e.value")
        code = page.eval_on_selector(".fe-finding select", "e => e.options[0].value")
        page.select_option(".fe-finding select", value=code)
        page.click(".fe-override button, button.fe-override")
        page.wait_for_selector(".fe-history:has-text('sup')", timeout=60_000)
    finally:
        ctx.close()
    from toolkit.store import open_store

    with open_store(project) as st:
        d = st.decisions()
    assert d.loc[d["archive_id"] == aid, "who"].tolist() == ["sup"]


def test_leadership_sees_only_their_dashboard_and_logout_ends_access(hub, pw) -> None:  # noqa: ANN001
    h, project = hub
    ctx = _context(pw)
    try:
        page = ctx.new_page()
        H.login(page, h, "lead")
        assert page.url.split("?")[0].endswith("/user/lead/voila/render/leadership.ipynb")
        D.wait_rendered(page, timeout=240_000)
        assert D.error_outputs(page) == []
        page.screenshot(path=str(D.ARTIFACTS / "hub_leadership.png"), full_page=True)
        base = f"{h.url}/user/lead"
        for path in ("/voila/render/walkthrough.ipynb", "/voila/render/entry.ipynb", "/voila/render/quality.ipynb",
                     "/files/evaluation.toml", "/voila/files/leadership.ipynb", "/voila/", "/api/kernels",
                     "/api/sessions", "/api/contents"):
            r = page.goto(base + path)
            assert r.status == 403, (path, r.status)
        assert "may not open" in page.inner_text("body") or "不" in page.inner_text("body")
        r = page.request.post(base + "/api/kernels", data="{}", headers={"Content-Type": "application/json"})
        assert r.status == 403
        logged = {(x["user"], x["path"]) for x in _refusals(project)}
        assert {("lead", "/voila/render/walkthrough.ipynb"), ("lead", "/voila/render/entry.ipynb"),
                ("lead", "/files/evaluation.toml"), ("lead", "/api/kernels")} <= logged
        # signing out ends access: the dashboard asks for a login again
        page.goto(f"{h.url}/hub/logout")
        page.goto(base + "/voila/render/leadership.ipynb")
        page.wait_for_url("**/hub/login**", timeout=60_000)
        assert "/hub/login" in page.url
    finally:
        ctx.close()
