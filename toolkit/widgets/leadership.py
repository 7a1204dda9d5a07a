"""领导看板: the scorecard for union leaders — de-identified, per county.

Pure functions (tested without a browser) take the raw scorecard (see
:func:`toolkit.verify.scorecard.build`) and county aggregates; the widget
only arranges them. Nothing here reads the roster: leaders see counties,
rates, intervals and counts (counts 1 … k−1 suppressed as "<k", k the
project's one small-cell setting, toolkit.project.rules), never a name,
ID number, phone, address or archive id.
"""
from __future__ import annotations

import base64
import io
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd

from toolkit.html import Markup, join, tag
from toolkit.html import table as html_table
from toolkit.i18n import t
from toolkit.widgets.dashboard import Prebuilt, guarded
from toolkit.verify.indicators import ALL, ASPECTS, INDICATORS

SMALL_CELL = 5   # default k; the project's setting arrives with the results
VERDICT_COLOURS = {"pass": "#1b7f3b", "fail": "#b3261e", "inconclusive": "#b26a00", "no_interval": "#6d4c41", "info": "#555",
                   "no_data": "#888"}
FINDING_FLAGS = ("wrong_inclusion", "missed_exit", "wrong_exit", "missed", "precision_error")


def indicator_name(name: str, lang: str = "zh") -> str:
    """An indicator's display name."""
    spec = {i.name: i for i in INDICATORS}.get(name)
    return name if spec is None else (spec.zh if lang == "zh" else spec.en)


def county_label(county: str, lang: str = "zh") -> str:
    """'全市' shown as the whole city in ``lang``."""
    return t("widgets.lead.all", lang) if county == ALL else county


def pct(x: float) -> str:
    """A share as a percentage with one decimal ('–' when missing)."""
    return "–" if x is None or pd.isna(x) else f"{float(x) * 100:.1f}%"


def counties(scorecard: pd.DataFrame) -> list[str]:
    """全市 first, then the counties in scorecard order."""
    cs = list(dict.fromkeys(scorecard["county"].astype(str)))
    return [ALL] + [c for c in cs if c != ALL]


def cards(scorecard: pd.DataFrame, county: str = ALL, lang: str = "zh") -> pd.DataFrame:
    """One row per indicator for ``county``: indicator, name, aspect, estimate,
    ci_low, ci_high, n, threshold, direction, verdict, shown (the percentage text)."""
    c = scorecard[scorecard["county"] == county].copy()
    c["name"] = c["indicator"].map(lambda i: indicator_name(i, lang))
    c["shown"] = c["estimate"].map(pct)
    return c[["indicator", "name", "aspect", "estimate", "ci_low", "ci_high", "n", "threshold", "direction",
              "verdict", "shown"]].reset_index(drop=True)


def threshold_text(threshold: float, direction: str, lang: str = "zh") -> str:
    """The threshold in words: 'below 5.0%' for rates that must stay low, 'at least 90.0%' otherwise."""
    if threshold is None or pd.isna(threshold):
        return t("lpage.card.no_threshold", lang)
    return t("lpage.threshold.max" if direction == "max" else "lpage.threshold.min", lang, value=pct(threshold))


def card_html(row: pd.Series, lang: str = "zh") -> Markup:
    """One indicator card (estimate, interval, sample size, threshold, verdict in words), escaped.
    Cards are 210 px wide in a wrapping row and take the whole width on a phone (PAGE_CSS)."""
    col = VERDICT_COLOURS.get(row["verdict"], "#555")
    ci = "" if pd.isna(row["ci_low"]) else t("lpage.card.interval", lang, low=pct(row["ci_low"]),
                                            high=pct(row["ci_high"]))
    n = t("lpage.card.sample", lang, n=int(row["n"])) if pd.notna(row["n"]) else ""
    small = "font-size:80%"
    return tag("div",
               tag("div", row["name"], style="font-size:90%"),
               tag("div", row["shown"], class_="fe-card-value", style="font-size:160%;font-weight:bold"),
               tag("div", " · ".join(x for x in (ci, n) if x), style=small),
               tag("div", threshold_text(row["threshold"], row["direction"], lang), " · ",
                   tag("span", t("verify.verdict." + str(row["verdict"]), lang), style=f"color:{col}"), style=small),
               class_="fe-card", data_indicator=row["indicator"], style=f"border-left:6px solid {col}")


def cards_html(scorecard: pd.DataFrame, county: str = ALL, lang: str = "zh") -> Markup:
    """Every indicator card of ``county`` in a wrapping row (one card a row on a phone)."""
    return tag("div", *(card_html(row, lang) for _, row in cards(scorecard, county, lang).iterrows()),
               class_="fe-card-row")


def words(df: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """A leadership table with its column names in words (finding, households, answer, share, n)."""
    names = {"finding": "lpage.col.finding", "households": "lpage.col.households", "answer": "lpage.col.answer",
             "share": "lpage.col.share", "n": "lpage.col.sample"}
    return df.rename(columns={c: t(k, lang) for c, k in names.items() if c in df.columns})


def drill_html(households: pd.DataFrame, sat: pd.DataFrame, rounds: dict[str, pd.DataFrame], county: str,
               lang: str = "zh", k: int = SMALL_CELL) -> Markup:
    """The county drill-down: findings counts, satisfaction and (with more than
    one round) the round comparison — counts and rates only, headers in words, escaped;
    each table scrolls inside its own box when it is wider than the screen."""
    parts = [tag("h3", t("widgets.lead.drill", lang, county=county_label(county, lang))),
             tag("div",
                 tag("div", tag("h4", t("widgets.lead.findings", lang)),
                     _table_html(words(finding_counts(households, county, lang, k), lang), "fe-findings")),
                 tag("div", tag("h4", t("widgets.lead.satisfaction", lang)),
                     _table_html(words(satisfaction(sat, county, lang), lang), "fe-sat")),
                 class_="fe-drill-row")]
    if len(rounds) > 1:
        parts += [tag("h4", t("widgets.lead.rounds", lang)),
                  _table_html(compare_rounds(rounds, county, lang), "fe-rounds")]
    return join(*parts)


def ranking(scorecard: pd.DataFrame, indicator: str) -> pd.DataFrame:
    """Counties (not 全市) for one indicator, best first: ascending for
    rates that must stay low (direction max), descending otherwise; missing last."""
    r = scorecard[(scorecard["indicator"] == indicator) & (scorecard["county"] != ALL)].copy()
    asc = (r["direction"].iloc[0] == "max") if len(r) else True
    return r.sort_values("estimate", ascending=asc, na_position="last").reset_index(drop=True)


# the forest plot's geometry, in SVG user units (the drawing scales to the width of its box)
_W, _LEFT, _RIGHT, _TOP, _ROW, _AXIS = 360, 84, 14, 30, 40, 44


_HALO = {"stroke": "#fff", "stroke_width": 3, "paint_order": "stroke", "stroke_linejoin": "round"}  # white edge on words


def _ticks(lo: float, hi: float) -> list[float]:
    """About five round tick values (percent) covering [lo, hi], within 0 … 100."""
    span = max(hi - lo, 2.0)
    raw = span / 4
    mag = 10 ** np.floor(np.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    start, end = max(0.0, np.floor(lo / step) * step), min(100.0, np.ceil(hi / step) * step)
    if end <= start:
        end = start + step
    return [float(x) for x in np.arange(start, end + step / 2, step)]


def _num(x: float) -> str:
    return f"{x:.1f}"


def ranking_svg(rank: pd.DataFrame, indicator: str, lang: str = "zh") -> Markup:
    """The county ranking as a forest plot in SVG (vector: sharp on a phone, no image file):
    one row per county, best first, a dot at the estimate and a line over its
    confidence interval in the verdict's colour, the estimate, interval and verdict
    written under it in words, and the threshold as a dashed vertical line with its
    value in words. Built from the frame alone (no matplotlib), escaped by construction."""
    name = indicator_name(indicator, lang)
    title = t("lpage.chart.title", lang, indicator=name)
    est = rank["estimate"].to_numpy(dtype=float) * 100
    lo = rank["ci_low"].to_numpy(dtype=float) * 100
    hi = rank["ci_high"].to_numpy(dtype=float) * 100
    th = rank["threshold"].dropna()
    thv = float(th.iloc[0]) * 100 if len(th) else np.nan
    direction = str(rank["direction"].iloc[0]) if len(rank) else "min"
    vals = np.concatenate([est, lo, hi, [thv]])
    vals = vals[np.isfinite(vals)]
    if not len(rank) or not len(vals):
        return tag("p", t("lpage.chart.empty", lang), class_="fe-chart-empty")
    ticks = _ticks(float(vals.min()), float(vals.max()))
    d0, d1 = ticks[0], ticks[-1]
    width = _W - _LEFT - _RIGHT
    x = lambda v: _LEFT + (min(max(v, d0), d1) - d0) / (d1 - d0) * width  # noqa: E731
    height = _TOP + _ROW * len(rank) + _AXIS
    bottom = _TOP + _ROW * len(rank)
    parts: list[Markup] = [tag("title", title)]
    for v in ticks:   # grid and tick labels
        parts.append(tag("line", x1=_num(x(v)), x2=_num(x(v)), y1=_TOP - 4, y2=bottom, stroke="#e3e3e3"))
        parts.append(tag("text", f"{v:g}%", x=_num(x(v)), y=bottom + 14, text_anchor="middle", font_size=10,
                         fill="#555"))
    parts.append(tag("text", t("lpage.chart.axis", lang, indicator=name), x=_num(_LEFT + width / 2),
                     y=bottom + 32, text_anchor="middle", font_size=11, fill="#333"))
    if np.isfinite(thv):   # under the rows: the words stay readable where it crosses them
        tx = x(thv)
        parts.append(tag("line", x1=_num(tx), x2=_num(tx), y1=_TOP - 8, y2=bottom, stroke="#222", stroke_width=1.5,
                         stroke_dasharray="5 3", class_="fe-threshold", data_threshold=_num(thv)))
        anchor = "end" if tx > _LEFT + width * 0.6 else "start"
        parts.append(tag("text", threshold_text(thv / 100, direction, lang), x=_num(tx + (-4 if anchor == "end" else 4)),
                         y=_TOP - 12, text_anchor=anchor, font_size=11, fill="#222", class_="fe-threshold-label"))
    for i, (_, r) in enumerate(rank.iterrows()):
        y = _TOP + _ROW * i + 14
        col = VERDICT_COLOURS.get(str(r["verdict"]), "#555")
        verdict = t(f"verify.verdict.{r['verdict']}", lang)
        parts.append(tag("text", r["county"], x=_LEFT - 8, y=y + 4, text_anchor="end", font_size=12.5, fill="#222"))
        g: list[Markup] = []
        if np.isfinite(lo[i]) and np.isfinite(hi[i]):
            g.append(tag("line", x1=_num(x(lo[i])), x2=_num(x(hi[i])), y1=y, y2=y, stroke=col, stroke_width=3,
                         stroke_linecap="round", class_="fe-interval"))
        if np.isfinite(est[i]):
            g.append(tag("circle", cx=_num(x(est[i])), cy=y, r=5, fill=col, stroke="#fff", stroke_width=1,
                         class_="fe-estimate"))
            caption = t("lpage.chart.row", lang, estimate=pct(r["estimate"]), low=pct(r["ci_low"]),
                        high=pct(r["ci_high"]), verdict="")
            g.append(tag("text", caption, tag("tspan", verdict, fill=col, font_weight="bold"), x=_LEFT, y=y + 18,
                         font_size=11, fill="#444", **_HALO))
        else:
            g.append(tag("text", t("lpage.chart.no_estimate", lang), x=_LEFT, y=y + 4, font_size=10.5, fill="#888"))
        parts.append(tag("g", *g, class_="fe-county-row", data_county=r["county"]))
    return tag("svg", *parts, xmlns="http://www.w3.org/2000/svg", viewbox=f"0 0 {_W} {height}", role="img",
               aria_label=title, font_family="sans-serif", class_="fe-forest",
               style="width:100%;max-width:540px;height:auto;display:block")


def ranking_html(rank: pd.DataFrame, indicator: str, lang: str = "zh") -> Markup:
    """The forest plot with its legend in words underneath."""
    return join(ranking_svg(rank, indicator, lang),
                tag("div", t("lpage.chart.legend", lang), class_="fe-chart-legend", style="font-size:85%;color:#444"))


def ranking_figure(rank: pd.DataFrame, indicator: str, lang: str = "zh"):  # noqa: ANN201 - matplotlib Figure
    """Horizontal bars of the county estimates with interval whiskers and the threshold
    (a matplotlib figure for reports; the page draws :func:`ranking_svg`)."""
    from matplotlib.figure import Figure

    from toolkit.widgets.dashboard import setup_matplotlib

    setup_matplotlib()
    fig = Figure(figsize=(7, 0.45 * max(len(rank), 2) + 1.2), dpi=90)
    ax = fig.add_subplot(1, 1, 1)
    r = rank.iloc[::-1]
    est = r["estimate"].to_numpy(dtype=float) * 100
    lo = np.clip(est - r["ci_low"].to_numpy(dtype=float) * 100, 0, None)
    hi = np.clip(r["ci_high"].to_numpy(dtype=float) * 100 - est, 0, None)
    colours = [VERDICT_COLOURS.get(v, "#555") for v in r["verdict"]]
    ax.barh(r["county"], np.nan_to_num(est), color=colours, alpha=0.75)
    ax.errorbar(np.nan_to_num(est), np.arange(len(r)), xerr=[np.nan_to_num(lo), np.nan_to_num(hi)], fmt="none",
                ecolor="black", capsize=3)
    th = r["threshold"].dropna()
    if len(th):
        ax.axvline(th.iloc[0] * 100, color="#333", linestyle="--", linewidth=1)
    ax.set_xlabel(f"{indicator_name(indicator, lang)} (%)")
    fig.tight_layout()
    return fig


def figure_png(fig) -> bytes:  # noqa: ANN001
    """A matplotlib figure as PNG bytes."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def suppress(counts: pd.Series, k: int = SMALL_CELL) -> pd.Series:
    """Counts as text with 1 … k−1 shown as '<k' (toolkit.project.rules.suppress_counts)."""
    from toolkit.project.rules import suppress_counts

    return suppress_counts(counts, k)


def finding_counts(households: pd.DataFrame, county: str = ALL, lang: str = "zh",
                   k: int = SMALL_CELL) -> pd.DataFrame:
    """Households flagged per finding type in ``county`` (all when 全市): finding, households (suppressed).
    ``households``: the households' rows, or the leadership extract's counts
    (county, finding, households, suppressed: toolkit.project.leadership_extract)."""
    if {"finding", "suppressed"} <= set(households.columns):
        c = households[households["county"].astype(str) == county].set_index("finding")
        rows = [(indicator_name(f, lang) if f != "precision_error" else t("widgets.lead.precision_error", lang),
                 f"<{k}" if f in c.index and bool(c.at[f, "suppressed"]) else
                 str(int(c.at[f, "households"])) if f in c.index and pd.notna(c.at[f, "households"]) else "0")
                for f in FINDING_FLAGS]
        return pd.DataFrame(rows, columns=["finding", "households"])
    h = households if county == ALL else households[households["county"] == county]
    rows = [(indicator_name(f, lang) if f != "precision_error" else t("widgets.lead.precision_error", lang),
             int((h[f] == 1).sum()) if f in h else 0) for f in FINDING_FLAGS]
    df = pd.DataFrame(rows, columns=["finding", "n"])
    df["households"] = suppress(df["n"], k)
    return df[["finding", "households"]]


def satisfaction(distribution: pd.DataFrame, county: str = ALL, lang: str = "zh") -> pd.DataFrame:
    """Design-weighted distribution of G1 overall satisfaction in ``county``
    (the stored toolkit.project.summaries distribution, the report's): answer, share."""
    labels = {5: t("widgets.lead.sat5", lang), 4: t("widgets.lead.sat4", lang), 3: t("widgets.lead.sat3", lang),
              2: t("widgets.lead.sat2", lang), 1: t("widgets.lead.sat1", lang)}
    d = distribution if {"item", "county", "answer", "share"} <= set(distribution.columns) else pd.DataFrame()
    if len(d):
        d = d[(d["item"] == "sat_overall") & (d["county"].astype(str) == county)]
    share = dict(zip(d["answer"].astype(int), d["share"])) if len(d) else {}
    return pd.DataFrame({"answer": list(labels.values()),
                         "share": [pct(share[k]) if k in share and pd.notna(share[k]) else "–" for k in labels]})


def compare_rounds(rounds: dict[str, pd.DataFrame], county: str = ALL, lang: str = "zh") -> pd.DataFrame:
    """Estimates of every indicator in ``county`` per round (columns in round
    order) and the change from the first to the last round (percentage points)."""
    cols = {}
    for name, sc in rounds.items():
        c = sc[sc["county"] == county].set_index("indicator")["estimate"]
        cols[name] = c
    df = pd.DataFrame(cols)
    order = [i.name for i in INDICATORS if i.name in df.index]
    df = df.reindex(order)
    if len(rounds) > 1:
        first, last = list(rounds)[0], list(rounds)[-1]
        df[t("widgets.lead.change", lang)] = ((df[last] - df[first]) * 100).round(1)
    for name in rounds:
        df[name] = df[name].map(pct)
    df.index = [indicator_name(i, lang) for i in df.index]
    return df.rename_axis(t("widgets.lead.indicator", lang)).reset_index()


def view_tables(scorecard: pd.DataFrame, households: pd.DataFrame, distribution: pd.DataFrame,
                rounds: dict[str, pd.DataFrame], county: str, lang: str = "zh",
                k: int = SMALL_CELL) -> dict[str, pd.DataFrame]:
    """The tables of the current view, for export: indicators, findings,
    satisfaction and (with more than one round) the round comparison."""
    c = cards(scorecard, county, lang)
    ind = pd.DataFrame({t("widgets.lead.indicator", lang): c["name"],
                        t("widgets.lead.aspect", lang): c["aspect"].map(lambda a: ASPECTS[a][0 if lang == "zh" else 1]),
                        t("widgets.lead.estimate", lang): c["shown"],
                        t("widgets.lead.ci", lang): [f"[{pct(a)}, {pct(b)}]" for a, b in zip(c["ci_low"], c["ci_high"])],
                        t("lpage.col.sample", lang): c["n"],
                        t("widgets.lead.verdict", lang): c["verdict"].map(lambda v: t(f"verify.verdict.{v}", lang))})
    out = {t("widgets.lead.sheet_indicators", lang): ind,
           t("widgets.lead.sheet_findings", lang): words(finding_counts(households, county, lang, k), lang),
           t("widgets.lead.sheet_satisfaction", lang): words(satisfaction(distribution, county, lang), lang)}
    if len(rounds) > 1:
        out[t("widgets.lead.sheet_rounds", lang)] = compare_rounds(rounds, county, lang)
    return out


def export_view(tables: dict[str, pd.DataFrame], path: str | Path) -> Path:
    """Write the view's tables to an xlsx workbook (one sheet each; toolkit.tables: atomic, formula-safe)."""
    from toolkit.tables import write_workbook

    return write_workbook(path, tables)


def _table_html(df: pd.DataFrame, cls: str) -> Markup:
    """A table in a box that scrolls sideways on its own when wider than the screen (never the page)."""
    return tag("div", html_table(df, cls, border=0), class_="fe-table-box")


# --- the widget ---------------------------------------------------------------------------------
# The page's one style sheet: cards 210 px wide in a wrapping row, one card a row below 560 px,
# tables scroll inside their own box, controls wrap; nothing wider than the screen (a phone at 390 px).
PAGE_CSS = """
.fe-leadership { max-width: 100%; box-sizing: border-box; overflow-wrap: anywhere; }
.fe-leadership > * { max-width: 100%; box-sizing: border-box; }
.fe-leadership .fe-card-row { display: flex; flex-wrap: wrap; }
.fe-leadership .fe-card { box-sizing: border-box; width: 210px; max-width: 100%; margin: 4px;
  padding: 6px 10px; background: #fafafa; }
.fe-leadership .fe-card div { margin: 2px 0; }
.fe-leadership .fe-drill-row { display: flex; flex-wrap: wrap; column-gap: 24px; }
.fe-leadership .fe-table-box { max-width: 100%; overflow-x: auto; }
.fe-leadership .widget-dropdown { max-width: 100%; }
@media (max-width: 560px) {
  .fe-leadership .fe-card { width: 100%; margin: 4px 0; }
  .fe-leadership .widget-dropdown { width: 100%; margin-left: 0; margin-right: 0; }
  .fe-leadership .widget-dropdown .widget-label { width: auto; min-width: 4em; }
}
"""

_VIEW: dict[tuple, Markup] = {}   # (what, key, lang) → HTML, for the results object in _VIEW_OF
_VIEW_OF: list = [None]           # held, so that a new results object can never reuse the old one's id


def _cached(results, what: str, key: str, lang: str, make) -> Markup:  # noqa: ANN001
    """``make()`` once per results object (new results after a new verification are a
    new object, toolkit.widgets.data), so each view is drawn once per fingerprint."""
    if _VIEW_OF[0] is not results:
        _VIEW.clear()
        _VIEW_OF[0] = results
    k = (what, key, lang)
    if k not in _VIEW:
        _VIEW[k] = make()
    return _VIEW[k]


def preload(project: object = "", lang: str = "zh") -> None:
    """While the kernel is preheated (before any request): read the project's
    results, draw the default view's HTML in both languages and build the page
    in the notebook's language (:class:`toolkit.widgets.dashboard.Prebuilt`),
    so that after the request the page is only displayed."""
    import ipywidgets  # noqa: F401

    from toolkit.widgets.data import load_leadership, resolve_project

    try:
        root = resolve_project(project)   # type: ignore[arg-type]
        _PRE["results"] = r = load_leadership(root)   # the de-identified extract, never the key (issue 20)
    except Exception:  # noqa: BLE001 - shown by show() with the real message
        _PRE.pop("results", None)
        return
    for lg in ("zh", "en"):
        Views(r, lg).warm()
    _PAGE.put((str(root), lang, id(r)), lambda: Leadership(r, lang, root))
    v = Views(r, lang)
    for ind in v.indicators():   # every ranking in the page's language: an indicator change only sends it
        v.chart(ind)


_PRE: dict = {}
_PAGE = Prebuilt()   # the page built while preheated (toolkit.widgets.dashboard.Prebuilt)


class Views:
    """The HTML pieces of the page for one results object and language (cached)."""

    def __init__(self, results, lang: str) -> None:  # noqa: ANN001
        self.r, self.lang = results, lang
        self.sat = getattr(results, "satisfaction", {}).get("distribution", pd.DataFrame())
        self.k = int(getattr(results, "small_cell", SMALL_CELL))

    def cards(self, county: str) -> Markup:
        from toolkit.reconcile.page import card_html as reconcile_card   # 系统数据核对（无区间）, issue 19

        return _cached(self.r, "cards", county, self.lang,
                       lambda: join(cards_html(self.r.scorecard, county, self.lang),
                                    reconcile_card(self.r.evaluation, county, self.lang,
                                                   getattr(self.r, "consistency", None))))

    def detail(self, county: str) -> Markup:
        from toolkit.widgets.rounds_pane import change_html   # change since the last round (issue 19)

        return _cached(self.r, "detail", county, self.lang,
                       lambda: join(drill_html(self.r.households, self.sat, self.r.rounds, county, self.lang, self.k),
                                    change_html(self.r, county, self.lang, self.k)))

    def chart(self, indicator: str) -> Markup:
        from toolkit.maps.svg import county_map_html   # the verdict map above the ranking (issue 22)

        return _cached(self.r, "chart", indicator, self.lang,
                       lambda: join(county_map_html(self.r, indicator, self.lang),
                                    ranking_html(ranking(self.r.scorecard, indicator), indicator, self.lang)))

    def indicators(self) -> list[str]:
        have = set(self.r.scorecard["indicator"])
        return [i.name for i in INDICATORS if i.name in have]

    def warm(self) -> None:
        """The default view (whole city, first indicator)."""
        self.cards(ALL)
        self.detail(ALL)
        if self.indicators():
            self.chart(self.indicators()[0])


class Leadership:
    """The leadership dashboard: ``Leadership(results, lang, project).widget``."""

    def __init__(self, results, lang: str = "zh", project: Path | None = None,  # noqa: ANN001
                 county: str = ALL) -> None:
        import ipywidgets as W

        self.r, self.lang, self.project = results, lang, project
        self.views = Views(results, lang)
        self.sat, self.k = self.views.sat, self.views.k
        sc = results.scorecard
        full = W.Layout(max_width="100%")
        self.county = W.Dropdown(options=[(county_label(c, lang), c) for c in counties(sc)],
                                 value=county if county in counties(sc) else ALL,
                                 description=t("widgets.lead.county", lang), layout=full)
        self.county.add_class("fe-county")
        inds = self.views.indicators()
        self.indicator = W.Dropdown(options=[(indicator_name(i, lang), i) for i in inds],
                                    value=inds[0] if inds else None,
                                    description=t("widgets.lead.rank_by", lang), layout=full)
        self.indicator.add_class("fe-indicator")
        self.cards = W.HTML()
        self.cards.add_class("fe-cards")
        self.chart = W.HTML()
        self.chart.add_class("fe-chart")
        self.detail = W.HTML()
        self.detail.add_class("fe-detail")
        self.export = W.Button(description=t("widgets.lead.export", lang))
        self.export.add_class("fe-export")
        self.link = W.HTML()
        self.county.observe(lambda _: self.update_county(), names="value")
        self.indicator.observe(lambda _: self.update_chart(), names="value")
        self.export.on_click(lambda _: self.do_export())
        head = W.HTML(join(tag("style", PAGE_CSS),
                           tag("h2", f"{t('widgets.lead.title', lang)} · {results.evaluation.name}")))
        self.widget = W.VBox([head, W.HBox([self.county, self.export, self.link],
                                           layout=W.Layout(flex_flow="row wrap", max_width="100%")),
                              self.cards, W.HTML(tag("h3", t("widgets.lead.ranking", lang))), self.indicator,
                              self.chart, self.detail], layout=W.Layout(max_width="100%"))
        self.widget.add_class("fe-leadership")
        self.update_county()
        self.update_chart()

    def update_county(self) -> None:
        """Cards and drill-down for the chosen county."""
        c = self.county.value
        self.cards.value = self.views.cards(c)
        self.detail.value = self.views.detail(c)

    def update_chart(self) -> None:
        """The county ranking (forest plot) for the chosen indicator."""
        if self.indicator.value:
            self.chart.value = self.views.chart(self.indicator.value)

    def do_export(self) -> Path:
        """Write the view to output/exports and offer it as a download link (no server round trip)."""
        c = self.county.value
        tables = view_tables(self.r.scorecard, self.r.households, self.sat, self.r.rounds, c, self.lang, self.k)
        root = self.project or Path(".")
        p = export_view(tables, root / "output" / "exports" /
                        f"leadership_{c}_{datetime.now():%Y%m%d_%H%M%S}.xlsx")
        b64 = base64.b64encode(p.read_bytes()).decode()
        self.link.value = tag("a", t("widgets.lead.download", self.lang), class_="fe-download", download=p.name,
                              href="data:application/vnd.openxmlformats-officedocument.spreadsheetml.sheet;base64,"
                              + b64)
        return p


@guarded
def show(p) -> Leadership:  # noqa: ANN001 - toolkit.widgets.dashboard.Params
    """Display the leadership dashboard for the notebook's parameters."""
    from IPython.display import display

    from toolkit.widgets.data import load_leadership

    r = load_leadership(p.project)
    county = p.query.get("county", ALL)
    app = _PAGE.take((str(p.project), p.lang, id(r)))
    if app is None:
        app = Leadership(r, p.lang, p.project, county=county)
    elif county in counties(r.scorecard):
        app.county.value = county
    display(app.widget)
    return app


__all__ = [
    "Leadership",
    "card_html",
    "cards",
    "cards_html",
    "compare_rounds",
    "counties",
    "drill_html",
    "export_view",
    "finding_counts",
    "preload",
    "ranking",
    "ranking_figure",
    "ranking_html",
    "ranking_svg",
    "satisfaction",
    "show",
    "suppress",
    "threshold_text",
    "view_tables",
    "words",
]
