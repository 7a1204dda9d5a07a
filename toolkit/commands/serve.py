"""``fieldeval serve --project DIR [--port 8866] [--ip 127.0.0.1]``: the dashboards over Voilà.

Runs ``voila`` on the ``dashboards/`` folder (leadership, walkthrough, entry,
quality) with:

* a required token: ``$FIELDEVAL_TOKEN`` or a fresh random one, printed with
  the address to open (a request without it is refused: 403 or a redirect
  to the login page);
* source cells hidden (``--strip_sources``) and no tracebacks shown to users;
* every asset served by the server itself: the template ``fieldeval``
  (written at start-up into ``<project>/output/.voila``) is Voilà's ``lab``
  template without its two Font Awesome style sheets from a CDN (MathJax is
  already dropped by the lab template); the dashboards use no icon fonts;
* kernels preheated (``--preheat_kernel``, one per dashboard), idle kernels
  culled (Voilà does not shut a kernel down when its tab closes, voila#1458)
  and a per-cell timeout.

The project directory reaches the notebooks as ``$FIELDEVAL_PROJECT``.
"""
from __future__ import annotations

import argparse
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

from toolkit.errors import UserError
from toolkit.i18n import t

DASHBOARDS = Path(__file__).resolve().parents[2] / "dashboards"
ENV_TOKEN = "FIELDEVAL_TOKEN"
TEMPLATE = "fieldeval"
CULL_INTERVAL = 60         # seconds between checks for idle kernels
CULL_IDLE_TIMEOUT = 900    # a kernel idle this long (tab closed or left) is shut down
CELL_TIMEOUT = 120         # seconds a dashboard cell may run
POOL_SIZE = 1              # preheated kernels per dashboard


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
    text = re.sub(r"^.*<link[^>]+https?://[^>]+>.*$\n?", "", text, flags=re.M)
    text += ("\n{# fieldeval: no mermaid.js from a CDN (dashboards draw no diagrams) #}\n"
             "{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}\n")
    if re.search(r"https?://cdn", text):
        raise UserError("widgets.serve_cdn_left", path=str(src))
    out = dest / "voila" / "templates" / TEMPLATE
    out.mkdir(parents=True, exist_ok=True)
    (out / "index.html.j2").write_text(text, encoding="utf-8")
    (out / "conf.json").write_text('{"base_template": "lab"}\n', encoding="utf-8")
    return dest


def voila_argv(project: Path, port: int, ip: str, token: str, *, pool: int = POOL_SIZE,
               cull_idle: int = CULL_IDLE_TIMEOUT, cull_interval: int = CULL_INTERVAL,
               cell_timeout: int = CELL_TIMEOUT) -> list[str]:
    """The ``voila`` command line (module doc)."""
    return [sys.executable, "-m", "voila", str(DASHBOARDS), "--no-browser",
            f"--port={port}", f"--Voila.ip={ip}", f"--token={token}",
            f"--template={TEMPLATE}", "--strip_sources=True", "--show_tracebacks=False",
            "--preheat_kernel=True", f"--pool_size={pool}",
            f"--MappingKernelManager.cull_interval={cull_interval}",
            f"--MappingKernelManager.cull_idle_timeout={cull_idle}",
            "--MappingKernelManager.cull_connected=False",
            f"--VoilaExecutor.timeout={cell_timeout}",
            ]


def environment(project: Path, jupyter_path: Path) -> dict[str, str]:
    """The server's environment: the project, the template path, no network for kernels' matplotlib cache."""
    env = dict(os.environ)
    env["FIELDEVAL_PROJECT"] = str(project)
    env["JUPYTER_PATH"] = os.pathsep.join([str(jupyter_path), *filter(None, [env.get("JUPYTER_PATH")])])
    env.setdefault("MPLBACKEND", "agg")
    env.setdefault("MPLCONFIGDIR", str(project / "output" / ".voila" / "mpl"))
    return env


def warm(root: Path) -> None:
    """Compute the dashboards' results once before the kernels start (cached on disk)."""
    try:
        from toolkit.widgets.data import load_results

        load_results(root)
    except UserError:
        pass  # no visits yet: the entry dashboard still works, the others say why


def start(project: str | Path, port: int = 8866, ip: str = "127.0.0.1", token: str | None = None,
          **kw: int) -> tuple[subprocess.Popen, str, str]:
    """Start the server in the background; returns (process, token, url).
    For tests and the benchmark; ``fieldeval serve`` runs it in the foreground."""
    root = Path(project).resolve()
    if not (root / "evaluation.toml").exists():
        raise UserError("config.not_found", path=str(root / "evaluation.toml"))
    token = token or os.environ.get(ENV_TOKEN) or secrets.token_urlsafe(24)
    jp = write_template(root / "output" / ".voila")
    warm(root)
    proc = subprocess.Popen(voila_argv(root, port, ip, token, **kw), env=environment(root, jp),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return proc, token, f"http://{ip}:{port}/"


def _serve(args: argparse.Namespace) -> int:
    root = Path(args.project).resolve()
    if not (root / "evaluation.toml").exists():
        raise UserError("config.not_found", path=str(root / "evaluation.toml"))
    token = os.environ.get(ENV_TOKEN) or secrets.token_urlsafe(24)
    jp = write_template(root / "output" / ".voila")
    warm(root)
    url = f"http://{args.ip}:{args.port}/?token={token}"
    print(t("widgets.serve_open", args.lang, url=url))
    for name in ("leadership", "walkthrough", "entry", "quality"):
        print(f"  {name}: http://{args.ip}:{args.port}/voila/render/{name}.ipynb?token={token}")
    try:
        return subprocess.call(voila_argv(root, args.port, args.ip, token), env=environment(root, jp))
    except KeyboardInterrupt:
        return 130


def register(sub: argparse._SubParsersAction) -> None:
    """``fieldeval serve --project DIR [--port 8866] [--ip 127.0.0.1] [--lang zh|en]``."""
    from toolkit.cli import add_lang

    p = sub.add_parser("serve", help="用 Voilà 提供看板（需令牌） / serve the dashboards with Voilà (token required)")
    p.add_argument("--project", required=True, help="评估项目目录 / project directory")
    p.add_argument("--port", type=int, default=8866, help="端口 / port (default 8866)")
    p.add_argument("--ip", default="127.0.0.1", help="监听地址 / address to listen on (default 127.0.0.1)")
    add_lang(p)
    p.set_defaults(func=_serve)
