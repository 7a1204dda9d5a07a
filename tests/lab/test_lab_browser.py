"""``fieldeval lab`` in Debian's chromium (Playwright): JupyterLab starts on a
fresh demo project, opens notebook 04, runs all its cells, shows the scorecard
table with no error output, speaks Chinese (the menu "文件"), and no request of
the page leaves 127.0.0.1. One browser test: it is slow on a shared machine."""
from __future__ import annotations

import threading
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest

from dashboards_test_path import ARTIFACTS, free_port, launch_browser

LOCAL = {"127.0.0.1"}


def run_notebook_04(project: Path, shot: Path | None = None) -> dict:
    """Start the lab, open 04, run all cells; what the page showed and asked for."""
    from playwright.sync_api import sync_playwright

    from toolkit import lab
    from toolkit.commands.serve import _marked, stop, wait_ready

    port = free_port()
    proc, token, url, _ = lab.start(project, port=port)
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(iter(proc.stdout.readline, "")), daemon=True)
    reader.start()
    seen: dict = {"requests": [], "log": lines}
    try:
        assert wait_ready(proc, port, timeout=120, kernels=0), "".join(lines)
        with sync_playwright() as pw:
            ctx = launch_browser(pw)
            ctx.on("request", lambda r: seen["requests"].append(r.url))
            page = ctx.new_page()
            page.goto(f"{url}lab/tree/notebooks/04_verify_and_score.ipynb?token={token}", timeout=120_000)
            page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=120_000)
            # the kernel is up before Run All is asked for (the status bar says "空闲", idle)
            page.wait_for_selector(".jp-StatusBar-Widget:has-text('空闲')", timeout=120_000)
            seen["menus"] = page.locator(".lm-MenuBar-itemLabel").all_inner_texts()
            page.locator(".lm-MenuBar-itemLabel", has_text="运行").first.click()
            page.locator(".lm-Menu-itemLabel", has_text="运行所有单元格").first.click()
            # the scorecard: the table whose header has the 95 % interval, in the notebook's outputs
            try:
                page.wait_for_selector(".jp-OutputArea-output table:has-text('95%置信区间')", state="attached",
                                       timeout=int(__import__("os").environ.get("LAB_WAIT", "300000")))
            except Exception:
                if shot is not None:
                    page.screenshot(path=str(shot.with_suffix(".failed.png")))
                raise
            deadline = time.time() + 300   # until every code cell has run (no "[*]" left, all numbered)
            while time.time() < deadline:
                prompts = page.locator(".jp-CodeCell .jp-InputPrompt").all_inner_texts()
                if prompts and all(p.strip() not in ("[ ]:", "[*]:", "") for p in prompts):
                    break
                time.sleep(1)
            seen["prompts"] = page.locator(".jp-CodeCell .jp-InputPrompt").all_inner_texts()
            seen["table"] = page.locator(".jp-OutputArea-output table:has-text('95%置信区间')").first.inner_text()
            seen["errors"] = page.eval_on_selector_all(
                "[data-mime-type='application/vnd.jupyter.stderr'], .jp-OutputArea-output[data-mime-type="
                "'application/vnd.jupyter.error'], .jp-RenderedText[data-mime-type='application/vnd.jupyter.error']",
                "els => els.map(e => e.innerText)")
            if shot is not None:
                page.screenshot(path=str(shot), full_page=False)
            ctx.close()
    finally:
        seen["stop_log"] = stop(proc)
        reader.join(timeout=10)
        seen["alive"] = proc.poll() is None
        seen["left"] = [p.pid for p in _marked(proc.mark)]   # kernels and anything else started by this lab
    return seen


def test_lab_browser_notebook_04_runs_in_chinese_and_stays_local(lab_project):
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("Debian's chromium is not installed")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    seen = run_notebook_04(lab_project, ARTIFACTS / "lab_04.png")
    assert "文件" in seen["menus"] and "运行" in seen["menus"], seen["menus"]
    assert all(p.strip() not in ("[ ]:", "[*]:") for p in seen["prompts"]), seen["prompts"]
    assert any(w in seen["table"] for w in ("达标", "未达标", "无法判定")), seen["table"][:500]
    assert not seen["errors"], seen["errors"]
    hosts = {urlparse(u).hostname for u in seen["requests"] if urlparse(u).scheme in ("http", "https", "ws", "wss")}
    assert hosts and hosts <= LOCAL, hosts - LOCAL
    assert not seen["alive"] and not seen["left"]
