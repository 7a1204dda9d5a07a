"""What every dashboard notebook does first: parameters and the page's query string.

A notebook's ``parameters`` cell sets ``project`` ('' → ``$FIELDEVAL_PROJECT``)
and ``lang``; :func:`params` then waits for the browser's request (preheated
kernels run the notebook before any request arrives, see
``voila.utils.wait_for_request``) and lets the query string override
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


@dataclass(frozen=True)
class Params:
    """A dashboard's parameters: project directory, language, query options."""

    project: Path
    lang: str
    query: dict = field(default_factory=dict)


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


__all__ = ["Params", "error_html", "guarded", "params", "setup_matplotlib"]
