"""The quality page shows its grid (click a row → that interviewer's
submissions) and the progress page renders, in chromium from ``fieldeval
serve``, with no request leaving 127.0.0.1 (the grid's DataTables comes from
the itables package, not a CDN)."""
from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlparse

import pandas as pd
import pytest

from dashboards_data import ARTIFACTS, CHROMIUM, Server, error_outputs, launch_browser, wait_rendered

if not Path(CHROMIUM).exists():
    if os.environ.get("CI") == "true":
        raise RuntimeError("chromium is missing: apt-get install -y chromium")
    pytest.skip("chromium not installed", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api") if os.environ.get("CI") != "true" else \
    __import__("playwright.sync_api", fromlist=["sync_playwright"])

RAW = re.compile(r"\b(True|False|NaN|None)\b|object at 0x|\b[a-z]+_[a-z_]+\b")


def _outside(seen: list[str]) -> list[str]:
    return [u for u in seen if not u.startswith("data:") and urlparse(u.removeprefix("blob:")).hostname != "127.0.0.1"]


def test_quality_grid_click_through_and_progress_page(demo_project: Path, tmp_path: Path) -> None:
    import shutil

    proj = tmp_path / "proj"
    shutil.copytree(demo_project, proj, ignore=shutil.ignore_patterns(".voila"))
    srv = Server(proj)
    seen: list[str] = []
    try:
        with sync_api.sync_playwright() as pw:
            ctx = launch_browser(pw)
            page = ctx.new_page()
            page.set_default_timeout(120_000)
            page.goto(f"{srv.url}?token={srv.token}", timeout=120_000)     # the server's list of dashboards
            page.wait_for_selector("text=progress", timeout=120_000)      # the list is drawn after the page loads
            page.on("request", lambda r: seen.append(r.url))             # requests of the two pages from here on
            page.goto(srv.page("quality", "lang=en"), timeout=120_000)
            wait_rendered(page, 120_000)
            rows = page.locator(".fe-flags table.dataTable tbody tr")
            rows.first.wait_for()
            enums = pd.read_parquet(proj / "output" / "ingest" / "submissions.parquet")["enumerator"]
            assert rows.count() == min(enums.nunique(), 25)
            assert page.locator(".fe-flags .fe-worst").count() >= 1
            assert page.locator(".fe-quality-charts svg").count() == 2
            rows.nth(1).click()
            first = sorted(enums.astype(str).unique())[1]
            page.locator(".fe-subs table.dataTable tbody tr").first.wait_for()
            n = int((enums.astype(str) == first).sum())
            assert f"Submissions of interviewer {first} ({n})" in page.inner_text(".fe-quality")
            assert page.locator(".fe-subs table.dataTable tbody tr").count() == min(n, 10)   # paged
            shown = page.inner_text(".fe-subs table.dataTable tbody tr >> nth=0")
            rows.nth(2).click()                                           # another interviewer: new rows
            second = sorted(enums.astype(str).unique())[2]
            n2 = int((enums.astype(str) == second).sum())
            page.wait_for_function("s => { const r = document.querySelector('.fe-subs table.dataTable tbody tr');"
                                   " return r && r.innerText !== s; }", arg=shown)
            assert f"Submissions of interviewer {second} ({n2})" in page.inner_text(".fe-quality")
            assert page.locator(".fe-subs table.dataTable tbody tr").count() == min(n2, 10)
            keys = set(pd.read_parquet(proj / "output" / "ingest" / "submissions.parquet")
                       .query("enumerator == @second")["KEY"].astype(str))
            assert page.inner_text(".fe-subs table.dataTable tbody tr td >> nth=0") in keys
            page.screenshot(path=str(ARTIFACTS / "quality-grid.png"), full_page=True)
            visible = page.inner_text(".fe-quality")
            assert not RAW.search(visible), RAW.search(visible)
            assert error_outputs(page) == []

            page.goto(srv.page("progress"), timeout=120_000)
            wait_rendered(page, 120_000)
            page.locator(".fe-progress-table table.dataTable tbody tr").first.wait_for()
            assert page.locator(".fe-progress-chart svg").count() == 1
            text = page.inner_text(".fe-progress")
            assert "调查进度" in text and "全市" in text and "已启用的备用户及原因" in text
            assert not RAW.search(text), RAW.search(text)
            page.screenshot(path=str(ARTIFACTS / "progress.png"), full_page=True)
            assert error_outputs(page) == []
            ctx.close()
    finally:
        srv.stop()
    assert _outside(seen) == [], _outside(seen)
