"""``fieldeval hub init --project DIR``: the hub's private folder and its
``jupyterhub_config.py`` (issue 20).

Everything lives in ``<project>/.fieldeval/hub/`` (mode 0700; files 0600):

* ``jupyterhub_config.py`` — the configuration JupyterHub reads (below);
* ``jupyterhub_cookie_secret`` — 32 random bytes, hex (kept by ``--force``);
* ``jupyterhub.sqlite`` — the hub's own database: accounts, groups, tokens
  (``fieldeval hub user`` edits it; the evaluation data are in the store);
* ``database_url`` — optional, ``--database-url``: the store's PostgreSQL URL
  handed to every user's server as ``$FIELDEVAL_DATABASE_URL``;
* ``home/<user>/`` — each user's working folder; ``logs/`` — the hub's log
  and ``refusals.log`` (toolkit.hub.guard); ``jupyter/`` — the Voilà template.

The configuration: native accounts (jupyterhub-nativeauthenticator, sign-up
switched off: an administrator creates every account with ``fieldeval hub
user add``); roles as hub groups (``admin`` users are also hub admins); one
single-user server per user (:mod:`toolkit.hub.single`, Voilà with the
dashboards), started as the hub's own OS user in that user's home folder
(``SimpleLocalProcessSpawner``), with ``$FIELDEVAL_ROLE`` set from the
groups by the spawn hook; the default page by role (leadership: their
dashboard; others: the list); a leadership server gets no project key
(``$FIELDEVAL_KEY`` emptied, ``$FIELDEVAL_KEY_DIR`` an empty folder: its
dashboard reads the plain leadership extract,
toolkit.project.leadership_extract; a key file named in evaluation.toml is
still readable by the one OS user all servers share, docs/deploy.md);
``Spawner.mem_limit`` (``--mem-limit``,
default 1G: the single-user server's watchdog enforces it, see
toolkit.hub.guard); the idle culler (jupyterhub-idle-culler, a hub service:
servers idle longer than ``--idle-timeout``, default 3600 s, are stopped);
the proxy from ``.hub/node_modules`` (scripts/install-hub.sh).
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path

from toolkit.errors import UserError

HUB_DIR = Path(".fieldeval") / "hub"
CONFIG = "jupyterhub_config.py"
SECRET = "jupyterhub_cookie_secret"
DB = "jupyterhub.sqlite"
DB_URL_FILE = "database_url"
REPO = Path(__file__).resolve().parents[2]


def hub_dir(project: str | Path) -> Path:
    """The project's private hub folder (module doc)."""
    return Path(project).resolve() / HUB_DIR


def hub_db_url(project: str | Path) -> str:
    """The hub database's SQLAlchemy URL."""
    return f"sqlite:///{hub_dir(project) / DB}"


def _private_file(path: Path, text: str) -> None:
    from toolkit.vault import write_private   # plain: JupyterHub reads these files itself

    write_private(path, text.encode("utf-8"))


def find_proxy() -> str | None:
    """configurable-http-proxy: ``$FIELDEVAL_CHP``, the project's ``.hub/node_modules``, or the PATH."""
    import shutil

    env = os.environ.get("FIELDEVAL_CHP", "").strip()
    if env and Path(env).exists():
        return env
    local = REPO / ".hub" / "node_modules" / ".bin" / "configurable-http-proxy"
    if local.exists():
        return str(local)
    return shutil.which("configurable-http-proxy")


CONFIG_TEXT = '''\
# JupyterHub configuration of a fieldeval project, written by `fieldeval hub init`
# (toolkit/hub/setup.py; docs/deploy.md). Written again by `fieldeval hub init --force`.
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PROJECT = {project!r}
c = get_config()  # noqa: F821 - provided by JupyterHub

# the hub's own state, private to this folder (0700)
c.JupyterHub.cookie_secret_file = os.path.join(HERE, "jupyterhub_cookie_secret")
c.JupyterHub.db_url = "sqlite:///" + os.path.join(HERE, "jupyterhub.sqlite")
c.ConfigurableHTTPProxy.pid_file = os.path.join(HERE, "proxy.pid")
c.ConfigurableHTTPProxy.command = [os.environ.get("FIELDEVAL_CHP") or {proxy!r}]

# accounts: native, created by an administrator (`fieldeval hub user add`); no self sign-up.
# For union IT's directory use LDAP instead (docs/deploy.md: jupyterhub-ldapauthenticator).
import nativeauthenticator  # noqa: E402
c.JupyterHub.authenticator_class = "nativeauthenticator.NativeAuthenticator"
c.JupyterHub.template_paths = [os.path.join(os.path.dirname(nativeauthenticator.__file__), "templates")]
c.NativeAuthenticator.enable_signup = False
c.NativeAuthenticator.open_signup = False
c.NativeAuthenticator.check_common_password = True
c.NativeAuthenticator.minimum_password_length = {min_password}
c.NativeAuthenticator.allowed_failed_logins = 5
c.NativeAuthenticator.seconds_before_next_try = 300
c.Authenticator.allow_all = True          # every account the administrator authorised
c.Authenticator.manage_groups = False     # roles are hub groups kept in the hub database

# one single-user server per user: Voilà with the dashboards, refusals by role (toolkit.hub.guard)
c.JupyterHub.spawner_class = "jupyterhub.spawner.SimpleLocalProcessSpawner"
c.SimpleLocalProcessSpawner.home_dir_template = os.path.join(HERE, "home", "{{username}}")
c.Spawner.cmd = [sys.executable, "-m", "toolkit.hub.single"]
c.Spawner.default_url = "/voila/"
c.Spawner.mem_limit = {mem_limit!r}
c.Spawner.start_timeout = 180
c.Spawner.http_timeout = 180
c.Spawner.env_keep = ["PATH", "PYTHONPATH", "VIRTUAL_ENV", "LANG", "LC_ALL", "FIELDEVAL_DATABASE_URL",
                      "FIELDEVAL_KEY", "FIELDEVAL_KEY_DIR", "XDG_CONFIG_HOME", "FIELDEVAL_CHP", "FIELDEVAL_SERVE_ID"]
_db_url_file = os.path.join(HERE, "database_url")
_env = {{"FIELDEVAL_PROJECT": PROJECT, "JUPYTER_PATH": os.path.join(HERE, "jupyter"),
        "FIELDEVAL_HUB_LOG": os.path.join(HERE, "logs"), "MPLBACKEND": "agg",
        "MPLCONFIGDIR": os.path.join(HERE, "mpl")}}
if os.path.exists(_db_url_file):
    with open(_db_url_file, encoding="utf-8") as _fh:
        _env["FIELDEVAL_DATABASE_URL"] = _fh.read().strip()
c.Spawner.environment = _env
LAB_ROLES = ()  # hook: roles that get JupyterLab (`fieldeval lab`) as well, e.g. ("evaluator", "supervisor")


def _role_hook(spawner):
    """The role from the user's hub groups, into the server's environment (never set by the user)."""
    from toolkit.hub.roles import role_of

    role = role_of([g.name for g in spawner.user.groups]) or ""
    env = dict(spawner.environment)
    env["FIELDEVAL_ROLE"] = role
    env["FIELDEVAL_HUB_LAB"] = "1" if role in LAB_ROLES else "0"
    if role in ("leadership", ""):   # no project key: the leadership dashboard reads the plain extract
        env["FIELDEVAL_KEY"] = ""
        env["FIELDEVAL_KEY_DIR"] = os.path.join(HERE, "no-key")
    else:                            # the hub's own key settings (env_keep)
        env.pop("FIELDEVAL_KEY", None)
        env.pop("FIELDEVAL_KEY_DIR", None)
    spawner.environment = env
    spawner.default_url = "/voila/render/leadership.ipynb" if role in ("leadership", "") else "/voila/"


c.Spawner.pre_spawn_hook = _role_hook

# idle servers are stopped by the idle culler (a hub service)
c.JupyterHub.services = [{{"name": "idle-culler",
                          "command": [sys.executable, "-m", "jupyterhub_idle_culler",
                                      "--timeout={idle_timeout}", "--cull-every=60"]}}]
c.JupyterHub.load_roles = [{{"name": "idle-culler", "services": ["idle-culler"],
                            "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"]}}]
c.JupyterHub.shutdown_on_logout = True    # logging out stops the user's server: access ends
c.JupyterHub.cleanup_servers = True
'''


def init(project: str | Path, *, force: bool = False, mem_limit: str = "1G", idle_timeout: int = 3600,
         database_url: str | None = None, min_password: int = 8) -> Path:
    """Write the private folder and the configuration (module doc); returns the config's path."""
    root = Path(project).resolve()
    if not (root / "evaluation.toml").exists():
        raise UserError("config.not_found", path=str(root / "evaluation.toml"))
    d = hub_dir(root)
    cfg = d / CONFIG
    if cfg.exists() and not force:
        raise UserError("hub.init_exists", path=str(cfg))
    d.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(d.parent, 0o700)
    os.chmod(d, 0o700)
    for sub in ("home", "logs", "jupyter", "mpl", "no-key"):
        (d / sub).mkdir(exist_ok=True, mode=0o700)
    if not (d / SECRET).exists():
        _private_file(d / SECRET, secrets.token_hex(32))
    if database_url:
        _private_file(d / DB_URL_FILE, database_url.strip())
    from toolkit.commands.serve import write_template

    write_template(d / "jupyter")
    _private_file(cfg, CONFIG_TEXT.format(project=str(root), proxy=find_proxy() or "configurable-http-proxy",
                                          mem_limit=mem_limit, idle_timeout=int(idle_timeout),
                                          min_password=int(min_password)))
    from toolkit.hub.users import open_hub_db

    open_hub_db(root).close()   # the hub database exists (0600) before the first account
    os.chmod(d / DB, 0o600)
    return cfg
