"""``fieldeval hub init | start | user``: a team deployment behind JupyterHub
(issue 20; toolkit.hub, docs/deploy.md)."""
from __future__ import annotations

import argparse
import signal
import sys

from toolkit.i18n import t


def _init(args: argparse.Namespace) -> int:
    from toolkit.hub.setup import hub_dir, init

    cfg = init(args.project, force=args.force, mem_limit=args.mem_limit, idle_timeout=args.idle_timeout,
               database_url=args.database_url)
    print(t("hub.init_done", args.lang, config=str(cfg), private=str(hub_dir(args.project))))
    print(t("hub.init_next", args.lang, project=args.project))
    return 0


def _start(args: argparse.Namespace) -> int:
    from toolkit.commands.serve import _raise_stop, _Stop
    from toolkit.hub import run
    from toolkit.hub.setup import hub_dir

    stops = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
    previous = {s: signal.getsignal(s) for s in stops}
    proc, code, up = None, 0, False
    try:
        for s in stops:
            signal.signal(s, _raise_stop)
        proc = run.launch(args.project, args.ip, args.port, capture=not args.verbose)
        if run.wait_up(proc, args.ip, args.port):
            up = True
            print(t("hub.started", args.lang, url=f"http://{args.ip}:{args.port}/"), flush=True)
            code = proc.wait()
        else:
            print(t("hub.not_started", args.lang, port=args.port,
                    log=str(hub_dir(args.project) / "logs" / "jupyterhub.log")), file=sys.stderr, flush=True)
            code = 1
    except _Stop as e:
        code = 130 if e.signum == signal.SIGINT else 0
    finally:
        for s in stops:
            signal.signal(s, signal.SIG_IGN)
        try:
            if proc is not None:
                run.stop(proc)
                if up:
                    print(t("hub.stopped", args.lang), file=sys.stderr, flush=True)
        finally:
            for s, h in previous.items():
                signal.signal(s, h)
    return code


def _read_password() -> str | None:
    """The first line of standard input when it is not a terminal (None: generate one)."""
    if sys.stdin is None or sys.stdin.isatty():
        return None
    line = sys.stdin.readline().rstrip("\r\n")
    return line or None


def _user_add(args: argparse.Namespace) -> int:
    from toolkit.hub import users
    from toolkit.hub.roles import role_word

    given = None if args.generate else _read_password()
    pw = users.add(args.project, args.name, args.role, given)
    print(t("hub.user_added", args.lang, name=args.name, role=role_word(args.role, args.lang)))
    if given is None:
        print(t("hub.password_once", args.lang, password=pw), flush=True)
    return 0


def _user_list(args: argparse.Namespace) -> int:
    from toolkit.hub import users
    from toolkit.hub.roles import role_word

    rows = users.accounts(args.project)
    if not rows:
        print(t("hub.no_users", args.lang))
        return 0
    print(t("hub.user_list_head", args.lang))
    for a in rows:
        print(f"{a.name}\t{role_word(a.role, args.lang)}\t{t('hub.yes' if a.authorised else 'hub.no', args.lang)}")
    return 0


def _user_remove(args: argparse.Namespace) -> int:
    from toolkit.hub import users

    users.remove(args.project, args.name)
    print(t("hub.user_removed", args.lang, name=args.name))
    return 0


def _user_role(args: argparse.Namespace) -> int:
    from toolkit.hub import users
    from toolkit.hub.roles import role_word

    users.set_role(args.project, args.name, args.role)
    print(t("hub.user_role", args.lang, name=args.name, role=role_word(args.role, args.lang)))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """``fieldeval hub init | start | user add | list | remove | role``."""
    from toolkit.cli import add_lang
    from toolkit.hub.roles import ROLES

    hub = sub.add_parser("hub", help="团队部署：JupyterHub 登录与角色 / team deployment: JupyterHub logins and roles")
    verbs = hub.add_subparsers(dest="hub_verb", metavar="VERB")

    p = verbs.add_parser("init", help="写入 JupyterHub 配置 / write the JupyterHub configuration")
    p.add_argument("--project", required=True, help="评估项目目录 / project directory")
    p.add_argument("--force", action="store_true", help="重写配置（保留密钥和账户） / write again (secret, accounts kept)")
    p.add_argument("--mem-limit", default="1G", help="每位用户的内存上限 / memory limit per user (default 1G)")
    p.add_argument("--idle-timeout", type=int, default=3600, help="空闲多少秒后停止 / idle seconds before a server stops")
    p.add_argument("--database-url", default=None, help="PostgreSQL 存储地址 / the store's PostgreSQL URL")
    add_lang(p)
    p.set_defaults(func=_init)

    p = verbs.add_parser("start", help="启动 JupyterHub / start JupyterHub")
    p.add_argument("--project", required=True, help="评估项目目录 / project directory")
    p.add_argument("--ip", default="127.0.0.1", help="监听地址 / address (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="端口 / port (default 8000; +1, +2 used inside)")
    p.add_argument("--verbose", action="store_true", help="日志输出到终端 / log to the terminal")
    add_lang(p)
    p.set_defaults(func=_start)

    user = verbs.add_parser("user", help="账户与角色 / accounts and roles")
    uv = user.add_subparsers(dest="user_verb", metavar="VERB")
    p = uv.add_parser("add", help="创建账户（密码从标准输入读取或自动生成） / create an account")
    p.add_argument("name")
    p.add_argument("--role", required=True, choices=ROLES)
    p.add_argument("--project", required=True)
    p.add_argument("--generate", action="store_true", help="生成密码并显示一次 / generate and print the password once")
    add_lang(p)
    p.set_defaults(func=_user_add)
    p = uv.add_parser("list", help="列出账户 / list accounts")
    p.add_argument("--project", required=True)
    add_lang(p)
    p.set_defaults(func=_user_list)
    p = uv.add_parser("remove", help="删除账户 / remove an account")
    p.add_argument("name")
    p.add_argument("--project", required=True)
    add_lang(p)
    p.set_defaults(func=_user_remove)
    p = uv.add_parser("role", help="改变角色 / change the role")
    p.add_argument("name")
    p.add_argument("--role", required=True, choices=ROLES)
    p.add_argument("--project", required=True)
    add_lang(p)
    p.set_defaults(func=_user_role)
