"""What runs inside the Voilà process that ``fieldeval serve`` starts.

``python -m toolkit.commands.serve_voila [voila options] DASHBOARDS`` is
``voila`` with the settings a command line cannot carry (callables and
classes), all through Voilà's and Jupyter Server's own configuration:

* **No timeout while a preheated kernel waits for its visitor.** Voilà runs a
  preheated notebook up to the cell that calls
  ``voila.utils.wait_for_request()`` and leaves that cell executing until a
  browser asks for the page. Every cell runs under
  ``VoilaExecutor.timeout``, so with no visitor for longer than the cell
  timeout the waiting cell "timed out", Voilà stopped that notebook, and the
  next visitor got the English "Cell execution timed out" page (issue 15).
  ``VoilaExecutor.timeout_func`` (:class:`CellTimeout`) gives the cell tagged
  ``wait-for-request`` no timeout and every other cell the usual one.
* **The token comes from a file, never from argv**: ``$FIELDEVAL_TOKEN_FILE``
  (written 0600 by ``fieldeval serve``) is read into ``Voila.token``.
* **The token leaves the address at once** (:class:`TokenIdentityProvider`):
  a page request authenticated by ``?token=`` gets the login cookie and a
  redirect to the same address without the token, so the token is not in the
  page's HTML (Voilà's ``/`` page copies its query string into the page),
  the browser's history, a Referer header, or the kernel's ``QUERY_STRING``.
* **A working ``/logout``** (:class:`SignOutHandler`): clears the login cookie
  and redirects to ``/signed-out``, a page that says so in words
  (``?lang=en`` for English; Jupyter Server's own logout page needs a static
  route Voilà does not have and answered 500).
* **Logs without the token**: requests are logged by Jupyter Server's
  ``log_request`` (token-like query parameters scrubbed, successful requests
  at debug level), and every log record of the process has the token's value
  replaced by ``[secret]`` (:func:`redact_logs`).
"""
from __future__ import annotations

import html
import logging
import os
import sys
from urllib.parse import parse_qsl, urlencode

from jupyter_server.auth.decorator import allow_unauthenticated
from jupyter_server.auth.identity import PasswordIdentityProvider
from jupyter_server.base.handlers import JupyterHandler
from tornado import web

ENV_TOKEN_FILE = "FIELDEVAL_TOKEN_FILE"
WAIT_TAG = "wait-for-request"   # the notebook cell that waits for the browser's request
SIGNED_OUT = "/signed-out"
REDACTED = "[secret]"


class CellTimeout:
    """``VoilaExecutor.timeout_func``: seconds a cell may run (module doc).

    ``None`` (no limit) for a cell tagged ``wait-for-request``: it waits for a
    visitor, however long that takes; ``seconds`` for every other cell.
    """

    def __init__(self, seconds: int) -> None:
        self.seconds = seconds

    def __call__(self, cell: dict) -> int | None:
        tags = (cell.get("metadata") or {}).get("tags") or []
        return None if WAIT_TAG in tags else self.seconds

    def __repr__(self) -> str:
        return f"CellTimeout({self.seconds})"


def _page_handler(handler: web.RequestHandler) -> bool:
    """Whether ``handler`` serves an HTML page (a dashboard or the list of them)."""
    from voila.handler import VoilaHandler
    from voila.treehandler import VoilaTreeHandler

    return isinstance(handler, (VoilaHandler, VoilaTreeHandler))


def without_token(uri: str) -> str:
    """``uri`` with its ``token`` query parameter removed (other parameters kept, in order)."""
    path, _, query = uri.partition("?")
    kept = [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if k != "token"]
    return path + ("?" + urlencode(kept) if kept else "")


class TokenIdentityProvider(PasswordIdentityProvider):
    """Jupyter Server's token login, with the token removed from page addresses
    after it has been exchanged for the login cookie, a logout that works and a
    signed-out page (module doc)."""

    @property
    def logout_available(self) -> bool:
        return True

    def get_handlers(self) -> list:
        return [(r"/login", self.login_handler_class), (r"/logout", SignOutHandler),
                (SIGNED_OUT, SignedOutHandler)]

    async def _get_user(self, handler: web.RequestHandler):
        user = await super()._get_user(handler)
        if (user is not None and getattr(handler, "_token_authenticated", False)
                and handler.request.method in ("GET", "HEAD") and "token" in handler.request.query_arguments
                and _page_handler(handler)):
            handler.redirect(without_token(handler.request.uri or "/"))  # the login cookie is already set
            raise web.Finish()
        return user


def _lang(handler: web.RequestHandler) -> str:
    from toolkit.i18n import check_lang

    try:
        return check_lang(handler.get_argument("lang", "zh"))
    except ValueError:
        return "zh"


class SignOutHandler(JupyterHandler):
    """``/logout``: clear the login cookie and go to the signed-out page."""

    @allow_unauthenticated
    def get(self) -> None:
        self.identity_provider.clear_login_cookie(self)
        lang = _lang(self)
        self.redirect(self.base_url.rstrip("/") + SIGNED_OUT + ("?lang=en" if lang == "en" else ""))


class SignedOutHandler(JupyterHandler):
    """``/signed-out``: a short page saying the browser is signed out, in words."""

    @allow_unauthenticated
    def get(self) -> None:
        from toolkit.i18n import t

        lang = _lang(self)
        e = html.escape
        login = e(self.base_url.rstrip("/") + "/login" + ("?lang=en" if lang == "en" else ""))
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(
            f'<!DOCTYPE html>\n<html lang="{e(lang)}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{e(t('widgets.serve_signed_out_title', lang))}</title></head>"
            '<body style="font-family: sans-serif; max-width: 36em; margin: 3em auto; padding: 0 1em">'
            f"<h1>{e(t('widgets.serve_signed_out_title', lang))}</h1>"
            f"<p>{e(t('widgets.serve_signed_out', lang))}</p>"
            f'<p><a href="{login}">{e(t("widgets.serve_sign_in_again", lang))}</a></p>'
            "</body></html>\n")


def redact_logs(secret: str) -> None:
    """Replace ``secret`` by ``[secret]`` in every log record this process makes
    (any logger, any handler: the record factory sees them all)."""
    if not secret:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args: object, **kwargs: object) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        try:
            text = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken format is logging's own problem, leave it
            return record
        if secret in text:
            record.msg, record.args = text.replace(secret, REDACTED), None
        return record

    logging.setLogRecordFactory(factory)


def read_token(path: str | None) -> str:
    """The token in file ``path`` (whitespace around it ignored); '' when no file is given."""
    if not path:
        return ""
    with open(path, encoding="utf-8") as fh:
        return fh.read().strip()


UNUSED_EXTENSIONS = ("@voila-dashboards/jupyterlab-preview",   # JupyterLab's "preview in Voilà" button
                     "jupyterlab_pygments")                    # code highlighting: dashboards show no code


def voila_config(token: str, cell_timeout: int):
    """The settings passed to Voilà in-process (module doc)."""
    from jupyter_server.log import log_request
    from traitlets.config import Config

    c = Config()
    c.VoilaExecutor.timeout = cell_timeout
    c.VoilaExecutor.timeout_func = CellTimeout(cell_timeout)
    c.Voila.identity_provider_class = TokenIdentityProvider
    c.Voila.tornado_settings = {"log_function": log_request}
    # JupyterLab extensions a dashboard never uses: each is one more script (and its chunks) a first
    # visitor's browser fetches and runs before the page is drawn (issue 15: cold first render)
    c.VoilaConfiguration.extension_denylist = list(UNUSED_EXTENSIONS)
    if token:
        c.Voila.token = token
    return c


def main(argv: list[str] | None = None) -> None:
    """Run Voilà with :func:`voila_config`; ``--VoilaExecutor.timeout=N`` on the
    command line sets the cell timeout (default 120 s)."""
    from voila.app import Voila

    argv = list(sys.argv[1:] if argv is None else argv)
    timeout = 120
    for a in argv:
        if a.startswith("--VoilaExecutor.timeout="):
            timeout = int(a.split("=", 1)[1])
    token = read_token(os.environ.get(ENV_TOKEN_FILE))
    redact_logs(token)
    Voila.launch_instance(argv=argv, config=voila_config(token, timeout))


if __name__ == "__main__":  # pragma: no cover - the process fieldeval serve starts
    main()
