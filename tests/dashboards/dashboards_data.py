"""A small demo project for the dashboard tests, built once per session.

``build_project(dir)`` runs the project's demo (synthetic city, roster
check, two-stage sample) and, while ``fieldeval demo`` does not yet write the
visits, plays the field work with :mod:`toolkit.synthetic_visits` and writes
the ingest layout to ``output/ingest``. Verification then runs in the
dashboards' reader (toolkit.widgets.data) exactly as ``fieldeval verify`` does.
"""
from __future__ import annotations

import contextlib
import io
import os
import socket
import subprocess
import threading
import time
import urllib.request
from pathlib import Path


HOUSEHOLDS = 1500
SEED = 2026
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "dashboards"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
DASHBOARDS = ("leadership", "walkthrough", "entry", "quality", "progress")


def build_project(d: Path) -> Path:
    """The demo project in ``d`` with visits (module doc)."""
    from toolkit.demo import run_demo
    from toolkit.widgets.data import visits_dir

    with contextlib.redirect_stdout(io.StringIO()):
        run_demo(d, seed=SEED, households=HOUSEHOLDS, lang="en")
    if visits_dir(d) is None:
        from toolkit.synthetic import make_city
        from toolkit.synthetic_visits import simulate_visits, write_parquet_layout

        city = make_city(HOUSEHOLDS, SEED)
        from toolkit.sampling.sample_files import read_sample_table

        units = read_sample_table(d / "output" / "sample" / "sample.csv").astype(str)
        reserves = read_sample_table(d / "output" / "sample" / "reserves.csv").astype(str)
        visits = simulate_visits(city, units, reserves, seed=SEED)
        write_parquet_layout(visits, d / "output" / "ingest")
    return d


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``fieldeval serve`` in the background (toolkit.commands.serve.start)."""

    def __init__(self, project: Path, port: int | None = None, token: str | None = None) -> None:
        from toolkit.commands.serve import start

        self.port = port or free_port()
        self.proc, self.token, self.url = start(project, port=self.port, token=token)
        # Voilà's log is read while it runs: a full pipe (64 KiB) would block Voilà and hang a page.
        self.lines: list[str] = []
        self.reader = threading.Thread(target=lambda: self.lines.extend(iter(self.proc.stdout.readline, "")),
                                       daemon=True)
        self.reader.start()
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.proc.poll() is not None:
                self.reader.join(timeout=5)
                raise RuntimeError("voila exited:\n" + "".join(self.lines))
            try:
                urllib.request.urlopen(f"{self.url}?token={self.token}", timeout=2)
                return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("voila did not start")

    def page(self, name: str, query: str = "") -> str:
        """The URL of dashboard ``name`` with the token."""
        return f"{self.url}voila/render/{name}.ipynb?token={self.token}" + (f"&{query}" if query else "")

    def stop(self) -> str:
        """Stop the server; returns its log."""
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.reader.join(timeout=10)
        return "".join(self.lines)


def launch_browser(pw):  # noqa: ANN001, ANN201 - playwright objects
    """Debian's chromium through Playwright with a fresh profile (never a downloaded browser)."""
    import tempfile

    profile = tempfile.mkdtemp(prefix="fe-chromium-")
    return pw.chromium.launch_persistent_context(profile, executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                                 headless=True, viewport={"width": 1280, "height": 1000})


def wait_rendered(page, timeout: float = 60_000) -> None:  # noqa: ANN001
    """Until Voilà has run every cell and the widgets are on the page."""
    page.wait_for_selector("#rendered_cells", state="visible", timeout=timeout)
    page.wait_for_selector(".widget-vbox, .jupyter-widgets", timeout=timeout)


def error_outputs(page) -> list[str]:  # noqa: ANN001
    """Texts of error outputs on the page (tracebacks, stderr)."""
    return page.eval_on_selector_all(
        ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr'], .jp-RenderedText[data-mime-type"
        "='application/vnd.jupyter.stderr'], .jp-OutputArea-executeResult .ansi-red-fg, .voila-error, "
        "[data-mime-type='application/vnd.jupyter.error']",
        "els => els.map(e => e.innerText)")


os.environ.setdefault("MPLBACKEND", "agg")
