"""The single-user server's refusals by role (issue 20): a Jupyter Server
extension loaded by :mod:`toolkit.hub.single`.

What a role may open is decided here, on the server, before any handler
runs (a first routing rule of the Tornado application), from
``$FIELDEVAL_ROLE`` that the hub's spawner set (toolkit.hub.roles):

* ``leadership``: only the leadership dashboard and what it needs to run
  (Voilà's static files, its kernel's websocket, the hub's sign-in callback);
  the walkthrough, entry, quality and progress dashboards, ``/files/``,
  Voilà's file and contents routes, the dashboard list, the kernel REST API,
  sessions, terminals and contents are refused;
* every role: the kernel REST API (``/api/kernels``: list, start; one
  kernel's interrupt, restart, delete; only a GET of one kernel's model, which
  Voilà's page reads, and its websocket pass), ``/api/sessions``,
  ``/api/terminals``, ``/api/contents`` and Jupyter's editors are refused;
  a dashboard the role does not allow is refused (evaluators and
  supervisors have all five); ``$FIELDEVAL_HUB_LAB=1`` (the documented hook
  for ``fieldeval lab`` under the hub) lifts the kernel/contents refusal
  for evaluators, supervisors and admins, never for leadership.

A refusal is a 403 page in words (zh, or en when the browser asks for
English) and a log line (the server's log and, when
``$FIELDEVAL_HUB_LOG`` names a folder, ``refusals.log`` there, one JSON
object a line: at, user, role, method, path).

The browser cannot execute code in a dashboard's kernel: the server accepts
only widget messages on the kernel websocket
(``MappingKernelManager.allowed_message_types``, set by
:mod:`toolkit.hub.single`), so the role checks in the project calls
(toolkit.hub.roles.require) cannot be bypassed from the page.

Memory: with ``$MEM_LIMIT`` (bytes; JupyterHub sets it from
``Spawner.mem_limit``) a watchdog sums the resident memory of this server
and its kernels every 5 s; above the limit it logs and stops the kernels.
"""
from __future__ import annotations

import json
import logging
import os
import re
import time
from pathlib import Path

from tornado import web
from tornado.routing import Matcher, Rule

from toolkit.hub import roles as R

log = logging.getLogger("fieldeval.hub")
ENV_LOG = "FIELDEVAL_HUB_LOG"
ENV_LAB = "FIELDEVAL_HUB_LAB"
WATCH_EVERY_MS = 5000

_KERNEL_ID = r"[0-9a-f-]{36}"
CHANNELS = re.compile(rf"^/api/kernels/{_KERNEL_ID}/channels/?$")
ONE_KERNEL = re.compile(rf"^/api/kernels/{_KERNEL_ID}/?$")   # its model, read by Voilà's page before connecting
LEADERSHIP_ALLOW = re.compile(
    r"^/?$|^/voila/render/leadership\.ipynb$|^/voila/(static|templates|labextensions|api/themes)/"
    r"|^/voila/api/shutdown/" + _KERNEL_ID + r"$|^/static/|^/oauth_callback$|^/logout$|^/api/?$"
    r"|^/api/status$|^/api/me$|^/favicon\.ico$|^/custom/")
ALWAYS_REFUSED = re.compile(
    r"^/api/kernels/?$|^/api/kernels/" + _KERNEL_ID + r"(/(interrupt|restart))?/?$|^/api/sessions|^/api/terminals"
    r"|^/terminals|^/api/contents|^/api/kernelspecs|^/(lab|tree|notebooks|edit|view|nbconvert|doc)(/|$)")
RENDER = re.compile(r"^/voila/render/([^/?]+)\.ipynb$")


def verdict(path: str, role: str | None, *, lab: bool = False, method: str = "GET") -> str | None:
    """Why ``method path`` (path relative to the server's base URL, leading '/')
    is refused for ``role`` (the action's key, for the words), or None when
    allowed. A kernel's websocket and a GET of one kernel's model (what a
    dashboard page needs) are allowed; Voilà's kernels run only the dashboards."""
    if CHANNELS.match(path) or (method in ("GET", "HEAD") and ONE_KERNEL.match(path)):
        return None
    if role not in R.PERMISSIONS:
        return "files"
    if role == "leadership":
        return None if LEADERSHIP_ALLOW.match(path) else ("kernel" if path.startswith("/api/") else _what(path))
    m = RENDER.match(path)
    if m:
        action = R.DASHBOARD_ACTION.get(m.group(1), "files")
        return None if R.allowed(action, role) else action
    if ALWAYS_REFUSED.match(path) and not lab:
        return "kernel"
    return None


def _what(path: str) -> str:
    m = RENDER.match(path)
    if m:
        return R.DASHBOARD_ACTION.get(m.group(1), "files")
    return "files"


def _relative(path: str, base_url: str) -> str:
    base = "/" + base_url.strip("/") if base_url.strip("/") else ""
    rel = path[len(base):] if base and path.startswith(base) else path
    return rel if rel.startswith("/") else "/" + rel


class RoleMatcher(Matcher):
    """Matches the requests this role is refused (the refusal rule comes first)."""

    def __init__(self, base_url: str, role: str | None, lab: bool) -> None:
        self.base_url, self.role, self.lab = base_url, role, lab

    def match(self, request):  # noqa: ANN001, ANN201 - tornado's interface
        refused = verdict(_relative(request.path, self.base_url), self.role, lab=self.lab, method=request.method)
        return {} if refused else None


def record_refusal(user: str, role: str | None, method: str, path: str) -> None:
    """Log a refusal: the server's log and ``$FIELDEVAL_HUB_LOG/refusals.log``."""
    from toolkit.i18n import t

    log.warning(t("hub.refused_log", "en", user=user, role=role or "-", method=method, path=path))
    folder = os.environ.get(ENV_LOG, "").strip()
    if folder:
        line = json.dumps({"at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "user": user,
                           "role": role or "", "method": method, "path": path}, ensure_ascii=False)
        fd = os.open(Path(folder) / "refusals.log", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            os.write(fd, (line + "\n").encode("utf-8"))
        finally:
            os.close(fd)


class RefusedHandler(web.RequestHandler):
    """403 in words for any method; the refusal is logged."""

    def initialize(self, base_url: str, role: str | None) -> None:
        self.base_url, self.role = base_url, role

    def prepare(self) -> None:
        from toolkit.html import esc
        from toolkit.i18n import t

        user = R.hub_user() or ""
        rel = _relative(self.request.path, self.base_url)
        record_refusal(user, self.role, self.request.method or "", rel)
        lang = "en" if (self.get_argument("lang", "") == "en" or
                        self.request.headers.get("Accept-Language", "").lower().startswith("en")) else "zh"
        self.set_status(403)
        self.set_header("Cache-Control", "no-store")
        role = R.role_word(self.role, lang)
        if rel.startswith("/api/"):
            self.set_header("Content-Type", "application/json; charset=UTF-8")
            self.finish(json.dumps({"message": t("hub.refused_page", lang, user=user, role=role)},
                                   ensure_ascii=False))
            return
        home = "/" + self.base_url.strip("/") + "/voila/render/leadership.ipynb"
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        title = t("hub.refused_title", lang)
        self.finish(
            f'<!DOCTYPE html>\n<html lang="{esc(lang)}"><head><meta charset="utf-8"><title>{esc(title)}</title></head>'
            '<body style="font-family: sans-serif; max-width: 36em; margin: 3em auto; padding: 0 1em">'
            f'<h1 class="fe-refused">{esc(title)}</h1>'
            f"<p>{esc(t('hub.refused_page', lang, user=user, role=role))}</p>"
            f'<p><a href="{esc(home)}">{esc(t("hub.refused_home", lang))}</a></p></body></html>\n')


def install(web_app: web.Application, base_url: str, role: str | None, lab: bool = False) -> None:
    """Put the refusal rule first in ``web_app``'s routing (before every handler)."""
    router = web_app.default_router
    rule = router.process_rule(Rule(RoleMatcher(base_url, role, lab), RefusedHandler,
                                    {"base_url": base_url, "role": role}))
    router.rules.insert(0, rule)


def tree_rss(pid: int) -> int:
    """Resident bytes of process ``pid`` and all its descendants."""
    import psutil

    try:
        p = psutil.Process(pid)
        procs = [p, *p.children(recursive=True)]
    except psutil.Error:
        return 0
    total = 0
    for q in procs:
        try:
            total += q.memory_info().rss
        except psutil.Error:
            continue
    return total


def _watch(limit: int) -> None:
    import psutil

    from toolkit.i18n import t

    used = tree_rss(os.getpid())
    if used <= limit:
        return
    log.warning(t("hub.memory_over", "en", user=R.hub_user() or "", used=used // 2**20, limit=limit // 2**20))
    for child in psutil.Process().children(recursive=True):
        try:
            child.terminate()
        except psutil.Error:
            pass


def _jupyter_server_extension_points() -> list[dict]:
    return [{"module": "toolkit.hub.guard"}]


def _load_jupyter_server_extension(server_app) -> None:  # noqa: ANN001 - jupyter_server.ServerApp
    """Install the refusals and the memory watchdog (module doc)."""
    from tornado.ioloop import PeriodicCallback

    role = R.current_role()
    lab = os.environ.get(ENV_LAB, "").strip() == "1"
    install(server_app.web_app, server_app.base_url, role, lab)
    server_app.log.info("fieldeval: role %s, refusals installed", role or "-")
    limit = int(os.environ.get("MEM_LIMIT", "0") or 0)
    if limit > 0:
        cb = PeriodicCallback(lambda: _watch(limit), WATCH_EVERY_MS)
        cb.start()
        server_app.web_app.settings["fieldeval_memory_watch"] = cb


load_jupyter_server_extension = _load_jupyter_server_extension
