"""Load on one JupyterHub: simulated users opening dashboards over N minutes (issue 20).

    .venv/bin/python bench/bench_hub.py [--users 20] [--minutes 10] [--project DIR]

Builds the small demo project (tests/dashboards/dashboards_data.py) unless
``--project`` is given, sets up the hub exactly as ``fieldeval hub init`` and
``fieldeval hub user add`` do (tests/hub/hub_data.py), starts it as
``fieldeval hub start`` does (toolkit.hub.run) on loopback, and drives
Debian's chromium with Playwright (async, one browser, one context per
user). Users: every tenth is leadership (the leadership dashboard), every
fifth a supervisor, the rest evaluators. Each user signs in at a moment
spread over the first third of the run (their server is spawned then), then
until the time is up opens a dashboard (leadership: theirs; others: the
walkthrough, quality, progress or leadership in turn), waits until it is
rendered, and pauses 20–40 s (seeded).

Printed: sign-in to a running server (spawn) median and 95th percentile;
first render of a dashboard (page requested → Voilà's cells and the widgets
drawn) median and 95th percentile; errors (timeouts, refusals, error
outputs on a page; goal 0); peak resident memory of the hub and everything
it started (sampled every 2 s) and per user (peak divided by the users
whose servers were running then). Peer: the issue-15 goal of 3 s for a first
render (a ratio is printed); the machine's load average too: on shared cores
the times scale with it.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "dashboards"))
sys.path.insert(0, str(ROOT / "tests" / "hub"))
sys.path.insert(0, str(ROOT))

GOAL_RENDER = 3.0   # seconds, issue 15's goal for a first render


def people(n: int) -> dict[str, str]:
    out = {}
    for i in range(1, n + 1):
        out[f"u{i:02d}"] = "leadership" if i % 10 == 0 else "supervisor" if i % 5 == 0 else "evaluator"
    return out


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, max(0, int(round(q * (len(xs) - 1)))))] if xs else float("nan")


class Sampler(threading.Thread):
    """Peak resident memory of the hub's process tree, every 2 s."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.peak_servers, self.stop_flag = pid, 0, 0, False

    def run(self) -> None:
        import psutil

        from toolkit.hub.guard import tree_rss

        while not self.stop_flag:
            rss = tree_rss(self.pid)
            try:
                servers = sum(1 for p in psutil.Process(self.pid).children(recursive=True)
                              if "toolkit.hub.single" in " ".join(p.cmdline()))
            except psutil.Error:
                servers = 0
            if rss > self.peak:
                self.peak, self.peak_servers = rss, servers
            time.sleep(2)


async def user(browser, hub, name: str, role: str, start_at: float, end_at: float, rnd: random.Random,
               out: dict) -> None:  # noqa: ANN001
    import hub_data as H

    await asyncio.sleep(max(0.0, start_at - time.monotonic()))
    ctx = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await ctx.new_page()
    page.set_default_timeout(300_000)   # a loaded hub is slow, not failing: time it instead of erroring at 30 s
    order = ["leadership"] if role == "leadership" else ["walkthrough", "quality", "progress", "leadership"]
    try:
        t0 = time.monotonic()
        await page.goto(f"{hub.url}/hub/login")
        await page.fill("input[name=username]", name)
        await page.fill("input[name=password]", H.PASSWORD)
        await page.click("input[type=submit], button[type=submit]")
        await page.wait_for_url(f"**/user/{name}/**", timeout=600_000)
        out["spawn"].append(time.monotonic() - t0)
        i = 0
        while time.monotonic() < end_at:
            dash = order[i % len(order)]
            i += 1
            t1 = time.monotonic()
            try:
                r = await page.goto(f"{hub.url}/user/{name}/voila/render/{dash}.ipynb", timeout=300_000)
                if r is None or r.status != 200:
                    raise RuntimeError(f"status {r.status if r else None}")
                await page.wait_for_selector("#rendered_cells", state="visible", timeout=300_000)
                await page.wait_for_selector(".widget-vbox, .jupyter-widgets", timeout=300_000)
                out["render"].append(time.monotonic() - t1)
                errs = await page.eval_on_selector_all(
                    ".voila-error, [data-mime-type='application/vnd.jupyter.error']", "els => els.length")
                if errs:
                    out["errors"].append(f"{name} {dash}: error output on the page")
            except Exception as e:  # noqa: BLE001 - counted
                out["errors"].append(f"{name} {dash}: {type(e).__name__}: {str(e)[:120]}")
            await asyncio.sleep(rnd.uniform(20, 40))
    except Exception as e:  # noqa: BLE001 - counted
        out["errors"].append(f"{name} sign-in: {type(e).__name__}: {str(e)[:120]}")
    finally:
        await ctx.close()


async def drive(hub, people_: dict[str, str], minutes: float) -> dict:  # noqa: ANN001
    from playwright.async_api import async_playwright

    import dashboards_data as D

    out: dict = {"spawn": [], "render": [], "errors": []}
    begin = time.monotonic()
    end_at = begin + minutes * 60
    rnd = random.Random(2026)
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=D.CHROMIUM, args=D.CHROMIUM_ARGS, headless=True)
        tasks = [user(browser, hub, name, role, begin + rnd.uniform(0, minutes * 60 / 3), end_at,
                      random.Random(k), out) for k, (name, role) in enumerate(people_.items())]
        await asyncio.gather(*tasks)
        await browser.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--users", type=int, default=20)
    ap.add_argument("--minutes", type=float, default=10.0)
    ap.add_argument("--project", type=Path, default=None)
    a = ap.parse_args()
    os.environ.setdefault("MPLBACKEND", "agg")
    os.environ.pop("FIELDEVAL_DATABASE_URL", None) if not os.environ.get("BENCH_HUB_KEEP_DB") else None
    import dashboards_data as D
    import hub_data as H

    project = a.project or D.build_project(Path(tempfile.mkdtemp(prefix="fe-bench-hub-")) / "proj")
    pp = people(a.users)
    H.make_hub(project, pp)
    hub = H.Hub(project)
    sampler = Sampler(hub.proc.pid)
    sampler.start()
    try:
        t0 = time.monotonic()
        out = asyncio.run(drive(hub, pp, a.minutes))
        took = time.monotonic() - t0
    finally:
        sampler.stop_flag = True
        sampler.join(timeout=5)
        hub.stop()
    load = os.getloadavg()
    print(f"bench_hub: {a.users} users ({sum(r == 'leadership' for r in pp.values())} leadership, "
          f"{sum(r == 'supervisor' for r in pp.values())} supervisors), {a.minutes:g} min asked, {took / 60:.1f} min run; "
          f"{os.cpu_count()} cores, load average {load[0]:.1f}")
    s, r = out["spawn"], out["render"]
    print(f"  sign-in to a running server: n={len(s)}, median {statistics.median(s) if s else float('nan'):.1f} s, "
          f"p95 {pct(s, 0.95):.1f} s")
    if r:
        print(f"  first render of a dashboard: n={len(r)}, median {statistics.median(r):.1f} s, p95 {pct(r, 0.95):.1f} s "
              f"(median / goal {GOAL_RENDER:g} s = {statistics.median(r) / GOAL_RENDER:.1f}x)")
    print(f"  errors: {len(out['errors'])}")
    for e in out["errors"][:10]:
        print(f"    {e}")
    per = sampler.peak / max(1, sampler.peak_servers)
    print(f"  peak memory: {sampler.peak / 2**20:.0f} MiB for the hub and everything it started "
          f"({sampler.peak_servers} user servers running then: {per / 2**20:.0f} MiB per user)")


if __name__ == "__main__":
    main()
