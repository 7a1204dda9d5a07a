"""``fieldeval hub start --project DIR [--ip 127.0.0.1] [--port 8000]``: run the
project's JupyterHub (issue 20).

The project's results are brought up to date first (verified again when an
input changed, as ``fieldeval serve`` does), so the users' kernels only read
them. JupyterHub runs in its own session with the configuration ``fieldeval hub
init`` wrote, in the private hub folder; the hub listens on ``port``, its
internal API on ``port + 1`` and the proxy's API on ``port + 2`` (all on
127.0.0.1 but the public address), so two hubs can run side by side. Every
process it starts (the proxy, the idle culler, each user's server and its
kernels) carries ``$FIELDEVAL_SERVE_ID``; on SIGTERM, SIGINT (Ctrl-C) or
SIGHUP the hub gets SIGTERM (it stops the users' servers and the proxy),
then whatever is still running with that mark is terminated, then killed
(toolkit.commands.serve.stop). Its log goes to ``logs/jupyterhub.log`` in
the hub folder (and to the terminal with ``--verbose``).
"""
from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

from toolkit.commands.serve import ENV_MARK, VoilaProcess
from toolkit.errors import UserError
from toolkit.hub.setup import CONFIG, find_proxy, hub_dir

START_WAIT = 90   # seconds for the hub to answer


def command(project: str | Path, ip: str = "127.0.0.1", port: int = 8000) -> list[str]:
    """JupyterHub's command line (no secret on it)."""
    cfg = hub_dir(project) / CONFIG
    return [sys.executable, "-m", "jupyterhub", "-f", str(cfg), f"--ip={ip}", f"--port={port}",
            "--JupyterHub.hub_ip=127.0.0.1", f"--JupyterHub.hub_port={port + 1}",
            f"--ConfigurableHTTPProxy.api_url=http://127.0.0.1:{port + 2}"]


def launch(project: str | Path, ip: str = "127.0.0.1", port: int = 8000, *, capture: bool = True) -> VoilaProcess:
    """Start the hub in its own session (module doc); returns the process
    (``.mark`` set, for :func:`toolkit.commands.serve.stop`)."""
    root = Path(project).resolve()
    d = hub_dir(root)
    if not (d / CONFIG).exists():
        raise UserError("hub.not_initialised", path=str(d / CONFIG), project=str(root))
    try:
        import jupyterhub  # noqa: F401
        import nativeauthenticator  # noqa: F401
    except ImportError as e:
        raise UserError("hub.no_jupyterhub") from e
    proxy = find_proxy()
    if proxy is None:
        raise UserError("hub.no_proxy")
    from toolkit.commands.serve import warm

    warm(root)   # results verified once here, not by twenty users' first kernels at the same moment
    mark = secrets.token_hex(8)
    env = {k: v for k, v in os.environ.items() if k not in ("JUPYTERHUB_API_TOKEN", "FIELDEVAL_TOKEN")}
    env[ENV_MARK] = mark
    env["FIELDEVAL_CHP"] = proxy
    repo = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = os.pathsep.join([repo, *filter(None, [env.get("PYTHONPATH")])])
    (d / "logs").mkdir(exist_ok=True, mode=0o700)
    log = open(d / "logs" / "jupyterhub.log", "ab")  # noqa: SIM115 - handed to the child
    out = {"stdout": log, "stderr": subprocess.STDOUT} if capture else {}
    try:
        proc = VoilaProcess(command(root, ip, port), cwd=str(d), env=env, start_new_session=True, **out)
    finally:
        log.close()
    proc.mark = mark
    return proc


def wait_up(proc: subprocess.Popen, ip: str, port: int, timeout: float = START_WAIT) -> bool:
    """Until the hub answers on ``ip:port`` (True) or exits or the time is up (False)."""
    import urllib.error
    import urllib.request

    host = "127.0.0.1" if ip in ("0.0.0.0", "") else ip
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with socket.create_connection((host, port), timeout=1):
                pass
            with urllib.request.urlopen(f"http://{host}:{port}/hub/api/", timeout=5) as r:  # noqa: S310
                if r.status == 200:
                    return True
        except (OSError, urllib.error.URLError):
            pass
        time.sleep(0.3)
    return False


def stop(proc: VoilaProcess, grace: float = 30) -> None:
    """Stop the hub and everything it started (module doc)."""
    from toolkit.commands.serve import stop as stop_tree

    stop_tree(proc, grace=grace)
