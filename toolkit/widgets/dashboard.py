"""What every dashboard notebook does first: parameters and the page's query string.

A notebook's ``parameters`` cell sets ``project`` ('' → ``$FIELDEVAL_PROJECT``)
and ``lang``; :func:`params` then waits for the browser's request (preheated
kernels run the notebook before any request arrives; :func:`wait_for_request`
is Voilà's own wait without importing Voilà) and lets the query string override
``lang`` (``?lang=en``) and pass dashboard options (``?county=…``).
"""
from __future__ import annotations

import functools
import html
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.i18n import check_lang
from toolkit.widgets.data import query_params, resolve_project

ENV_READY = "FIELDEVAL_READY_DIR"   # set by fieldeval serve: preheated kernels sign in here (mark_preheated)


@dataclass(frozen=True)
class Params:
    """A dashboard's parameters: project directory, language, query options."""

    project: Path
    lang: str
    query: dict = field(default_factory=dict)


def mark_preheated() -> None:
    """A preheated kernel has run everything up to the cell that waits for the
    visitor: leave a file named after this process in ``$FIELDEVAL_READY_DIR``.
    ``fieldeval serve`` reports ready once every dashboard has one, so the first
    visitor never waits for a kernel still importing (issue 15, first render)."""
    folder = os.environ.get(ENV_READY)
    if folder and os.environ.get("VOILA_PREHEAT") == "True":
        try:
            (Path(folder) / str(os.getpid())).touch()
        except OSError:   # the server is stopping; nothing to tell
            pass


def request_url() -> str:
    """Where Voilà hands a preheated kernel its visitor's request (as voila.utils builds it)."""
    env = os.environ.get
    base = env("VOILA_WS_BASE_URL") or env("VOILA_SERVER_URL") or "/"
    return (f"{env('VOILA_WS_PROTOCOL') or 'ws'}://{env('VOILA_APP_IP') or '127.0.0.1'}:"
            f"{env('VOILA_APP_PORT') or '8866'}{base}voila/query/{env('VOILA_KERNEL_ID', '')}")


def wait_for_request(open_timeout: float = 5) -> None:
    """In a preheated kernel: wait for the visitor's request and put its
    information (``QUERY_STRING`` …) into ``os.environ``; elsewhere return at once.

    What ``voila.utils.wait_for_request`` does, without importing ``voila``:
    that import pulls in jupyter_server, jupyterlab_server and jsonschema
    (3 s on a quiet machine, 15 s on a busy one) and ran in the cell that waits,
    i.e. after the visitor had asked for the page, so it was most of the first
    render (issue 15). Here only ``websockets`` is imported, the connection to
    Voilà is opened before the kernel signs in as ready (:func:`mark_preheated`),
    and no keep-alive pings are sent, so a server too busy to answer a ping
    cannot cut the wait short however long the kernel waits."""
    if os.environ.get("VOILA_PREHEAT", "False") == "False":
        return
    import json

    from websockets.sync.client import connect

    try:
        with connect(request_url(), open_timeout=open_timeout, proxy=None, ping_interval=None,
                     close_timeout=1) as ws:
            mark_preheated()
            info = ws.recv()
    except Exception:  # noqa: BLE001 - as Voilà: no request information, the page uses its defaults
        mark_preheated()
        return
    for k, v in json.loads(info).items():
        os.environ[str(k)] = str(v)


def close_tree(w: object) -> None:
    """Close a widget and every widget under it (its children, recursively), so
    an unused page's models leave the kernel and are not sent to the browser."""
    for c in getattr(w, "children", ()) or ():
        close_tree(c)
    close = getattr(w, "close", None)
    if close is not None:
        close()


class Prebuilt:
    """One dashboard page built while the kernel is preheated, for its one visitor.

    A preheated kernel serves exactly one page, so :meth:`put` (in
    ``preload``, before any request) builds the page for the notebook's
    default language and :meth:`take` (in ``show``, after the request) hands
    it over when its ``key`` still matches: the same project, language and
    data (the results' object, which changes with the results' fingerprint).
    Otherwise the old page's widgets are closed and ``take`` returns None, so
    the caller builds the page as before. The widgets' construction (the
    entry form's hundreds, the walkthrough's first household with the store's
    notes) is then off the visitor's wait (issue 15: first render)."""

    def __init__(self) -> None:
        self.key: tuple | None = None
        self.app: object | None = None

    def put(self, key: tuple, make: Callable[[], object]) -> None:
        """Build the page with ``make()`` and keep it under ``key`` (errors: nothing kept)."""
        self.drop()
        try:
            self.app = make()
        except Exception:  # noqa: BLE001 - show() builds it again and says what is wrong, in words
            self.app = None
            return
        self.key = key

    def take(self, key: tuple) -> object | None:
        """The kept page if it was built for ``key`` (once), else None (module doc)."""
        app = self.app if self.key == key else None
        if app is None:
            self.drop()
        self.key = self.app = None
        return app

    def drop(self) -> None:
        """Close the kept page's widgets and forget it."""
        if self.app is not None:
            close_tree(getattr(self.app, "widget", None))
        self.key = self.app = None


def params(project: str | os.PathLike | None = "", lang: str = "zh") -> Params:
    """Parameters after the request arrived (module doc)."""
    q = query_params()
    try:
        lang = check_lang(q.get("lang") or lang)
    except ValueError:
        lang = "zh"
    return Params(resolve_project(project), lang, q)


def setup_matplotlib() -> None:
    """Agg backend and a Noto CJK font so Chinese labels render (fonts-noto-cjk)."""
    import matplotlib

    matplotlib.use("agg")
    from matplotlib import font_manager, rcParams

    names = {f.name for f in font_manager.fontManager.ttflist}
    for cand in ("Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Serif CJK SC", "WenQuanYi Zen Hei"):
        if cand in names:
            rcParams["font.sans-serif"] = [cand, "DejaVu Sans"]
            rcParams["font.family"] = "sans-serif"
            break
    rcParams["axes.unicode_minus"] = False


def error_html(error: BaseException, lang: str = "zh") -> str:
    """A problem as a person reads it on a page: the translated message
    (toolkit.errors.describe), escaped, never a traceback."""
    from toolkit.errors import describe
    from toolkit.i18n import t

    return (f"<div class='fe-error' role='alert' style='padding:1em;border:1px solid #b3261e;color:#b3261e'>"
            f"<b>{html.escape(t('widgets.error_title', lang))}</b><br>{html.escape(describe(error, lang))}</div>")


def guarded(show: Callable) -> Callable:
    """Wrap a dashboard's ``show(p)``: any error becomes a message in words on
    the page (an empty project, no results yet, a bad setting)."""
    @functools.wraps(show)
    def run(p):  # noqa: ANN001, ANN202 - Params; the dashboard object or None
        try:
            return show(p)
        except Exception as e:  # noqa: BLE001 - shown to the person, in words
            from IPython.display import HTML, display

            display(HTML(error_html(e, getattr(p, "lang", "zh"))))
            return None
    return run


__all__ = ["ENV_READY", "Params", "Prebuilt", "close_tree", "error_html", "guarded", "mark_preheated", "params", "request_url",
           "wait_for_request", "setup_matplotlib"]
