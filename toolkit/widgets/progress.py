"""调查进度: field progress against the drawn sample, as a page and as a section of the quality page.

Shows :meth:`toolkit.project.Project.progress` (toolkit.project.progress)
and computes nothing of its own: per team and township the households
assigned, visited (with a result), completed, refused, not at home, other
non-response and outstanding; the reserves released and why (the result of
the household each one replaces); the visits from outside the sample,
listed one by one; and the cumulative completions per day against the
target (households assigned), drawn as an inline SVG.

Reads the stored files only (the sample, ``output/ingest`` and the field's
dispositions and returned visit lists), so it changes at every ingest; the
progress is kept in memory keyed by the project's input fingerprint
(:meth:`Project.inputs_fingerprint`: path, size and time of each input).

The pure functions (``team_table``, ``reserves_table``, ``outside_table``,
``daily_svg``, ``summary_line``) turn the Progress frames into words in
``lang`` (headers, codes, percentages with a % sign); :func:`grid` is the
paged, sortable table widget both pages use (itables' ``ITable``: DataTables
bundled in the package, so it works offline).
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pandas as pd

from toolkit.html import Markup, tag
from toolkit.html import table as html_table
from toolkit.i18n import t
from toolkit.widgets.dashboard import Prebuilt, guarded

TEAM_COLUMNS = ("team", "county", "township", "assigned", "reserves_released", "recorded", "completed",
                "completed_share", "refused", "not_at_home", "other", "outstanding")
RESERVE_COLUMNS = ("archive_id", "county", "township", "replaces", "reason")
OUTSIDE_COLUMNS = ("key", "archive_id", "county", "township", "enumerator", "visit_date", "visit_result")

_CACHE: dict[tuple, object] = {}
_SVG: dict[tuple, Markup] = {}   # the daily chart per (progress, lang), cleared with _CACHE


# --------------------------------------------------------------------------- words

def percent(x: float | None, digits: int = 1) -> str:
    """A share (0–1) as text with a % sign ("93.4%", "100%"); "" when unknown (toolkit.labels.percent)."""
    return "" if x is None or pd.isna(x) else str(percent_series(pd.Series([float(x)]), digits).iat[0])


def percent_series(x: pd.Series, digits: int = 1) -> pd.Series:
    """Shares as percentages over a column: toolkit.labels.percent (one rule everywhere:
    no trailing ".0"); blanks stay blank."""
    from toolkit.labels import percent as words

    return words(x, digits)


@lru_cache(maxsize=4)
def visit_result_words(lang: str) -> dict[str, str]:
    """The questionnaire's words for each visit result code (met → 见到受访户)."""
    from toolkit.forms import read_xlsform
    from toolkit.widgets.entry_logic import FORM_FILE

    form = read_xlsform(FORM_FILE)
    try:
        return dict(form.choice_labels(form.question("visit_result").list_name, lang))
    except (KeyError, ValueError):
        return {}


def disposition_words(lang: str) -> dict[str, str]:
    """Disposition codes in words (toolkit.sampling.reserves.DISPOSITIONS)."""
    from toolkit.sampling.reserves import DISPOSITIONS

    i = 0 if lang == "zh" else 1
    return {code: labels[i] for code, labels in DISPOSITIONS.items()}


def team_table(table: pd.DataFrame, lang: str = "zh", townships: bool = True) -> pd.DataFrame:
    """Progress.table in words: one row per team × township (``townships``)
    then one per team and the whole city; completed share = completed ÷
    assigned (the target). Headers in ``lang``."""
    tb = table.reset_index(drop=True).copy()
    is_total = pd.Series(False, index=tb.index)
    if len(tb):
        is_total.iloc[-1] = True          # field_progress puts the city row last
    whole = tb["township"].astype(str).eq("")
    if not townships:
        tb, is_total, whole = tb[whole], is_total[whole], whole[whole]
    out = pd.DataFrame({c: tb[c] for c in TEAM_COLUMNS if c in tb})
    out["township"] = tb["township"].astype(str).where(~whole, t("progress.all_townships", lang))
    out.loc[is_total, ["team", "county"]] = t("progress.total", lang)
    out.loc[is_total, "township"] = ""
    a = pd.to_numeric(tb["assigned"], errors="coerce")
    out["completed_share"] = percent_series(pd.to_numeric(tb["completed"], errors="coerce") / a.where(a > 0))
    if townships:   # each team's own row first, then its townships; the city last
        order = pd.DataFrame({"team": tb["team"].astype(str), "sub": (~whole).astype(int), "total": is_total.astype(int),
                              "tw": tb["township"].astype(str)})
        idx = order.sort_values(["total", "team", "sub", "tw"], kind="stable").index
        out, tb = out.loc[idx], tb.loc[idx]
    cols = [c for c in TEAM_COLUMNS if townships or c != "township"]
    if (out["team"].astype(str) == out["county"].astype(str)).all():
        cols.remove("county")             # no team names set: the team is the county
    out = out[cols].reset_index(drop=True)
    for c in out.columns:
        if c not in ("team", "county", "township", "completed_share"):
            out[c] = pd.to_numeric(out[c], errors="coerce").fillna(0).astype(int)
    return out.rename(columns={c: t(f"progress.col.{c}", lang) for c in out.columns})


def reserves_table(reserves: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Released reserves: which household each replaces and why (that household's result in words)."""
    words = disposition_words(lang)
    r = reserves.reindex(columns=list(RESERVE_COLUMNS)).fillna("").astype(str)
    r["reason"] = r["reason"].map(lambda c: words.get(c, c) if c else t("progress.reason_unknown", lang))
    return r.rename(columns={c: t(f"progress.col.{c}", lang) for c in r.columns}).reset_index(drop=True)


def outside_table(outside: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Visits from outside the sample, one row each (never counted in the progress)."""
    o = outside.rename(columns={"KEY": "key"}).reindex(columns=list(OUTSIDE_COLUMNS))
    o = o.astype(object).where(o.notna(), "").astype(str)
    if len(o):
        words = visit_result_words(lang)
        o["visit_result"] = o["visit_result"].map(lambda v: words.get(v, v))
    return o.rename(columns={c: t(f"progress.col.{c}", lang) for c in o.columns}).reset_index(drop=True)


def summary_line(table: pd.DataFrame, lang: str = "zh") -> str:
    """One sentence for the whole city (the last row of Progress.table)."""
    if not len(table):
        return ""
    r = table.iloc[-1]
    a = int(r["assigned"])
    return t("progress.summary", lang, assigned=a, completed=int(r["completed"]),
             share=percent(int(r["completed"]) / a if a else None), outstanding=int(r["outstanding"]),
             reserves=int(r["reserves_released"]))


# --------------------------------------------------------------------------- charts

def svg_of(fig) -> Markup:  # noqa: ANN001 - matplotlib Figure
    """A figure as inline SVG (vector): glyphs drawn as paths, no XML
    prologue, no comments (matplotlib writes each text as a comment), no RDF
    metadata, closed."""
    import io

    import matplotlib.pyplot as plt

    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    s = buf.getvalue()
    s = s[s.find("<svg"):]
    s = re.sub(r"<!--.*?-->", "", s, flags=re.S)
    s = re.sub(r"<metadata>.*?</metadata>", "", s, flags=re.S)   # RDF about the file (creator, type): nobody reads it
    s = s.replace("<svg ", '<svg style="max-width:100%;height:auto" ', 1)   # shrinks on a phone, stays sharp
    return Markup(tag("div", Markup(s), class_="fe-chart", style="max-width:100%;overflow:hidden"))


def _figure(width: float = 7.0, height: float = 3.0):  # noqa: ANN202
    import matplotlib

    from toolkit.widgets.dashboard import setup_matplotlib

    setup_matplotlib()
    matplotlib.rcParams["svg.fonttype"] = "path"
    import matplotlib.pyplot as plt

    return plt.subplots(figsize=(width, height), dpi=100)


def daily_svg(daily: pd.DataFrame, lang: str = "zh") -> Markup:
    """Completions per day (bars) and the cumulative count (line) against the
    target (dashed line, households assigned)."""
    if not len(daily):
        return tag("p", t("progress.chart.empty", lang), class_="fe-chart-empty")
    fig, ax = _figure()
    x = pd.to_datetime(daily["date"], errors="coerce")
    ax.bar(x, daily["completed"], color="#9ecae1", label=t("progress.chart.per_day", lang))
    ax.plot(x, daily["cumulative"], color="#08519c", marker="o", markersize=3,
            label=t("progress.chart.completed", lang))
    target = int(daily["target"].iat[0])
    ax.axhline(target, color="#b3261e", linestyle="--", linewidth=1,
               label=t("progress.chart.target", lang, target=target))
    ax.set_ylim(0, max(target, int(daily["cumulative"].max())) * 1.3)   # room for the legend above the target
    ax.set_xlabel(t("progress.chart.day", lang))
    ax.set_ylabel(t("progress.chart.households", lang))
    ax.legend(loc="upper left", fontsize=8, frameon=False, ncol=3)
    import matplotlib.dates as mdates

    ax.xaxis.set_major_formatter(mdates.DateFormatter("%m-%d" if lang == "en" else "%m月%d日"))
    fig.autofmt_xdate()
    ax.spines[["top", "right"]].set_visible(False)
    return svg_of(fig)


# --------------------------------------------------------------------------- grid widget

def dt_language(lang: str) -> dict[str, str]:
    """DataTables' own words (search, paging, counts) in ``lang``."""
    keys = {"search": "search", "info": "info", "infoEmpty": "info_empty", "infoFiltered": "info_filtered",
            "lengthMenu": "length", "emptyTable": "empty", "zeroRecords": "zero", "loadingRecords": "loading"}
    return {k: t(f"qpage.dt.{v}", lang) for k, v in keys.items()}


def grid(frame: pd.DataFrame, lang: str = "zh", *, page_length: int = 10, select: bool = False,
         html: bool = False, css_class: str = ""):  # noqa: ANN201 - itables.widget.ITable
    """A paged, sortable, searchable table (itables ``ITable`` widget).

    ``html``: the cells are :class:`toolkit.html.Markup` built here (escaped
    by construction) and shown as HTML; otherwise itables escapes every cell.
    ``select``: a click selects one row (the widget's ``selected_rows``)."""
    from toolkit.widgets.served_grid import table_class

    kw: dict = {"showIndex": False, "pageLength": page_length, "lengthMenu": [10, 25, 50, 100],
                "maxBytes": 0, "allow_html": html, "language": dt_language(lang),
                "classes": "display compact cell-border", "autoWidth": False,
                "warn_on_unexpected_option_type": False}
    if select:
        kw["select"] = {"style": "single", "info": False}   # no "1 row selected" line (English only)
    if not len(frame):
        kw["paging"] = False
    w = table_class()(frame.reset_index(drop=True), **kw)   # the bundle as a served file in Voilà
    w.layout.max_width = "100%"       # a wide table scrolls inside its box, not the page (phones)
    w.layout.overflow = "auto"
    if css_class:
        w.add_class(css_class)
    return w


# --------------------------------------------------------------------------- data and page

def load_progress(project: str | Path):  # noqa: ANN201 - toolkit.project.progress.Progress
    """Project.progress() of ``project``, kept in memory until an input changes (module doc)."""
    from toolkit.project import Project

    p = Project.open(Path(project))
    key = (str(p.root), p.inputs_fingerprint())
    if key not in _CACHE:
        _CACHE.clear()
        _SVG.clear()
        _CACHE[key] = p.progress()
    return _CACHE[key]


def daily_chart(pr, lang: str = "zh") -> Markup:  # noqa: ANN001 - Progress
    """:func:`daily_svg` of a loaded progress, drawn once per language."""
    key = (id(pr), lang)
    if key not in _SVG:
        _SVG[key] = daily_svg(pr.daily, lang)
    return _SVG[key]


def preload(project: object = "", lang: str = "zh") -> None:
    """Import and read the progress while the kernel is preheated, and build the
    page in the notebook's language (toolkit.widgets.dashboard.Prebuilt; best effort)."""
    import itables.widget  # noqa: F401
    import matplotlib.pyplot  # noqa: F401

    from toolkit.widgets.data import resolve_project

    try:
        root = resolve_project(project)   # type: ignore[arg-type]
        pr = load_progress(root)
        for lg in ("zh", "en"):
            daily_chart(pr, lg)
        visit_result_words("zh")
    except Exception:  # noqa: BLE001 - shown in words when the page is asked for
        return
    _PAGE.put((str(root), lang, id(pr)), lambda: ProgressPage(root, lang))


def section(pr, lang: str = "zh", townships: bool = False) -> list:  # noqa: ANN001 - Progress
    """The progress as a list of widgets: headline, per-team table, daily chart
    (what the quality page shows; the progress page adds townships, reserves
    and outside visits)."""
    import ipywidgets as W

    head = W.HTML(tag("p", summary_line(pr.table, lang), class_="fe-progress-summary"))
    title = t("progress.by_team" if townships else "progress.by_team_only", lang)
    if townships:
        table = grid(team_table(pr.table, lang, townships), lang, page_length=50, css_class="fe-progress-table")
    else:       # one row per team: a short table, no grid (the quality page opens faster)
        table = W.HTML(html_table(team_table(pr.table, lang, townships), "fe-progress-table"))
    chart = W.HTML(daily_chart(pr, lang))
    chart.add_class("fe-progress-chart")
    return [head, W.HTML(tag("h3", title)), table, W.HTML(tag("h3", t("progress.daily", lang))), chart]


class ProgressPage:
    """The field-progress dashboard: ``ProgressPage(project, lang).widget``."""

    def __init__(self, project: Path, lang: str = "zh") -> None:
        import ipywidgets as W

        self.lang = lang
        self.progress = pr = load_progress(project)
        L = lambda k: t(k, lang)  # noqa: E731
        parts = [W.HTML(tag("h2", L("progress.title"))), *section(pr, lang, townships=True),
                 W.HTML(tag("h3", L("progress.reserves")))]
        parts.append(grid(reserves_table(pr.reserves, lang), lang, css_class="fe-reserves") if len(pr.reserves)
                     else W.HTML(tag("p", L("progress.reserves_none"))))
        parts.append(W.HTML(tag("h3", L("progress.outside"))))
        parts.append(grid(outside_table(pr.outside, lang), lang, css_class="fe-outside") if len(pr.outside)
                     else W.HTML(tag("p", L("progress.outside_none"), class_="fe-outside-none")))
        self.widget = W.VBox(parts)
        self.widget.add_class("fe-progress")


_PAGE = Prebuilt()


@guarded
def show(p) -> ProgressPage:  # noqa: ANN001 - toolkit.widgets.dashboard.Params
    """Display the progress dashboard for the notebook's parameters."""
    from IPython.display import display

    app = _PAGE.take((str(p.project), p.lang, id(load_progress(p.project)))) or ProgressPage(p.project, p.lang)
    display(app.widget)
    return app


__all__ = ["ProgressPage", "daily_chart", "daily_svg", "disposition_words", "dt_language", "grid", "load_progress",
           "outside_table", "percent", "percent_series", "preload", "reserves_table", "section", "show",
           "summary_line", "svg_of", "team_table", "visit_result_words"]
