"""``fieldeval lab --project DIR [--port 8888] [--lang en] [--no-browser] [--reset]``: JupyterLab on the
project's notebooks.

Copies the notebooks into ``DIR/notebooks/`` for the project (an evaluator's
edited copy is kept and reported; ``--reset`` renames it aside and writes the
shipped version), writes the lab's settings under ``DIR/output/.lab`` (Chinese
interface by default) and runs JupyterLab on 127.0.0.1 with a token, as
``fieldeval serve`` does (toolkit.lab). Printed: the address and the token
file; on a terminal also one sign-in link with the token, and the browser is
opened on it unless ``--no-browser``. SIGTERM, SIGINT (Ctrl-C) and SIGHUP stop
JupyterLab and every kernel it started (toolkit.commands.serve.stop).
"""
from __future__ import annotations

import argparse
import shutil
import sys

from toolkit.i18n import t


def _print(args: argparse.Namespace, prepared, token: str, token_file) -> str:  # noqa: ANN001
    base = f"http://{args.ip}:{args.port}/"
    link = f"{base}lab/tree/notebooks?token={token}"
    lang = args.lang
    if prepared.written:
        print(t("lab.written", lang, n=len(prepared.written), path=prepared.directory))
    if prepared.kept:
        print(t("lab.kept", lang, names="、".join(prepared.kept) if lang == "zh" else ", ".join(prepared.kept)))
    for p in prepared.moved:
        print(t("lab.moved", lang, path=p))
    if sys.stdout.isatty():
        print(t("lab.open", lang, url=link))
    print(t("lab.address", lang, url=base))
    print(t("lab.token_file", lang, path=str(token_file)))
    print(t("lab.how_to_stop", lang), flush=True)
    return link


def _lab(args: argparse.Namespace) -> int:
    from toolkit import lab
    from toolkit.commands.serve import run_until_stopped

    launched: dict[str, object] = {}

    def start():  # noqa: ANN202 - the lab's process
        proc, launched["token"], launched["prepared"] = lab.launch(args.project, args.port, args.ip, None,
                                                                   lang=args.lang, reset=args.reset)
        return proc

    def on_up(proc) -> None:  # noqa: ANN001
        link = _print(args, launched["prepared"], launched["token"], proc.token_file)
        if not args.no_browser:
            import webbrowser

            webbrowser.open(link)

    def cleanup() -> None:
        shutil.rmtree(lab.Area(lab.project_root(args.project) / lab.AREA).runtime, ignore_errors=True)

    return run_until_stopped(start, on_up, port=args.port, lang=args.lang, kernels=0, cleanup=cleanup,
                             not_started="lab.not_started", stopped="lab.stopped")


def register(sub: argparse._SubParsersAction) -> None:
    """``fieldeval lab``."""
    from toolkit.cli import add_lang
    from toolkit.lab import DEFAULT_PORT

    p = sub.add_parser("lab", help=t("lab.help", "zh") + " / " + t("lab.help", "en"))
    p.add_argument("--project", required=True, help="评估项目目录 / project directory")
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"端口 / port (default {DEFAULT_PORT})")
    p.add_argument("--ip", default="127.0.0.1", help="监听地址 / address to listen on (default 127.0.0.1)")
    p.add_argument("--no-browser", action="store_true", help="不打开浏览器 / do not open a browser")
    p.add_argument("--reset", action="store_true",
                   help="用新版本替换修改过的笔记本（原文件改名保留）/ replace edited notebooks (yours are renamed and kept)")
    add_lang(p)
    p.set_defaults(func=_lab)
