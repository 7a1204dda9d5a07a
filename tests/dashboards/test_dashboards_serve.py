"""``fieldeval serve`` as a process: dashboards alive after idle time, nothing
left running after a stop, the token never echoed (issues 15 and 14).

The unit tests at the top need no server. The others start real servers on
the demo project; the browser ones drive Debian's chromium through
Playwright (skipped when chromium is not installed, as in
test_dashboards_browser.py). Waits are kept short by settings: the cell
timeout and the culler's interval and idle time are shortened, and the tests
wait just past them.
"""
from __future__ import annotations

import json
import logging
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from dashboards_data import (
    ARTIFACTS,
    CHROMIUM,
    DASHBOARDS,
    ROOT,
    error_outputs,
    free_port,
    launch_browser,
    wait_rendered,
)

from toolkit.commands import serve
from toolkit.commands import serve_voila as sv

CELL_TIMEOUT = 30    # s: long enough for a dashboard's real cells on 2 busy cores, short for the test
CULL_INTERVAL = 5    # s between culler passes
CULL_IDLE = 10       # s a kernel without a browser may stay idle
IDLE = CELL_TIMEOUT + CULL_INTERVAL + 15  # s the idle test waits: past the cell timeout and a cull pass


# ---------------------------------------------------------------- no server


def test_cell_timeout_spares_only_the_cell_waiting_for_the_visitor() -> None:
    limit = sv.CellTimeout(30)
    assert limit({"metadata": {"tags": [sv.WAIT_TAG]}}) is None
    assert limit({"metadata": {"tags": ["parameters"]}}) == 30
    assert limit({"metadata": {}}) == 30
    assert limit({}) == 30


@pytest.mark.parametrize("name", DASHBOARDS)
def test_each_dashboard_waits_for_its_request_in_the_tagged_cell(name: str) -> None:
    import nbformat

    import importlib.util

    # loaded by path under its own name: `import build` could return another build.py already
    # imported (questionnaires/build.py, which questionnaires/build_backcheck.py imports as `build`)
    spec = importlib.util.spec_from_file_location("dashboards_build", ROOT / "dashboards" / "build.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    assert build.WAIT_TAG == sv.WAIT_TAG
    nb = nbformat.read(ROOT / "toolkit" / "dashboards" / f"{name}.ipynb", as_version=4)
    tagged = [c for c in nb.cells if sv.WAIT_TAG in c.metadata.get("tags", [])]
    waiting = [c for c in nb.cells if "params(" in c.source]
    assert len(tagged) == 1 and tagged == waiting
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in nb.cells if c.cell_type == "code")
    # the committed notebook is what build.py writes
    assert nbformat.reads((ROOT / "toolkit" / "dashboards" / f"{name}.ipynb").read_text(encoding="utf-8"), as_version=4) == \
        build.notebook(name, *build.APPS[name])


def test_token_leaves_the_address_and_other_parameters_stay() -> None:
    assert sv.without_token("/voila/render/x.ipynb?token=abc&lang=en") == "/voila/render/x.ipynb?lang=en"
    assert sv.without_token("/?token=abc") == "/"
    assert sv.without_token("/voila/render/w.ipynb?lang=en&token=a&household=A%201") == \
        "/voila/render/w.ipynb?lang=en&household=A+1"
    assert sv.without_token("/x") == "/x"


def test_token_file_is_private_and_not_on_the_command_line(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("FIELDEVAL_TOKEN", "s3cret-token")
    monkeypatch.setenv("JUPYTER_TOKEN", "s3cret-token")
    path = serve.write_token(tmp_path / ".voila", "s3cret-token")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sv.read_token(str(path)) == "s3cret-token"
    argv = serve.voila_argv(8866, "127.0.0.1")
    assert not any("s3cret" in a or "token" in a.lower() for a in argv)
    env = serve.environment(tmp_path, tmp_path, path, "mark")
    assert "s3cret-token" not in "\n".join(f"{k}={v}" for k, v in env.items())
    assert env[sv.ENV_TOKEN_FILE] == str(path) and env[serve.ENV_MARK] == "mark"
    # a second write replaces the token, still 0600, no temporary file left
    serve.write_token(tmp_path / ".voila", "other")
    assert sv.read_token(str(path)) == "other"
    assert sorted(p.name for p in (tmp_path / ".voila").iterdir()) == ["token"]


def test_log_records_have_the_token_replaced() -> None:
    previous = logging.getLogRecordFactory()
    try:
        sv.redact_logs("tok-123")
        rec = logging.getLogRecordFactory()("x", logging.WARNING, __file__, 1, "GET /?token=%s (%s)",
                                            ("tok-123", "127.0.0.1"), None)
        assert rec.getMessage() == "GET /?token=[secret] (127.0.0.1)"
        other = logging.getLogRecordFactory()("x", logging.INFO, __file__, 1, "nothing %d", (1,), None)
        assert other.getMessage() == "nothing 1"
    finally:
        logging.setLogRecordFactory(previous)


# ---------------------------------------------------------------- helpers


@pytest.fixture(scope="module")
def project(demo_project: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    proj = tmp_path_factory.mktemp("serve") / "proj"
    shutil.copytree(demo_project, proj)
    return proj


def serving(log: str) -> str:
    """The server's log while it served, up to the stop signal: a preheated
    kernel killed mid-execution at shutdown may print a ZMQ traceback after it
    (ipykernel's socket closes under it), which is not a fault of any request."""
    return log.split("Handle signal", 1)[0]


def _wait_up(url: str, proc: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        assert proc.poll() is None, "the server exited"
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.3)
    raise AssertionError("the server did not start")


def _opener() -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))


def _cmdline(p) -> str:
    return "\0".join(p.cmdline())


def _environ(p) -> str:
    return "\0".join(f"{k}={v}" for k, v in p.environ().items())


# ---------------------------------------------------------------- stopping


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_stopping_fieldeval_serve_stops_voila_and_every_kernel(project: Path, sig: int) -> None:
    psutil = pytest.importorskip("psutil")
    port = free_port()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    env.pop("FIELDEVAL_TOKEN", None)
    cmd = [sys.executable, "-m", "toolkit.cli", "serve", "--project", str(project), "--port", str(port),
           "--lang", "en"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(iter(proc.stdout.readline, "")), daemon=True)
    reader.start()
    try:
        deadline = time.time() + 120
        while not any("Dashboards at:" in x for x in lines):
            assert proc.poll() is None, "".join(lines)
            assert time.time() < deadline, "".join(lines)
            time.sleep(0.3)
        me = psutil.Process(proc.pid)
        while len(me.children(recursive=True)) < 1 + len(DASHBOARDS):  # Voilà and one kernel per dashboard
            assert time.time() < deadline, "".join(lines)
            time.sleep(0.3)
        started = me.children(recursive=True)
        token = (project / "output" / ".voila" / "token").read_text(encoding="utf-8")
        assert len(token) >= 20
        for p in [me, *started]:
            assert token not in _cmdline(p), p.cmdline()
        for p in started:  # Voilà and the kernels get the file's path, never the token
            assert token not in _environ(p)
        proc.send_signal(sig)
        code = proc.wait(timeout=60)
        reader.join(timeout=10)
        out = "".join(lines)
        assert code == (130 if sig == signal.SIGINT else 0), out
        survivors = [p.pid for p in started if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
        assert survivors == [], out
        assert "Dashboards stopped" in out
        assert token not in out  # output not on a terminal: address and token file only
        assert str(project / "output" / ".voila" / "token") in out
        assert not (project / "output" / ".voila" / "token").exists()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_stop_also_ends_kernels_whose_voila_was_killed(project: Path) -> None:
    """A kernel outlives a SIGKILLed Voilà (kernels run in their own sessions);
    stop() finds it by the server's mark."""
    psutil = pytest.importorskip("psutil")
    port = free_port()
    proc, _, url = serve.start(project, port=port)
    try:
        _wait_up(url, proc)
        me = psutil.Process(proc.pid)
        deadline = time.time() + 120
        while not me.children():
            assert time.time() < deadline
            time.sleep(0.3)
        kernels = me.children(recursive=True)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        assert any(k.is_running() for k in kernels)  # orphans now
    finally:
        serve.stop(proc)
    assert not [k.pid for k in kernels if k.is_running() and k.status() != psutil.STATUS_ZOMBIE]


# ---------------------------------------------------------------- in a browser

needs_browser = pytest.mark.skipif(not Path(CHROMIUM).exists() and os.environ.get("CI") != "true",
                                   reason="chromium not installed")


@pytest.fixture(scope="module")
def idle_server(project: Path):
    """A server with the cell timeout and the culler shortened."""
    port = free_port()
    proc, token, url = serve.start(project, port=port, cell_timeout=CELL_TIMEOUT, cull_interval=CULL_INTERVAL,
                                   cull_idle=CULL_IDLE)
    _wait_up(url, proc)
    state = {"proc": proc, "token": token, "url": url, "log": None}
    yield state
    if state["log"] is None:
        serve.stop(proc)


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        ctx = launch_browser(pw)
        yield ctx
        ctx.close()


def _render_all(browser, srv: dict, round_: int) -> None:
    for name in DASHBOARDS:
        page = browser.new_page()
        page.goto(f"{srv['url']}voila/render/{name}.ipynb?token={srv['token']}&lang=en", timeout=180_000)
        wait_rendered(page, 180_000)
        page.wait_for_timeout(300)
        html = page.content()
        page.screenshot(path=str(ARTIFACTS / f"after_idle_{round_}_{name}.png"), full_page=True)
        assert "timed out" not in html, name
        assert error_outputs(page) == [], name
        assert page.locator(".jupyter-widgets").count() > 0, name
        page.close()


@needs_browser
def test_every_dashboard_opens_after_idle_time_and_culling(idle_server: dict, browser) -> None:
    """Issue 15: with nobody visiting for longer than the cell timeout and a
    cull pass, every dashboard still renders; and again after the kernels the
    first visits used were culled and the pool refilled."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    time.sleep(IDLE)
    _render_all(browser, idle_server, 1)
    time.sleep(max(IDLE, CULL_IDLE + 2 * CULL_INTERVAL))  # the used kernels idle out; the refill waits past the timeout
    _render_all(browser, idle_server, 2)
    log = serve.stop(idle_server["proc"])
    idle_server["log"] = log
    assert re.search(r"Culling 'idle' kernel", log), log[-3000:]  # the culler did remove kernels meanwhile
    assert "timed out" not in log.lower(), log[-3000:]


@needs_browser
def test_token_not_in_any_page_and_logout_signs_out(project: Path, browser) -> None:
    port = free_port()
    proc, token, url = serve.start(project, port=port)
    log = ""
    try:
        _wait_up(url, proc)
        page = browser.new_page()
        outside: list[str] = []   # offline: no page, list or dashboard fetches anything from elsewhere
        page.on("request", lambda r: outside.append(r.url) if not r.url.startswith((url, "data:", "blob:")) else None)
        page.goto(f"{url}?token={token}", timeout=60_000)
        page.wait_for_load_state("networkidle")
        page.wait_for_selector("text=leadership", timeout=60_000)   # the list is drawn after the page loads
        assert token not in page.url and token not in page.content()
        listed = page.content()
        for name in DASHBOARDS:
            page.goto(f"{url}voila/render/{name}.ipynb?token={token}&lang=en", timeout=180_000)
            wait_rendered(page, 180_000)
            page.wait_for_timeout(300)
            assert token not in page.url, name
            assert token not in page.content(), name
        assert "leadership" in listed  # the list of dashboards did render
        assert not outside, outside
        resp = page.goto(f"{url}logout?lang=en", timeout=30_000)
        assert resp is not None and resp.status < 400
        assert page.url.startswith(f"{url}signed-out")
        assert "Signed out" in page.inner_text("body")
        assert not [c for c in browser.cookies(url) if c["name"] == f"username-127-0-0-1-{port}"]  # the login cookie
        resp = page.goto(f"{url}logout", timeout=30_000)  # zh by default, and logging out twice is fine
        assert resp is not None and resp.status < 400 and "已退出登录" in page.inner_text("body")
        page.goto(f"{url}voila/render/leadership.ipynb", timeout=30_000)
        assert "/login" in page.url  # signed out: the dashboard asks for the token again
        page.close()
        # a wrong token and the API with the token, straight from a client
        for path in ("voila/render/entry.ipynb?token=not-the-token", f"api/kernels?token={token}"):
            try:
                _opener().open(url + path, timeout=30).read()
            except urllib.error.HTTPError:
                pass
    finally:
        log = serve.stop(proc)
    assert token not in log
    assert "[secret]" in log  # the requests above were logged, scrubbed
    assert "Traceback" not in serving(log)


def test_server_log_and_processes_never_show_the_token(project: Path) -> None:
    """Without a browser: the token is in no process's command line and in no
    log line, for page, API, logout and wrong-token requests."""
    psutil = pytest.importorskip("psutil")
    proc, token, url = serve.start(project, port=free_port())
    try:
        _wait_up(url, proc)
        op = _opener()
        r = op.open(f"{url}?token={token}", timeout=30)
        body = r.read().decode()
        assert token not in r.url and token not in body
        assert "fullStaticUrl" in body  # the list page itself, not the sign-in page
        assert json.loads(re.search(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>',
                                    body, re.DOTALL).group(1))["query"] == ""
        r = op.open(f"{url}logout", timeout=30)
        assert r.status == 200 and r.url.endswith("/signed-out") and "已退出登录" in r.read().decode()
        try:
            op.open(f"{url}voila/render/entry.ipynb?token=wrong", timeout=30)
        except urllib.error.HTTPError:
            pass
        procs = [psutil.Process(proc.pid), *psutil.Process(proc.pid).children(recursive=True)]
        for p in procs:
            assert token not in _cmdline(p)
    finally:
        log = serve.stop(proc)
    assert token not in log
    assert "Traceback" not in serving(log) and "500 GET" not in log


def test_a_taken_port_is_said_in_words_and_nothing_is_left(project: Path) -> None:
    import socket

    psutil = pytest.importorskip("psutil")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
        proc = subprocess.Popen([sys.executable, "-m", "toolkit.cli", "serve", "--project", str(project), "--port",
                                 str(port), "--lang", "en"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True)
        seen: list = []
        reader = threading.Thread(target=lambda: seen.extend(iter(proc.stdout.readline, "")), daemon=True)
        reader.start()
        deadline = time.time() + 60
        while proc.poll() is None and time.time() < deadline:
            try:
                seen.extend(psutil.Process(proc.pid).children(recursive=True))
            except psutil.Error:
                pass
            time.sleep(0.2)
        code = proc.wait(timeout=60)
        reader.join(timeout=10)
    out = "".join(x for x in seen if isinstance(x, str))
    assert code != 0
    assert f"The dashboards did not start (port {port} may be taken" in out, out
    assert "Dashboards at:" not in out
    started = [p for p in seen if not isinstance(p, str)]
    assert not [p.pid for p in started if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]


def test_template_pages_link_nothing_outside(tmp_path: Path) -> None:
    """The dashboard list and error pages (base/page.html) linked Font Awesome
    from a CDN; the written template's pages link nothing outside the server."""
    import re

    root = serve.write_template(tmp_path)
    folder = root / "voila" / "templates" / serve.TEMPLATE
    names = sorted(p.name for p in folder.iterdir())
    assert {"index.html.j2", "page.html", "base_page.html"} <= set(names)
    for p in folder.iterdir():
        if p.suffix in (".html", ".j2"):
            assert not re.search(r"<link[^>]+https?://", p.read_text(encoding="utf-8")), p.name
    assert f"voila/templates/{serve.TEMPLATE}/base_page.html" in (folder / "page.html").read_text(encoding="utf-8")
