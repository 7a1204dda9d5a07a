"""The leaders' verdict map renders offline in chromium at phone width (issue 22).

The leadership dashboard's chart pane (``Views.chart``: the map above the
ranking) for a hand-made scorecard, served from 127.0.0.1 and opened in
Debian's chromium at 390 px: six counties drawn, each with its estimate,
interval and verdict in words on hover, the legend in words, nothing
requested from anywhere but 127.0.0.1, no point of any household.
"""
from __future__ import annotations

import http.server
import sys
import threading
from functools import partial
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "dashboards"))
from dashboards_data import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

from toolkit.config import DEFAULT_COUNTIES, Evaluation  # noqa: E402
from toolkit.verify.indicators import ALL  # noqa: E402
from toolkit.widgets.leadership import PAGE_CSS, Views  # noqa: E402

VERDICTS = ("pass", "fail", "inconclusive", "no_interval", "pass", None)


def _results() -> SimpleNamespace:
    rows = []
    for i, (c, v) in enumerate(zip(DEFAULT_COUNTIES, VERDICTS)):
        if v is None:
            continue                     # 肥东县: no row at all → "no data"
        rows.append({"county": c.name, "indicator": "wrong_exit", "estimate": 0.01 * (i + 1),
                     "ci_low": 0.005 * (i + 1), "ci_high": 0.02 * (i + 1), "verdict": v, "threshold": 0.02,
                     "direction": "max", "aspect": "outcomes", "n": 40})
    rows.append({"county": ALL, "indicator": "wrong_exit", "estimate": 0.02, "ci_low": 0.01, "ci_high": 0.03,
                 "verdict": "inconclusive", "threshold": 0.02, "direction": "max", "aspect": "outcomes", "n": 240})
    ev = Evaluation(name="测试", language="zh", counties=DEFAULT_COUNTIES)
    return SimpleNamespace(scorecard=pd.DataFrame(rows), evaluation=ev, households=pd.DataFrame(), rounds={})


@pytest.fixture
def site(tmp_path: Path):  # noqa: ANN201
    html = Views(_results(), "zh").chart("wrong_exit")
    (tmp_path / "index.html").write_text(
        f'<!doctype html><meta charset="utf-8"><meta name="viewport" content="width=device-width">'
        f"<style>{PAGE_CSS}</style><body>{html}</body>", encoding="utf-8")
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    handler.log_message = lambda *a, **k: None
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{srv.server_address[1]}/index.html"
    srv.shutdown()


def test_verdict_map_renders_offline_at_phone_width(site: str, tmp_path: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium not installed")
    requests: list[str] = []
    with sync_api.sync_playwright() as pw:
        ctx = pw.chromium.launch_persistent_context(str(tmp_path / "profile"), executable_path=CHROMIUM,
                                                    args=CHROMIUM_ARGS, headless=True,
                                                    viewport={"width": 390, "height": 844})
        try:
            page = ctx.new_page()
            page.on("request", lambda r: requests.append(r.url))
            page.goto(site, wait_until="networkidle")
            svg = page.locator("svg.fe-map")
            box = svg.bounding_box()
            assert box and 300 < box["width"] <= 390 and box["height"] > 150
            counties = page.locator("svg.fe-map g.fe-map-county")
            assert counties.count() == 6
            verdicts = {counties.nth(i).get_attribute("data-county"): counties.nth(i).get_attribute("data-verdict")
                        for i in range(6)}
            assert verdicts == {"瑶海区": "pass", "庐阳区": "fail", "蜀山区": "inconclusive", "包河区": "inconclusive",
                                "长丰县": "pass", "肥东县": "no_data"}
            hover = page.locator("svg.fe-map g[data-county='庐阳区'] path title").first.text_content()
            assert hover == "庐阳区：2.0%（95% 置信区间 1.0%–4.0%），未达标"
            assert "没有数据" in page.locator("svg.fe-map g[data-county='肥东县'] path title").first.text_content()
            legend = page.locator("svg.fe-map").text_content()
            assert all(w in legend for w in ("达标", "未达标", "无法判定", "无数据"))
            assert page.locator("svg.fe-map circle").count() == 0          # areas only, no points
            page.locator("svg.fe-map g[data-county='庐阳区'] path").first.hover()
            page.screenshot(path=str(tmp_path / "map.png"), full_page=True)
        finally:
            ctx.close()
    assert requests and all(u.startswith("http://127.0.0.1:") for u in requests), requests
