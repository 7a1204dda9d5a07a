"""A hub on loopback for the browser test and the benchmark: a demo project,
``fieldeval hub init``, accounts, ``fieldeval hub start`` (toolkit.hub.run)."""
from __future__ import annotations

import time
from pathlib import Path

import dashboards_data as D

PASSWORD = "field-eval-2026"   # test accounts only


def make_hub(project: Path, people: dict[str, str]) -> None:
    """Hub set-up in ``project`` with one account per ``name: role`` (password PASSWORD)."""
    from toolkit.hub import setup, users

    setup.init(project, force=True, mem_limit="2G", idle_timeout=3600)
    for name, role in people.items():
        users.add(project, name, role, PASSWORD)


class Hub:
    """``fieldeval hub start`` in the background on a free port."""

    def __init__(self, project: Path) -> None:
        from toolkit.hub import run

        self.port = D.free_port()
        while D.free_port() in (self.port + 1, self.port + 2):   # pragma: no cover - rare
            self.port = D.free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = run.launch(project, "127.0.0.1", self.port)
        self.log = project / ".fieldeval" / "hub" / "logs" / "jupyterhub.log"
        if not run.wait_up(self.proc, "127.0.0.1", self.port, timeout=180):
            self.stop()
            raise RuntimeError("hub did not start:\n" + self.log.read_text(errors="replace")[-4000:])

    def stop(self) -> None:
        from toolkit.hub import run

        run.stop(self.proc)


def login(page, hub: Hub, name: str, password: str = PASSWORD, timeout: float = 240_000) -> float:  # noqa: ANN001
    """Sign in through the hub's login page; returns seconds until the user's server answered."""
    t0 = time.monotonic()
    page.goto(f"{hub.url}/hub/login")
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", password)
    page.click("input[type=submit], button[type=submit]")
    page.wait_for_url(f"**/user/{name}/**", timeout=timeout)
    return time.monotonic() - t0
