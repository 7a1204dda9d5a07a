"""Load on one JupyterHub: simulated users opening dashboards over N minutes (issue 20).

    .venv/bin/python bench/bench_hub.py [--users 20] [--minutes 10] [--project DIR]

Builds the small demo project (tests/dashboards/dashboards_data.py) unless
``--project`` is given, brings its results up to date once (as ``fieldeval
hub start`` does), sets up the hub exactly as ``fieldeval hub init`` and
``fieldeval hub user add`` do (tests/hub/hub_data.py), starts it as
``fieldeval hub start`` does (toolkit.hub.run) on loopback, and drives
Debian's chromium with Playwright (async, one browser, one context per
user: every user is a real browser page, no HTTP-only users). Users: every
tenth is leadership (the leadership dashboard), every fifth a supervisor,
the rest evaluators. Each user signs in at a moment spread over the first
third of the run (their server is spawned then), then until the time is up
opens a dashboard (leadership: theirs; others: the walkthrough, quality,
progress or leadership in turn), waits until it is rendered, and pauses
20–40 s (seeded). A sign-in or page still waiting GRACE (60) s after the
run's time is cut off and counted apart (neither an error nor a render).

Printed as it goes: each sign-in, each error, and once a minute a line
(signed in, user servers running, renders so far and their median, errors,
memory now). At the end: sign-in to a running server (spawn) median and
95th percentile; first render of a dashboard (page requested → Voilà's
cells and the widgets drawn) median and 95th percentile; errors (timeouts,
refusals, error outputs on a page; goal 0); peak resident memory of the hub
and everything it started (sampled every 2 s), split into the hub with its
proxy and culler, and each user's server with its kernels (peak per user:
median and largest). Resident memory (RSS) counts shared library pages in
every process, so the per-user figure is an upper bound. Peer: the issue-15
goal of 3 s for a first render (a ratio is printed); the machine's load
average too: on shared cores the times scale with it.

Stopping: SIGINT (Ctrl-C), SIGTERM and SIGHUP end the run early, print the
figures so far and stop the hub and everything it started (its own process
group and every process carrying its mark, toolkit.commands.serve.stop),
then the browser and any other process this script started; so does any
error. Exit code 0 for a complete run with no errors, 1 with errors, 130 / 143
when stopped by a signal.
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import signal
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
STOPS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
GRACE = 60          # seconds after the run's time for the pages under way; then they are cut off (counted apart)


def people(n: int, tag: str = "") -> dict[str, str]:
    """``u01`` … with their roles; ``tag`` appended to every name (a re-used project already has ``u01``)."""
    out = {}
    for i in range(1, n + 1):
        out[f"u{i:02d}{tag}"] = "leadership" if i % 10 == 0 else "supervisor" if i % 5 == 0 else "evaluator"
    return out


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, max(0, int(round(q * (len(xs) - 1)))))] if xs else float("nan")


class Sampler(threading.Thread):
    """Resident memory of the hub's process tree every 2 s: the peak total,
    the hub's own share (hub, proxy, culler) then, and each user's server
    with its kernels (the largest seen per user)."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.stop_flag = pid, False
        self.peak = self.peak_servers = self.peak_hub = self.now = self.now_servers = 0
        self.per_user: dict[str, int] = {}

    def sample(self) -> None:
        import psutil

        from toolkit.hub.guard import tree_rss

        try:
            procs = psutil.Process(self.pid).children(recursive=True)
        except psutil.Error:
            return
        servers = {}
        for p in procs:
            try:
                if "toolkit.hub.single" in " ".join(p.cmdline()):
                    servers[p.environ().get("JUPYTERHUB_USER", str(p.pid))] = p.pid
            except psutil.Error:
                continue
        total = tree_rss(self.pid)
        users = {name: tree_rss(pid) for name, pid in servers.items()}
        for name, rss in users.items():
            self.per_user[name] = max(self.per_user.get(name, 0), rss)
        self.now, self.now_servers = total, len(servers)
        if total > self.peak:
            self.peak, self.peak_servers, self.peak_hub = total, len(servers), total - sum(users.values())

    def run(self) -> None:
        while not self.stop_flag:
            self.sample()
            time.sleep(2)


def clock(begin: float) -> str:
    s = int(time.monotonic() - begin)
    return f"[{s // 60:02d}:{s % 60:02d}]"


def say(begin: float, text: str) -> None:
    print(f"{clock(begin)} {text}", flush=True)


async def user(browser, hub, name: str, role: str, start_at: float, end_at: float, rnd: random.Random,
               out: dict, begin: float) -> None:  # noqa: ANN001
    import hub_data as H

    await asyncio.sleep(max(0.0, start_at - time.monotonic()))
    ctx = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await ctx.new_page()
    page.set_default_timeout(300_000)   # a loaded hub is slow, not failing: time it instead of erroring at 30 s
    order = ["leadership"] if role == "leadership" else ["walkthrough", "quality", "progress", "leadership"]

    def error(text: str) -> None:
        out["errors"].append(text)
        say(begin, f"error: {text}")

    busy = "sign-in"   # what the user is waiting for (an unfinished one at the end is counted apart)
    try:
        t0 = time.monotonic()
        await page.goto(f"{hub.url}/hub/login")
        await page.fill("input[name=username]", name)
        await page.fill("input[name=password]", H.PASSWORD)
        await page.click("input[type=submit], button[type=submit]")
        await page.wait_for_url(f"**/user/{name}/**", timeout=600_000)
        busy = None
        out["spawn"].append(time.monotonic() - t0)
        out["signed_in"] += 1
        say(begin, f"{name} ({role}) signed in, server up in {time.monotonic() - t0:.1f} s "
                   f"({out['signed_in']} signed in)")
        i = 0
        while time.monotonic() < end_at:
            dash = order[i % len(order)]
            i += 1
            t1 = time.monotonic()
            busy = dash
            try:
                r = await page.goto(f"{hub.url}/user/{name}/voila/render/{dash}.ipynb", timeout=300_000)
                if r is None or r.status != 200:
                    raise RuntimeError(f"status {r.status if r else None}")
                await page.wait_for_selector("#rendered_cells", state="visible", timeout=300_000)
                await page.wait_for_selector(".widget-vbox, .jupyter-widgets", timeout=300_000)
                took = time.monotonic() - t1
                out["render"].append(took)
                busy = None
                out["by_user"][name] = out["by_user"].get(name, 0) + 1
                errs = await page.eval_on_selector_all(
                    ".voila-error, [data-mime-type='application/vnd.jupyter.error']", "els => els.length")
                if errs:
                    error(f"{name} {dash}: error output on the page")
            except asyncio.CancelledError:
                raise
            except Exception as e:  # noqa: BLE001 - counted
                error(f"{name} {dash}: {type(e).__name__}: {str(e)[:120]}")
            await asyncio.sleep(rnd.uniform(20, 40))
    except asyncio.CancelledError:
        if busy and not out.get("signal"):
            out["unfinished"].append(f"{name} {busy}")
    except Exception as e:  # noqa: BLE001 - counted
        error(f"{name} sign-in: {type(e).__name__}: {str(e)[:120]}")
    finally:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(ctx.close(), 30)


async def reporter(out: dict, sampler: Sampler, begin: float, every: float = 60) -> None:
    """A progress line every ``every`` seconds."""
    while True:
        await asyncio.sleep(every)
        r = out["render"]
        med = f", median {statistics.median(r):.1f} s" if r else ""
        say(begin, f"signed in {out['signed_in']}/{out['users']}, user servers running {sampler.now_servers}, "
                   f"renders {len(r)}{med}, errors {len(out['errors'])}, memory now {sampler.now / 2**20:.0f} MiB, "
                   f"load average {os.getloadavg()[0]:.1f}")


async def drive(hub, people_: dict[str, str], minutes: float, sampler: Sampler, out: dict,
                begin: float) -> None:  # noqa: ANN001
    from playwright.async_api import async_playwright

    import dashboards_data as D

    loop = asyncio.get_running_loop()
    me = asyncio.current_task()
    for s in STOPS:   # a signal cancels the run; the finally blocks close the pages and the browser
        loop.add_signal_handler(s, lambda s=s: (out.__setitem__("signal", s), me.cancel()))
    start = time.monotonic()   # sign-ins spread from now (the project and the hub took their own time)
    end_at = start + minutes * 60
    rnd = random.Random(2026)
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=D.CHROMIUM, args=D.CHROMIUM_ARGS, headless=True)
        tasks = [asyncio.create_task(user(browser, hub, name, role, start + rnd.uniform(0, minutes * 60 / 3),
                                          end_at, random.Random(k), out, begin))
                 for k, (name, role) in enumerate(people_.items())]
        rep = asyncio.create_task(reporter(out, sampler, begin))
        try:   # the run's time, then GRACE for what is under way; what is still waiting then is cut off
            _, pending = await asyncio.wait(tasks, timeout=max(0.0, end_at + GRACE - time.monotonic()))
            if pending:
                say(begin, f"time is up: {len(pending)} users still waiting, cut off")
            for t_ in pending:
                t_.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        except asyncio.CancelledError:
            say(begin, "stopped by a signal: closing the pages")
            for t_ in tasks:
                t_.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        finally:
            rep.cancel()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(browser.close(), 30)
            for s in STOPS:
                loop.remove_signal_handler(s)


class _Stop(Exception):
    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _raise(signum: int, frame) -> None:  # noqa: ANN001
    raise _Stop(signum)


def stop_own_children() -> None:
    """Terminate, then kill, whatever this script still has running (the browser, Playwright's driver)."""
    import psutil

    kids = psutil.Process().children(recursive=True)
    for p in kids:
        with contextlib.suppress(psutil.Error):
            p.terminate()
    _, alive = psutil.wait_procs(kids, timeout=5)
    for p in alive:
        with contextlib.suppress(psutil.Error):
            p.kill()


def report(a: argparse.Namespace, pp: dict[str, str], out: dict, sampler: Sampler, took: float) -> None:
    load = os.getloadavg()
    print(f"bench_hub: {a.users} users ({sum(r == 'leadership' for r in pp.values())} leadership, "
          f"{sum(r == 'supervisor' for r in pp.values())} supervisors), each a Playwright page in Debian's chromium; "
          f"{a.minutes:g} min asked, {took / 60:.1f} min run{' (stopped early)' if out.get('signal') else ''}; "
          f"{os.cpu_count()} cores, load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (1/5/15 min)",
          flush=True)
    s, r = out["spawn"], out["render"]
    if s:
        print(f"  sign-in to a running server: n={len(s)}, median {statistics.median(s):.1f} s, p95 {pct(s, 0.95):.1f} s")
    if r:
        print(f"  first render of a dashboard: n={len(r)}, median {statistics.median(r):.1f} s, p95 {pct(r, 0.95):.1f} s "
              f"(median / goal {GOAL_RENDER:g} s = {statistics.median(r) / GOAL_RENDER:.1f}x)")
    print(f"  signed in: {out['signed_in']} of {a.users}; errors: {len(out['errors'])}; "
          f"cut off at the end (still waiting {GRACE} s after the run's time): {len(out['unfinished'])}"
          + (f" ({', '.join(out['unfinished'][:8])})" if out["unfinished"] else ""))
    for e in out["errors"][:10]:
        print(f"    {e}")
    per = sorted(sampler.per_user.values())
    print(f"  peak memory: {sampler.peak / 2**20:.0f} MiB for the hub and everything it started, "
          f"{sampler.peak_servers} user servers running then; the hub, proxy and culler "
          f"{sampler.peak_hub / 2**20:.0f} MiB of it")
    if per:
        print(f"  per user (their server and its kernels, peak resident): median {statistics.median(per) / 2**20:.0f} MiB, "
              f"largest {per[-1] / 2**20:.0f} MiB (n={len(per)}); peak total / servers "
              f"{sampler.peak / max(1, sampler.peak_servers) / 2**20:.0f} MiB", flush=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--users", type=int, default=20)
    ap.add_argument("--minutes", type=float, default=10.0)
    ap.add_argument("--project", type=Path, default=None,
                    help="a demo project (e.g. one an earlier run built: its path is printed); default: build one")
    a = ap.parse_args()
    os.environ.setdefault("MPLBACKEND", "agg")
    if not os.environ.get("BENCH_HUB_KEEP_DB"):
        os.environ.pop("FIELDEVAL_DATABASE_URL", None)
    previous = {s: signal.getsignal(s) for s in STOPS}
    for s in STOPS:
        signal.signal(s, _raise)
    begin = time.monotonic()
    hub = sampler = None
    reuse = a.project is not None and (a.project / ".fieldeval" / "hub" / "jupyterhub.sqlite").exists()
    pp = people(a.users, f"r{os.getpid()}" if reuse else "")
    out: dict = {"spawn": [], "render": [], "errors": [], "unfinished": [], "signed_in": 0, "users": a.users, "by_user": {}}
    took = 0.0
    try:
        import dashboards_data as D
        import hub_data as H

        if a.project is None:
            say(begin, "building the demo project")
        project = a.project or D.build_project(Path(tempfile.mkdtemp(prefix="fe-bench-hub-")) / "proj")
        say(begin, f"project {project}")
        H.make_hub(project, pp)
        say(begin, f"starting the hub ({a.users} accounts)")
        hub = H.Hub(project)
        say(begin, f"hub up at {hub.url} (process group {hub.proc.pid}); {a.users} users over {a.minutes:g} min")
        sampler = Sampler(hub.proc.pid)
        sampler.start()
        t0 = time.monotonic()
        try:   # the event loop takes the signals while it runs (drive), then gives them back to _raise
            asyncio.run(drive(hub, pp, a.minutes, sampler, out, begin))
        finally:
            for s in STOPS:
                signal.signal(s, _raise)
        took = time.monotonic() - t0
    except _Stop as e:
        out["signal"] = e.signum
        say(begin, "stopped by a signal")
    finally:
        for s in STOPS:
            signal.signal(s, signal.SIG_IGN)   # the clean-up is not interrupted
        if sampler is not None:
            sampler.stop_flag = True
            sampler.join(timeout=5)
        if hub is not None:
            say(begin, "stopping the hub and everything it started")
            hub.stop()
        stop_own_children()
        for s, h in previous.items():
            signal.signal(s, h)
    if sampler is not None:
        report(a, pp, out, sampler, took)
    if out.get("signal"):
        return 128 + int(out["signal"])
    return 1 if out["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
