"""Dashboards in a real browser: first complete render, filter change, memory per kernel.

    .venv/bin/python bench/bench_dashboards.py [--project DIR] [--only leadership,walkthrough] [--rounds 3]
                                               [--no-browser]

Builds the small demo project (tests/dashboards/dashboards_data.py) unless
``--project`` is given and drives Debian's chromium with Playwright against
servers started exactly as ``fieldeval serve`` starts them
(toolkit.commands.serve.start), timing from the moment the server reported
ready (toolkit.commands.serve.wait_ready: Voilà listens and every preheated
kernel has signed in).

* **Peer, in the same run: the floor Voilà itself imposes** — a bare notebook
  with one ipywidgets ``Label``, served by the same Voilà settings (preheated
  kernel, the same template, the same wait for the request). Every time is
  printed with its ratio to the peer's.
* **First complete render**, per dashboard: the page requested → Voilà's cells
  shown and the dashboard's widgets drawn. *Cold*: the first visitor after the
  server reported ready; *warm*: a second visit once the pool has a preheated
  kernel again (the normal case for any later visitor).
* **Filter change**: the leadership county dropdown (cards and drill-down
  redrawn) and ranking indicator (the forest plot redrawn); the walkthrough's
  "next household" step (every pane redrawn).
* **Filter change** also: the quality page's interviewer pick (their submissions redrawn).
* **Memory**: resident memory of each kernel, preheated and after the visits.
* **Kernel side** (where the time goes, no browser): in a fresh process per
  dashboard, the seconds to import the page's module, to ``preload`` (before
  any request, while preheated) and to ``show`` (after the request, on the
  visitor's clock), and the peak memory.

Every figure is the median of ``--rounds`` (default 3): each round starts a
fresh server and peer (so *cold* is really the first visit after ready).

Goals (issue 15): first render ≤ 3 s, filter change ≤ 300 ms. The machine's
load average is printed: on shared cores the times scale with it.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "dashboards"))

from dashboards_data import CHROMIUM, CHROMIUM_ARGS, DASHBOARDS, build_project, free_port  # noqa: E402

PEER = "bare Voilà page with one Label"
# what must be on the screen for a page to count as rendered: its last-drawn part
WIDGETS = {"leadership": ".fe-leadership .fe-forest", "walkthrough": ".fe-walkthrough .fe-history",
           "entry": ".fe-entry .fe-status", "quality": ".fe-quality .fe-progress-chart",
           "progress": ".fe-progress .fe-progress-chart", "floor": ".widget-label"}


def floor_notebook(folder: Path) -> Path:
    """The peer: a bare notebook with one Label, waiting for its request like the dashboards."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    from toolkit.commands.serve_voila import WAIT_TAG

    folder.mkdir(parents=True, exist_ok=True)
    nb = new_notebook(cells=[
        new_code_cell("import ipywidgets as W\nfrom toolkit.widgets.dashboard import wait_for_request"),
        new_code_cell("wait_for_request()", metadata={"tags": [WAIT_TAG]}),
        new_code_cell("W.Label('ok')")],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    nbformat.write(nb, folder / "floor.ipynb")
    return folder


def rss_mb(pid: int) -> float:
    """Resident memory of a process in MiB (Linux /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def kernels(server_pid: int) -> list[float]:
    """Resident memory (MiB) of the kernels the server started."""
    import psutil

    out = []
    for p in psutil.Process(server_pid).children(recursive=True):
        try:
            if "ipykernel" in " ".join(p.cmdline()):
                out.append(p.memory_info().rss / 2**20)
        except psutil.Error:
            continue
    return sorted(out)


class Served:
    """A server started as ``fieldeval serve`` does, and the time it took to report ready."""

    def __init__(self, project: Path, **kw: object) -> None:
        from toolkit.commands.serve import dashboards_count, start, wait_ready

        import collections
        import threading

        self.port = free_port()
        t0 = time.perf_counter()
        self.proc, self.token, self.url = start(project, port=self.port, **kw)
        # read Voilà's log as it comes: a full pipe (64 KiB) would block Voilà's own writes and hang its pages
        self.log: collections.deque[str] = collections.deque(maxlen=300)
        out = self.proc.stdout
        self.drain = threading.Thread(target=lambda: self.log.extend(iter(out.readline, "")), daemon=True)
        self.drain.start()
        n = 1 if "notebooks" in kw else dashboards_count()
        if not wait_ready(self.proc, self.port, 300, kernels=n):
            raise RuntimeError("server did not report ready")
        self.ready_s = time.perf_counter() - t0
        self.visits = 0

    def page(self, name: str) -> str:
        return f"{self.url}voila/render/{name}.ipynb?token={self.token}"

    def refilled(self, wanted: int, timeout: float = 180) -> None:
        """Until ``wanted`` preheated kernels have signed in since the start (the pool refilled)."""
        from toolkit.commands.serve import preheated

        deadline = time.monotonic() + timeout
        while preheated(self.proc) < wanted and time.monotonic() < deadline:
            time.sleep(0.2)

    def stop(self) -> None:
        from toolkit.commands.serve import stop

        out, self.proc.stdout = self.proc.stdout, None   # the drain thread reads it to the end
        stop(self.proc)
        self.drain.join(timeout=10)
        out.close()


def render(ctx, url: str, name: str) -> float:  # noqa: ANN001 - playwright context
    """Seconds from the request to the dashboard's widgets on the screen, grid tables drawn."""
    page = ctx.new_page()
    t0 = time.perf_counter()
    page.goto(url, timeout=180_000)
    page.wait_for_selector("#rendered_cells", state="visible", timeout=180_000)
    page.wait_for_selector(WIDGETS[name], timeout=180_000)
    # and every grid table drawn (toolkit.widgets.served_grid marks tables still being drawn)
    page.wait_for_function("() => !(Number(document.documentElement.dataset.feGridsPending) > 0)",
                           timeout=180_000, polling=20)
    dt = time.perf_counter() - t0
    page.close()
    return dt


def fresh(pw):  # noqa: ANN001, ANN201 - a browser with an empty profile: nothing cached, a first visitor
    return pw.chromium.launch_persistent_context(tempfile.mkdtemp(prefix="fe-bench-"), executable_path=CHROMIUM,
                                                 args=CHROMIUM_ARGS, headless=True,
                                                 viewport={"width": 1280, "height": 1000})


def visit(pw, ctx, srv: Served, name: str, cold: bool) -> float:  # noqa: ANN001
    """One timed visit; ``cold``: from a browser with an empty cache. Then wait until the pool refilled."""
    from toolkit.commands.serve import preheated

    want = preheated(srv.proc) + 1
    if cold:
        c = fresh(pw)
        try:
            dt = render(c, srv.page(name), name)
        finally:
            c.close()
    else:
        dt = render(ctx, srv.page(name), name)
    srv.refilled(want)
    return dt


def cold_and_warm(pw, ctx, srv: Served, peer: Served, name: str) -> tuple[float, ...]:  # noqa: ANN001
    """One dashboard next to the peer at the same moment (the load of shared cores moves):
    (peer cold, cold, peer warm, warm). Cold: the first visit of the page after the server
    reported ready, from a browser with nothing cached; warm: a second visit, assets cached,
    once the pool has a preheated kernel again."""
    pc = visit(pw, ctx, peer, "floor", True)
    c = visit(pw, ctx, srv, name, True)
    visit(pw, ctx, peer, "floor", False)   # the shared browser's cache for the peer
    pw_ = visit(pw, ctx, peer, "floor", False)
    w = visit(pw, ctx, srv, name, False)
    return pc, c, pw_, w


def change_ms(page, act, changed: str, arg: str) -> float:  # noqa: ANN001
    """Milliseconds from a control's change to the page showing the new view."""
    t0 = time.perf_counter()
    act()
    page.wait_for_function(changed, arg=arg, timeout=30_000)
    return (time.perf_counter() - t0) * 1000


def _changes(page, select: str, options: list[str], watch: str) -> list[float]:  # noqa: ANN001
    changed = f"b => document.querySelector({watch!r}).innerHTML !== b"
    return [change_ms(page, lambda c=c: page.select_option(select, label=c), changed, page.inner_html(watch))
            for c in options]


def filters(srv: Served, ctx, names: list[str]) -> dict[str, list[float]]:  # noqa: ANN001
    """Real widget changes in the browser, ms until the page shows the new view: leadership
    county and ranking indicator, walkthrough next household, quality interviewer."""
    out: dict[str, list[float]] = {}
    if "leadership" in names:
        page = ctx.new_page()
        page.goto(srv.page("leadership"), timeout=180_000)
        page.wait_for_selector(WIDGETS["leadership"], timeout=180_000)
        opts = page.eval_on_selector_all(".fe-county select option", "els => els.map(e => e.textContent)")
        out["leadership county"] = _changes(page, ".fe-county select", (opts[1:] + opts[:1]) * 2, ".fe-cards")
        inds = page.eval_on_selector_all(".fe-indicator select option", "els => els.map(e => e.textContent)")
        out["leadership ranking indicator"] = _changes(page, ".fe-indicator select", inds[1:] + inds[:1], ".fe-chart")
        page.close()
    if "walkthrough" in names:
        page = ctx.new_page()
        page.goto(srv.page("walkthrough"), timeout=180_000)
        page.wait_for_selector(WIDGETS["walkthrough"], timeout=180_000)
        changed = "b => document.querySelector('.fe-walkthrough').innerText !== b"
        nxt = ".fe-next button, button.fe-next"
        out["walkthrough next household"] = [
            change_ms(page, lambda: page.click(nxt), changed, page.inner_text(".fe-walkthrough")) for _ in range(8)]
        page.close()
    if "quality" in names:
        page = ctx.new_page()
        page.goto(srv.page("quality"), timeout=180_000)
        page.wait_for_selector(WIDGETS["quality"], timeout=180_000)
        opts = page.eval_on_selector_all(".fe-enum select option", "els => els.map(e => e.textContent)")
        out["quality interviewer"] = _changes(page, ".fe-enum select", (opts[1:5] + opts[:1]), ".fe-subs")
        page.close()
    return out


# --------------------------------------------------------------------------- kernel side

PHASE = """
import importlib, json, resource, sys, time
name, project = sys.argv[1], sys.argv[2]
t = time.perf_counter(); app = importlib.import_module("toolkit.widgets." + name)
from toolkit.widgets.dashboard import Params
imp = time.perf_counter() - t
t = time.perf_counter(); app.preload(project); pre = time.perf_counter() - t
import IPython.display as D
D.display = lambda *a, **k: None
from pathlib import Path
p = Params(Path(project).resolve(), "zh", {})
t = time.perf_counter(); app.show(p); show = time.perf_counter() - t
print(json.dumps({"import": imp, "preload": pre, "show": show,
                  "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def phases(project: Path, name: str) -> dict[str, float]:
    """What a kernel of dashboard ``name`` spends, in a fresh process like a kernel: importing the
    page's module, ``preload`` (before any request: preheated) and ``show`` (after the request:
    on the visitor's clock), and its peak resident memory (MiB)."""
    import json
    import subprocess

    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
           "MPLBACKEND": "agg"}
    out = subprocess.run([sys.executable, "-c", PHASE, name, str(project)], env=env, capture_output=True,
                         text=True, timeout=600, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def load() -> str:
    """The machine's load averages (1, 5, 15 min), as uptime prints them."""
    return ", ".join(f"{x:.1f}" for x in os.getloadavg())


def med(xs: list[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--project")
    ap.add_argument("--only", default=",".join(DASHBOARDS), help="dashboards to time (comma-separated)")
    ap.add_argument("--rounds", type=int, default=3, help="fresh servers (cold visits) per dashboard; medians printed")
    ap.add_argument("--no-browser", action="store_true", help="only the kernel side (import, preload, show)")
    a = ap.parse_args()
    names = [n for n in a.only.split(",") if n]
    proj = Path(a.project) if a.project else build_project(Path(tempfile.mkdtemp()) / "demo")
    print(f"load average at start: {load()} on {os.cpu_count()} cores; {a.rounds} rounds", flush=True)

    print(f"kernel side, median of {a.rounds} fresh processes (s; show = on the visitor's clock):", flush=True)
    print(f"{'dashboard':12s} {'import':>7s} {'preload':>8s} {'show':>6s} {'peak MiB':>9s}   load", flush=True)
    for name in names:
        runs = [phases(proj, name) for _ in range(a.rounds)]
        print(f"{name:12s} {med([r['import'] for r in runs]):7.2f} {med([r['preload'] for r in runs]):8.2f} "
              f"{med([r['show'] for r in runs]):6.2f} {med([r['rss'] for r in runs]):9.0f}   {load()}", flush=True)
    if a.no_browser:
        return
    from playwright.sync_api import sync_playwright

    times: dict[str, list[tuple[float, ...]]] = {n: [] for n in names}
    changes: dict[str, list[float]] = {}
    mems: list[str] = []
    with sync_playwright() as pw:
        for rnd in range(1, a.rounds + 1):
            ctx = fresh(pw)
            peer = srv = None
            try:
                peer = Served(proj, notebooks=floor_notebook(Path(tempfile.mkdtemp()) / "floor"))
                srv = Served(proj)
                idle = kernels(srv.proc.pid)
                print(f"round {rnd}: peer ({PEER}) ready after {peer.ready_s:.1f} s; dashboards ready after "
                      f"{srv.ready_s:.1f} s ({len(idle)} preheated kernels signed in); load {load()}", flush=True)
                for name in names:
                    pc, c, pw_, w = cold_and_warm(pw, ctx, srv, peer, name)
                    times[name].append((pc, c, pw_, w))
                    print(f"  {name:12s} cold {c:6.2f} s (peer {pc:5.2f}, × {c / pc:4.1f})  warm {w:6.2f} s "
                          f"(peer {pw_:5.2f}, × {w / pw_:4.1f})  load {load()}", flush=True)
                for what, ms in filters(srv, ctx, names).items():
                    changes.setdefault(what, []).extend(ms)
                    print(f"  filter change, {what}: median {med(ms):.0f} ms, max {max(ms):.0f} ms over {len(ms)}",
                          flush=True)
                mem = kernels(srv.proc.pid)
                floor_mem = kernels(peer.proc.pid)
                mems.append(f"round {rnd}: preheated {', '.join(f'{m:.0f}' for m in idle)}; after the visits "
                            f"{', '.join(f'{m:.0f}' for m in mem)} ({len(mem)} kernels, {sum(mem):.0f} MiB in all); "
                            f"peer's kernels {', '.join(f'{m:.0f}' for m in floor_mem)}; "
                            f"Voilà itself {rss_mb(srv.proc.pid):.0f} MiB")
                print(f"  memory per kernel (MiB): {mems[-1].split(': ', 1)[1]}", flush=True)
            finally:
                if peer is not None:
                    peer.stop()
                if srv is not None:
                    srv.stop()
                ctx.close()
    print(f"\nfirst render, median of {a.rounds} rounds (goal ≤ 3 s); peer: {PEER}")
    print(f"{'dashboard':12s} {'cold s':>7s} {'peer s':>7s} {'× peer':>7s} {'warm s':>7s} {'peer s':>7s} {'× peer':>7s}")
    for name, rs in times.items():
        pc, c, pw_, w = (med([r[i] for r in rs]) for i in range(4))
        print(f"{name:12s} {c:7.2f} {pc:7.2f} {c / pc:7.1f} {w:7.2f} {pw_:7.2f} {w / pw_:7.1f}")
    for what, ms in changes.items():
        print(f"filter change, {what}: median {med(ms):.0f} ms, max {max(ms):.0f} ms over {len(ms)} (goal ≤ 300 ms)")
    print("memory per kernel (MiB, psutil RSS):")
    for m in mems:
        print("  " + m)
    print(f"load average at the end: {load()}")


if __name__ == "__main__":
    main()
