"""``fieldeval serve --project DIR [--port 8866] [--ip 127.0.0.1]``: the dashboards over Voilà.

Runs Voilà (through :mod:`toolkit.commands.serve_voila`, which sets what a
command line cannot) on the dashboard notebooks (``toolkit/dashboards/``, package data) (leadership, walkthrough,
entry, quality, progress) with:

* a required token: ``$FIELDEVAL_TOKEN`` or a fresh random one, handed to
  Voilà in a file readable by the owner only (``output/.voila/token``, 0600,
  removed at exit) and never on a command line or in an environment Voilà
  passes on; a request without it is refused (403 or the sign-in page);
* what is printed: the address and the token file's path; on a terminal also
  one sign-in link carrying the token (a terminal is the user's own screen,
  while redirected output ends up in log files and service journals, where the
  audit of issue 14 found the token 51 times). The first request with the
  token gets the login cookie and is redirected to the same page without it;
  ``/logout`` signs the browser out;
* source cells hidden (``--strip_sources``) and no tracebacks shown to users;
* every asset served by the server itself: the template ``fieldeval``
  (written at start-up into ``<project>/output/.voila``) is Voilà's ``lab``
  template without its two Font Awesome style sheets from a CDN (MathJax is
  already dropped by the lab template); the dashboards use no icon fonts;
* ready means ready: the addresses are printed once Voilà listens *and* every
  dashboard's preheated kernel has run its imports and read the project's
  results (each signs in with a file in ``output/.voila/ready-<id>/`` from the
  cell that waits for the visitor, toolkit.widgets.dashboard.mark_preheated),
  so the first visitor gets a page in about a second instead of waiting for
  four kernels still importing on a busy machine (issue 15);
* a used preheated kernel replaced ``FILL_DELAY`` seconds after its visitor
  came, not 1 s (Voilà's default): the replacement's start no longer competes
  with the visitor's page for the cores (a second visitor within those seconds
  waits for the replacement, as one within a second did before);
* kernels preheated (``--preheat_kernel``, one per dashboard), idle kernels
  culled (Voilà does not shut a kernel down when its tab closes, voila#1458)
  and a per-cell timeout that spares the cell waiting for the visitor;
* one owner for every process: Voilà runs in its own session; SIGTERM, SIGINT
  (Ctrl-C) and SIGHUP to ``fieldeval serve`` are passed on as SIGTERM (Voilà
  shuts its kernels down), and whatever is still running afterwards (Voilà's
  descendants recorded before the stop, and any process carrying this
  server's ``$FIELDEVAL_SERVE_ID``, e.g. a kernel whose Voilà died) is
  terminated, then killed.

The project directory reaches the notebooks as ``$FIELDEVAL_PROJECT``.
"""
from __future__ import annotations

import argparse
import os
import re
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

from toolkit.errors import UserError
from toolkit.i18n import t

DASHBOARDS = Path(__file__).resolve().parents[1] / "dashboards"   # package data (toolkit/dashboards)
APPS = {"leadership": "widgets.lead.title", "walkthrough": "widgets.walk.title",
        "entry": "widgets.entry.title", "quality": "widgets.qual.title", "progress": "progress.title"}
ENV_TOKEN = "FIELDEVAL_TOKEN"
ENV_MARK = "FIELDEVAL_SERVE_ID"   # carried by Voilà and every kernel it starts
SECRET_ENV = (ENV_TOKEN, "JUPYTER_TOKEN", "JUPYTER_TOKEN_FILE")  # never passed to Voilà or kernels
TEMPLATE = "fieldeval"
CULL_INTERVAL = 60         # seconds between checks for idle kernels
CULL_IDLE_TIMEOUT = 900    # a kernel idle this long (tab closed or left) is shut down
CELL_TIMEOUT = 120         # seconds a dashboard cell may run (the cell waiting for the visitor excepted)
POOL_SIZE = 1              # preheated kernels per dashboard
FILL_DELAY = 6             # seconds after a visitor took the preheated kernel before its replacement starts
STOP_GRACE = 20            # seconds Voilà gets to shut its kernels down before it is killed
READY_WAIT = 120           # seconds fieldeval serve waits for the port before printing anyway
PREHEAT_WAIT = 60          # … and then for the preheated kernels (a slow or broken one is not waited for longer)


def write_template(dest: Path) -> Path:
    """Write the ``fieldeval`` Voilà template under ``dest`` (a JUPYTER_PATH
    entry): Voilà's lab template with every CDN ``<link>`` removed. Returns
    the JUPYTER_PATH directory."""
    import voila

    share = Path(sys.prefix) / "share" / "jupyter" / "voila" / "templates" / "lab"
    src = share / "index.html.j2"
    if not src.exists():  # pragma: no cover - unusual install layouts
        src = Path(voila.__file__).resolve().parent.parent.parent.parent.parent / "share" / "jupyter" / \
            "voila" / "templates" / "lab" / "index.html.j2"
    text = src.read_text(encoding="utf-8")
    text = re.sub(r"^.*<link[^>]+https?://[^>]+>.*$\n?", "", text, flags=re.MULTILINE)
    text += ("\n{# fieldeval: no mermaid.js from a CDN (dashboards draw no diagrams) #}\n"
             "{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}\n")
    if re.search(r"https?://cdn", text):
        raise UserError("widgets.serve_cdn_left", path=str(src))
    out = dest / "voila" / "templates" / TEMPLATE
    out.mkdir(parents=True, exist_ok=True)
    (out / "index.html.j2").write_text(text, encoding="utf-8")
    # The dashboard list ("/") and error pages extend base/page.html, which links
    # Font Awesome from a CDN: our page.html extends a copy without the link.
    base = src.parent.parent / "base" / "page.html"
    lab_page = src.parent / "page.html"
    if base.exists() and lab_page.exists():
        page = re.sub(r"^.*<link[^>]+https?://[^>]+>.*$\n?", "", base.read_text(encoding="utf-8"), flags=re.MULTILINE)
        if re.search(r"https?://cdn", page):
            raise UserError("widgets.serve_cdn_left", path=str(base))
        (out / "base_page.html").write_text(page, encoding="utf-8")
        (out / "page.html").write_text(lab_page.read_text(encoding="utf-8").replace(
            "voila/templates/base/page.html", f"voila/templates/{TEMPLATE}/base_page.html"), encoding="utf-8")
    (out / "conf.json").write_text('{"base_template": "lab"}\n', encoding="utf-8")
    from toolkit.widgets.served_grid import copy_assets

    copy_assets(out / "static")   # the grid's bundle, fetched once per page (toolkit.widgets.served_grid)
    return dest


def write_token(folder: Path, token: str) -> Path:
    """Write ``token`` to ``folder/token``, mode 0600 from creation, atomically
    (temporary name, then rename). Returns the file's path."""
    from toolkit.vault import write_private

    folder.mkdir(parents=True, exist_ok=True)
    return write_private(folder / "token", token.encode("utf-8"))


def voila_argv(port: int, ip: str, *, pool: int = POOL_SIZE, cull_idle: int = CULL_IDLE_TIMEOUT,
               cull_interval: int = CULL_INTERVAL, cell_timeout: int = CELL_TIMEOUT,
               notebooks: Path = DASHBOARDS) -> list[str]:
    """The Voilà command line (module doc); it carries no secret. ``notebooks``
    (default: the dashboards) lets the benchmark serve its bare comparison page the same way."""
    return [sys.executable, "-m", "toolkit.commands.serve_voila", str(notebooks), "--no-browser",
            f"--port={port}", f"--Voila.ip={ip}", "--Voila.port_retries=0",
            f"--template={TEMPLATE}", "--strip_sources=True", "--show_tracebacks=False",
            "--preheat_kernel=True", f"--pool_size={pool}",
            # the replacement kernel's start (imports, reading the results: seconds of CPU) waits
            # until the visitor's page has rendered, instead of competing with it 1 s after the
            # request (Voilà's default) on a small machine (issue 15: first render)
            f"--VoilaKernelManager.fill_delay={FILL_DELAY}",
            f"--MappingKernelManager.cull_interval={cull_interval}",
            f"--MappingKernelManager.cull_idle_timeout={cull_idle}",
            "--MappingKernelManager.cull_connected=False",
            f"--VoilaExecutor.timeout={cell_timeout}",
            # a cell's outputs may still be arriving after its reply (the entry form's hundreds of
            # widget messages on busy cores); past iopub_timeout (default 4 s) nbclient drops them
            # and the page stays blank, so they get as long as the cell itself
            f"--VoilaExecutor.iopub_timeout={cell_timeout}",
            ]


def environment(project: Path, jupyter_path: Path, token_file: Path, mark: str,
                ready: Path | None = None) -> dict[str, str]:
    """Voilà's environment (inherited by its kernels): the project, the template
    path, the token file's path (not the token), this server's mark, the folder
    where preheated kernels sign in, matplotlib without network or home-directory cache."""
    from toolkit.commands.serve_voila import ENV_TOKEN_FILE
    from toolkit.widgets.dashboard import ENV_READY

    env = {k: v for k, v in os.environ.items() if k not in SECRET_ENV}
    env["FIELDEVAL_PROJECT"] = str(project)
    env["JUPYTER_PATH"] = os.pathsep.join([str(jupyter_path), *filter(None, [env.get("JUPYTER_PATH")])])
    env[ENV_TOKEN_FILE] = str(token_file)
    env[ENV_MARK] = mark
    if ready is not None:
        env[ENV_READY] = str(ready)
    env.setdefault("MPLBACKEND", "agg")
    env.setdefault("MPLCONFIGDIR", str(project / "output" / ".voila" / "mpl"))
    return env


def warm(root: Path) -> None:
    """Bring the project's stored results up to date before the kernels start
    (toolkit.project: verified again only when an input changed), so every
    kernel only reads them."""
    try:
        from toolkit.widgets.data import load_results

        load_results(root, refresh=True)   # verify again first when an input changed
    except UserError:
        pass  # no visits yet: the entry dashboard still works, the others say why


class VoilaProcess(subprocess.Popen):
    """The Voilà process, with what :func:`stop` needs: this server's mark and token file."""

    mark: str = ""
    token_file: Path | None = None
    ready_dir: Path | None = None


def launch(project: str | Path, port: int, ip: str, token: str | None, *, capture: bool,
           **kw: object) -> tuple[VoilaProcess, str]:
    """Write the template and the token file, warm the results, start Voilà in
    its own session. Returns (process, token)."""
    root = Path(project).resolve()
    if not (root / "evaluation.toml").exists():
        raise UserError("config.not_found", path=str(root / "evaluation.toml"))
    token = token or os.environ.get(ENV_TOKEN) or secrets.token_urlsafe(24)
    area = root / "output" / ".voila"
    jp = write_template(area)
    token_file = write_token(area, token)
    warm(root)
    mark = secrets.token_hex(8)
    ready = area / f"ready-{mark}"
    ready.mkdir(mode=0o700)
    out = {"stdout": subprocess.PIPE, "stderr": subprocess.STDOUT, "text": True} if capture else {}
    proc = VoilaProcess(voila_argv(port, ip, **kw), env=environment(root, jp, token_file, mark, ready),
                        start_new_session=True, **out)
    proc.mark, proc.token_file, proc.ready_dir = mark, token_file, ready
    return proc, token


def start(project: str | Path, port: int = 8866, ip: str = "127.0.0.1", token: str | None = None,
          **kw: object) -> tuple[VoilaProcess, str, str]:
    """Start the server in the background, output captured; returns (process,
    token, url). For tests and the benchmark (``fieldeval serve`` runs it in
    the foreground); end it with :func:`stop` (``process.terminate()`` also
    lets Voilà shut its kernels down)."""
    proc, token = launch(project, port, ip, token, capture=True, **kw)
    return proc, token, f"http://{ip}:{port}/"


def _marked(mark: str) -> list:
    """This user's processes whose environment carries ``FIELDEVAL_SERVE_ID=mark``."""
    import psutil

    found = []
    for p in psutil.process_iter(["uids"]):
        try:
            if p.info["uids"] and p.info["uids"].real == os.getuid() and p.pid != os.getpid() \
                    and p.environ().get(ENV_MARK) == mark:
                found.append(p)
        except (psutil.Error, OSError):
            continue
    return found


def stop(proc: VoilaProcess, grace: float = STOP_GRACE) -> str:
    """Stop Voilà and everything it started (module doc); returns Voilà's
    captured output ('' when it went to the terminal)."""
    import psutil

    try:
        recorded = psutil.Process(proc.pid).children(recursive=True)
    except psutil.Error:
        recorded = []
    out = ""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
    try:
        out = proc.communicate(timeout=grace)[0] or ""
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except OSError:
            proc.kill()
        out = proc.communicate()[0] or ""
    left = {p.pid: p for p in recorded + (_marked(proc.mark) if proc.mark else [])}
    alive = [p for p in left.values() if p.is_running()]
    for p in alive:
        try:
            p.terminate()
        except psutil.Error:
            pass
    _, alive = psutil.wait_procs(alive, timeout=5)
    for p in alive:
        try:
            p.kill()
        except psutil.Error:
            pass
    psutil.wait_procs(alive, timeout=5)
    if proc.token_file is not None:
        proc.token_file.unlink(missing_ok=True)
    if proc.ready_dir is not None:
        import shutil

        shutil.rmtree(proc.ready_dir, ignore_errors=True)
    return out


def listening(pid: int, port: int) -> bool:
    """Whether process ``pid`` itself listens on TCP ``port`` (another program
    holding the port does not count)."""
    import psutil

    try:
        p = psutil.Process(pid)
        conns = p.net_connections(kind="tcp") if hasattr(p, "net_connections") else p.connections(kind="tcp")
    except psutil.Error:
        return False
    return any(c.status == psutil.CONN_LISTEN and c.laddr and c.laddr.port == port for c in conns)


def preheated(proc: VoilaProcess) -> int:
    """How many preheated kernels have reached the cell that waits for a visitor (module doc)."""
    d = proc.ready_dir
    try:
        return sum(1 for _ in d.iterdir()) if d is not None else 0
    except OSError:
        return 0


def dashboards_count() -> int:
    """The number of dashboard notebooks Voilà serves (each gets a preheated kernel)."""
    return len(list(DASHBOARDS.glob("*.ipynb")))


def wait_ready(proc: subprocess.Popen, port: int, timeout: float = READY_WAIT, *, kernels: int | None = None) -> bool:
    """Until Voilà listens on ``port`` and ``kernels`` preheated kernels (default:
    one per dashboard) have signed in (True), Voilà exits (False) or the time is up:
    ``timeout`` for listening, then at most PREHEAT_WAIT for the kernels (True when it
    listens: a dashboard whose kernel failed still says why on its page)."""
    deadline = time.monotonic() + timeout
    up = False
    want = dashboards_count() * POOL_SIZE if kernels is None else kernels
    while time.monotonic() < deadline and proc.poll() is None:
        if not up and listening(proc.pid, port):
            up, deadline = True, min(deadline, time.monotonic() + PREHEAT_WAIT)
        if up and (getattr(proc, "ready_dir", None) is None or preheated(proc) >= want):
            return True
        time.sleep(0.2)
    return up and proc.poll() is None


class _Stop(BaseException):
    """A stop signal arrived (BaseException, like KeyboardInterrupt: nothing swallows it)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _raise_stop(signum: int, frame: object) -> None:
    raise _Stop(signum)


def _print_addresses(args: argparse.Namespace, token: str, token_file: Path) -> None:
    base = f"http://{args.ip}:{args.port}/"
    if sys.stdout.isatty():
        print(t("widgets.serve_open", args.lang, url=f"{base}?token={token}"))
    print(t("widgets.serve_address", args.lang, url=base))
    print(t("widgets.serve_token_file", args.lang, path=str(token_file)))
    for name, key in APPS.items():
        print(f"  {t(key, args.lang)}: {base}voila/render/{name}.ipynb")
    print(t("widgets.serve_how_to_stop", args.lang), flush=True)


def wait_interruptibly(proc: subprocess.Popen, step: float = 0.5) -> int:
    """``proc.wait()`` in steps of ``step`` seconds, so a stop signal is acted on
    within a step. A plain ``wait()`` blocks the main thread in ``waitpid``; when
    the kernel hands the signal to another thread (the process has polars' and
    Arrow's thread pools by then), Python's handler only runs once the main
    thread runs Python again, i.e. never: Ctrl-C was ignored and the test that
    sends SIGINT timed out."""
    while True:
        try:
            return proc.wait(timeout=step)
        except subprocess.TimeoutExpired:
            continue


def run_until_stopped(start, on_up, *, port: int, lang: str, not_started: str, stopped: str,
                      kernels: int | None = None, cleanup=None) -> int:  # noqa: ANN001 - callables
    """Start a server (``start()`` → the process), wait until it answers on
    ``port``, call ``on_up(proc)`` (print the addresses), then wait until it
    ends or SIGINT/SIGTERM/SIGHUP arrives; in every case stop it and every
    kernel it started (:func:`stop`), call ``cleanup()``, restore the signal
    handlers. Exit code: the server's, 130 for Ctrl-C, 0 for SIGTERM/SIGHUP, the
    server's (or 1) when it ended before answering (``not_started`` printed).
    Shared by ``fieldeval serve`` and ``fieldeval lab``."""
    stops = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
    previous = {s: signal.getsignal(s) for s in stops}
    proc = None
    code, up = 0, False
    try:
        for s in stops:
            signal.signal(s, _raise_stop)
        proc = start()
        if wait_ready(proc, port, kernels=kernels) or proc.poll() is None:
            up = True      # before on_up: a stop that arrives while the addresses print still says "stopped"
            on_up(proc)
            code = wait_interruptibly(proc)
        else:  # the server ended before answering (its log above says why: most often the port is taken)
            print(t(not_started, lang, port=port), file=sys.stderr, flush=True)
            code = proc.returncode or 1
    except _Stop as e:
        code = 130 if e.signum == signal.SIGINT else 0
    finally:
        for s in stops:
            signal.signal(s, signal.SIG_IGN)  # a second Ctrl-C must not cut the clean-up short
        try:
            if proc is not None:
                stop(proc)
                if cleanup is not None:
                    cleanup()
                if up:
                    print(t(stopped, lang), file=sys.stderr, flush=True)
        finally:
            for s, h in previous.items():
                signal.signal(s, h)
    return code


def _serve(args: argparse.Namespace) -> int:
    tokens: dict[str, str] = {}

    def start() -> VoilaProcess:
        proc, tokens["token"] = launch(args.project, args.port, args.ip, None, capture=False)
        return proc

    return run_until_stopped(start, lambda proc: _print_addresses(args, tokens["token"], proc.token_file),
                             port=args.port, lang=args.lang, not_started="widgets.serve_not_started",
                             stopped="widgets.serve_stopped")


def register(sub: argparse._SubParsersAction) -> None:
    """``fieldeval serve --project DIR [--port 8866] [--ip 127.0.0.1] [--lang zh|en]``."""
    from toolkit.cli import add_lang

    p = sub.add_parser("serve", help="用 Voilà 提供看板（需令牌） / serve the dashboards with Voilà (token required)")
    p.add_argument("--project", required=True, help="评估项目目录 / project directory")
    p.add_argument("--port", type=int, default=8866, help="端口 / port (default 8866)")
    p.add_argument("--ip", default="127.0.0.1", help="监听地址 / address to listen on (default 127.0.0.1)")
    add_lang(p)
    p.set_defaults(func=_serve)
