"""Dashboards in a real browser: time to first complete render and filter-change latency.

    .venv/bin/python bench/bench_dashboards.py [--project DIR] [--repeat 3]

Builds the small demo project (tests/dashboards/dashboards_data.py) unless
``--project`` is given, starts ``fieldeval serve``'s server, and drives
Debian's chromium with Playwright. Goals: first render ≤ 3 s, filter change
≤ 300 ms. Also prints the resident memory of each dashboard's kernel.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "dashboards"))

from dashboards_data import DASHBOARDS, Server, build_project, launch_browser, wait_rendered  # noqa: E402


def rss_mb(pid: int) -> float:
    """Resident memory of a process in MiB (Linux /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def kernels(server_pid: int) -> dict[int, float]:
    """Kernel processes started by the server: pid → RSS MiB."""
    out = {}
    for p in Path("/proc").iterdir():
        if p.name.isdigit():
            try:
                stat = (p / "stat").read_text().split()
                if int(stat[3]) == server_pid and "ipykernel" in (p / "cmdline").read_text():
                    out[int(p.name)] = rss_mb(int(p.name))
            except OSError:
                continue
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--project")
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    proj = Path(a.project) if a.project else build_project(Path(tempfile.mkdtemp()) / "demo")
    from playwright.sync_api import sync_playwright

    srv = Server(proj)
    try:
        time.sleep(8)  # let the preheated kernels settle (one per dashboard)
        idle = kernels(srv.proc.pid)
        print(f"server RSS {rss_mb(srv.proc.pid):.0f} MiB; preheated kernels: "
              + ", ".join(f"{v:.0f}" for v in idle.values()) + " MiB")
        with sync_playwright() as pw:
            ctx = launch_browser(pw)
            for name in DASHBOARDS:
                times = []
                for _ in range(a.repeat):
                    page = ctx.new_page()
                    t0 = time.perf_counter()
                    page.goto(srv.page(name), timeout=120_000)
                    wait_rendered(page, 120_000)
                    times.append(time.perf_counter() - t0)
                    page.close()
                    time.sleep(3)  # the pool refills its kernel
                print(f"{name:12s} first complete render: median {statistics.median(times):.2f} s "
                      f"(min {min(times):.2f}, max {max(times):.2f}; goal ≤ 3 s)")
            page = ctx.new_page()
            page.goto(srv.page("leadership"), timeout=120_000)
            wait_rendered(page, 120_000)
            opts = page.eval_on_selector_all(".fe-county select option", "els => els.map(e => e.textContent)")
            lat = []
            for c in (opts[1:] * 2)[: 2 * max(1, len(opts) - 1)]:
                before = page.inner_html(".fe-cards")
                t0 = time.perf_counter()
                page.select_option(".fe-county select", label=c)
                page.wait_for_function("b => document.querySelector('.fe-cards').innerHTML !== b", arg=before)
                lat.append((time.perf_counter() - t0) * 1000)
            print(f"leadership county filter change: median {statistics.median(lat):.0f} ms "
                  f"(max {max(lat):.0f}; goal ≤ 300 ms)")
            lat = []
            inds = page.eval_on_selector_all(".fe-indicator select option", "els => els.map(e => e.textContent)")
            for ind in inds[1:6]:
                before = page.eval_on_selector(".fe-chart", "e => e.src")
                t0 = time.perf_counter()
                page.select_option(".fe-indicator select", label=ind)
                page.wait_for_function("b => document.querySelector('.fe-chart').src !== b", arg=before)
                lat.append((time.perf_counter() - t0) * 1000)
            print(f"leadership ranking indicator change (redraws the chart): median {statistics.median(lat):.0f} ms")
            opened = kernels(srv.proc.pid)
            print("kernel RSS with pages open (MiB): " + ", ".join(f"{v:.0f}" for v in sorted(opened.values())))
            ctx.close()
    finally:
        srv.stop()


if __name__ == "__main__":
    main()
