"""Dashboards in a real browser: first complete render, filter change, memory per kernel.

    .venv/bin/python bench/bench_dashboards.py [--project DIR] [--only leadership,walkthrough]

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
* **Memory**: resident memory of each kernel, preheated and after the visits.

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
WIDGETS = {"leadership": ".fe-leadership .fe-forest", "walkthrough": ".fe-walkthrough", "entry": ".widget-vbox",
           "quality": ".widget-vbox", "floor": ".widget-label"}


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
    """Seconds from the request to the dashboard's widgets on the screen."""
    page = ctx.new_page()
    t0 = time.perf_counter()
    page.goto(url, timeout=180_000)
    page.wait_for_selector("#rendered_cells", state="visible", timeout=180_000)
    page.wait_for_selector(WIDGETS[name], timeout=180_000)
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


def cold_and_warm(pw, ctx, srv: Served, peer: Served, names: list[str]) -> dict[str, tuple[float, ...]]:  # noqa: ANN001
    """Per dashboard, next to the peer at the same moment (the load of shared cores moves):
    (peer cold, cold, peer warm, warm). Cold: the first visit of the page after the server
    reported ready, from a browser with nothing cached; warm: a second visit, assets cached,
    once the pool has a preheated kernel again."""
    out = {}
    for name in names:
        pc = visit(pw, ctx, peer, "floor", True)
        c = visit(pw, ctx, srv, name, True)
        visit(pw, ctx, peer, "floor", False)   # the shared browser's cache for the peer
        pw_ = visit(pw, ctx, peer, "floor", False)
        w = visit(pw, ctx, srv, name, False)
        out[name] = (pc, c, pw_, w)
    return out


def change_ms(page, act, changed: str, arg: str) -> float:  # noqa: ANN001
    """Milliseconds from a control's change to the page showing the new view."""
    t0 = time.perf_counter()
    act()
    page.wait_for_function(changed, arg=arg, timeout=30_000)
    return (time.perf_counter() - t0) * 1000


def filters(srv: Served, ctx) -> dict[str, list[float]]:  # noqa: ANN001
    """Leadership county and indicator changes, walkthrough next-household steps (ms)."""
    out: dict[str, list[float]] = {}
    page = ctx.new_page()
    page.goto(srv.page("leadership"), timeout=180_000)
    page.wait_for_selector(WIDGETS["leadership"], timeout=180_000)
    opts = page.eval_on_selector_all(".fe-county select option", "els => els.map(e => e.textContent)")
    changed = "b => document.querySelector('.fe-cards').innerHTML !== b"
    out["leadership county"] = [
        change_ms(page, lambda c=c: page.select_option(".fe-county select", label=c), changed,
                  page.inner_html(".fe-cards")) for c in (opts[1:] + opts[:1]) * 2]
    inds = page.eval_on_selector_all(".fe-indicator select option", "els => els.map(e => e.textContent)")
    changed = "b => document.querySelector('.fe-chart').innerHTML !== b"
    out["leadership ranking indicator"] = [
        change_ms(page, lambda c=c: page.select_option(".fe-indicator select", label=c), changed,
                  page.inner_html(".fe-chart")) for c in inds[1:] + inds[:1]]
    page.close()
    page = ctx.new_page()
    page.goto(srv.page("walkthrough"), timeout=180_000)
    page.wait_for_selector(".fe-household select", timeout=180_000)
    changed = "b => document.querySelector('.fe-walkthrough').innerText !== b"
    nxt = ".fe-next button, button.fe-next"
    out["walkthrough next household"] = [
        change_ms(page, lambda: page.click(nxt), changed, page.inner_text(".fe-walkthrough")) for _ in range(8)]
    page.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--project")
    ap.add_argument("--only", default=",".join(DASHBOARDS), help="dashboards to time (comma-separated)")
    a = ap.parse_args()
    names = [n for n in a.only.split(",") if n]
    proj = Path(a.project) if a.project else build_project(Path(tempfile.mkdtemp()) / "demo")
    from playwright.sync_api import sync_playwright

    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
    with sync_playwright() as pw:
        ctx = fresh(pw)
        peer = Served(proj, notebooks=floor_notebook(Path(tempfile.mkdtemp()) / "floor"))
        srv = None
        try:
            srv = Served(proj)
            idle = kernels(srv.proc.pid)
            print(f"peer ({PEER}): ready after {peer.ready_s:.1f} s; dashboards: ready after {srv.ready_s:.1f} s "
                  f"(Voilà listening, {len(idle)} preheated kernels signed in); load average "
                  f"{os.getloadavg()[0]:.1f}", flush=True)
            print(f"{'first render':12s} {'cold s':>7s} {'peer s':>7s} {'× peer':>7s} {'warm s':>7s} {'peer s':>7s} "
                  f"{'× peer':>7s}   goal ≤ 3 s")
            for name, (pc, c, pw_, w) in cold_and_warm(pw, ctx, srv, peer, names).items():
                print(f"{name:12s} {c:7.2f} {pc:7.2f} {c / pc:7.1f} {w:7.2f} {pw_:7.2f} {w / pw_:7.1f}", flush=True)
            floor_mem = kernels(peer.proc.pid)
            if "leadership" in names and "walkthrough" in names:
                for what, ms in filters(srv, ctx).items():
                    print(f"filter change, {what}: median {statistics.median(ms):.0f} ms, max {max(ms):.0f} ms "
                          f"over {len(ms)} (goal ≤ 300 ms)", flush=True)
            mem = kernels(srv.proc.pid)
            print(f"memory per kernel (MiB): preheated {', '.join(f'{m:.0f}' for m in idle)}; after the visits "
                  f"{', '.join(f'{m:.0f}' for m in mem)} ({len(mem)} kernels, {sum(mem):.0f} MiB in all); "
                  f"peer's kernels {', '.join(f'{m:.0f}' for m in floor_mem)}; "
                  f"Voilà itself {rss_mb(srv.proc.pid):.0f} MiB")
            print(f"load average at the end: {os.getloadavg()[0]:.1f}")
        finally:
            peer.stop()
            if srv is not None:
                srv.stop()
            ctx.close()


if __name__ == "__main__":
    main()
