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
from toolkit.widgets.dashboard import guarded
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


def card_html(row: pd.Series, lang: str = "zh") -> Markup:
    """One indicator card (estimate, interval, threshold, verdict), escaped."""
    col = VERDICT_COLOURS.get(row["verdict"], "#555")
    th = "" if pd.isna(row["threshold"]) else \
        f"{'<' if row['direction'] == 'max' else '≥'}{row['threshold'] * 100:.1f}%"
    ci = "" if pd.isna(row["ci_low"]) else f"[{pct(row['ci_low'])}, {pct(row['ci_high'])}]"
    small = "font-size:80%"
    return tag("div",
               tag("div", row["name"], style="font-size:90%"),
               tag("div", row["shown"], class_="fe-card-value", style="font-size:160%;font-weight:bold"),
               tag("div", f"{ci} n={int(row['n'])}", style=small),
               tag("div", f"{t('widgets.lead.threshold', lang)} {th} · ",
                   tag("span", t("verify.verdict." + str(row["verdict"]), lang), style=f"color:{col}"), style=small),
               class_="fe-card", data_indicator=row["indicator"],
               style=f"border-left:6px solid {col};padding:6px 10px;margin:4px;width:210px;background:#fafafa")


def cards_html(scorecard: pd.DataFrame, county: str = ALL, lang: str = "zh") -> Markup:
    """Every indicator card of ``county`` in a wrapping row."""
    return tag("div", *(card_html(row, lang) for _, row in cards(scorecard, county, lang).iterrows()),
               style="display:flex;flex-wrap:wrap")


def drill_html(households: pd.DataFrame, sat: pd.DataFrame, rounds: dict[str, pd.DataFrame], county: str,
               lang: str = "zh", k: int = SMALL_CELL) -> Markup:
    """The county drill-down: findings counts, satisfaction and (with more than
    one round) the round comparison — counts and rates only, escaped."""
    parts = [tag("h3", t("widgets.lead.drill", lang, county=county_label(county, lang))),
             tag("div",
                 tag("div", tag("h4", t("widgets.lead.findings", lang)),
                     _table_html(finding_counts(households, county, lang, k), "fe-findings")),
                 tag("div", tag("h4", t("widgets.lead.satisfaction", lang)),
                     _table_html(satisfaction(sat, county, lang), "fe-sat")),
                 style="display:flex;gap:24px")]
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


def ranking_figure(rank: pd.DataFrame, indicator: str, lang: str = "zh"):  # noqa: ANN201 - matplotlib Figure
    """Horizontal bars of the county estimates with interval whiskers and the threshold."""
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
    """Households flagged per finding type in ``county`` (all when 全市): finding, households (suppressed)."""
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
                        "n": c["n"],
                        t("widgets.lead.verdict", lang): c["verdict"].map(lambda v: t(f"verify.verdict.{v}", lang))})
    out = {t("widgets.lead.sheet_indicators", lang): ind,
           t("widgets.lead.sheet_findings", lang): finding_counts(households, county, lang, k),
           t("widgets.lead.sheet_satisfaction", lang): satisfaction(distribution, county, lang)}
    if len(rounds) > 1:
        out[t("widgets.lead.sheet_rounds", lang)] = compare_rounds(rounds, county, lang)
    return out


def export_view(tables: dict[str, pd.DataFrame], path: str | Path) -> Path:
    """Write the view's tables to an xlsx workbook (one sheet each; toolkit.tables: atomic, formula-safe)."""
    from toolkit.tables import write_workbook

    return write_workbook(path, tables)


def _table_html(df: pd.DataFrame, cls: str) -> Markup:
    return html_table(df, cls, border=0)


# --- the widget ---------------------------------------------------------------------------------
_PRE: dict = {}


def preload(project: object = "") -> None:
    """Load the project's results while the kernel is preheated."""
    from toolkit.widgets.data import load_results

    try:
        _PRE["results"] = load_results(project or None)
    except Exception:  # noqa: BLE001 - shown by show() with the real message
        _PRE.pop("results", None)
        return
    # build the default view once: imports, the CJK font and the first chart are
    # then ready before anyone opens the page (first render under 3 s)
    Leadership(_PRE["results"], "zh")


_PNG: dict[tuple, bytes] = {}


class Leadership:
    """The leadership dashboard: ``Leadership(results, lang, project).widget``."""

    def __init__(self, results, lang: str = "zh", project: Path | None = None,  # noqa: ANN001
                 county: str = ALL) -> None:
        import ipywidgets as W

        self.r, self.lang, self.project = results, lang, project
        sc = results.scorecard
        self.sat = getattr(results, "satisfaction", {}).get("distribution", pd.DataFrame())
        self.k = int(getattr(results, "small_cell", SMALL_CELL))
        self.county = W.Dropdown(options=[(county_label(c, lang), c) for c in counties(sc)],
                                 value=county if county in counties(sc) else ALL,
                                 description=t("widgets.lead.county", lang))
        self.county.add_class("fe-county")
        inds = [i.name for i in INDICATORS if i.name in set(sc["indicator"])]
        self.indicator = W.Dropdown(options=[(indicator_name(i, lang), i) for i in inds], value=inds[0],
                                    description=t("widgets.lead.rank_by", lang))
        self.indicator.add_class("fe-indicator")
        self.cards = W.HTML()
        self.cards.add_class("fe-cards")
        self.chart = W.Image(format="png")
        self.chart.add_class("fe-chart")
        self.detail = W.HTML()
        self.detail.add_class("fe-detail")
        self.export = W.Button(description=t("widgets.lead.export", lang))
        self.export.add_class("fe-export")
        self.link = W.HTML()
        self.county.observe(lambda _: self.update_county(), names="value")
        self.indicator.observe(lambda _: self.update_chart(), names="value")
        self.export.on_click(lambda _: self.do_export())
        head = W.HTML(tag("h2", f"{t('widgets.lead.title', lang)} · {results.evaluation.name}"))
        self.widget = W.VBox([head, W.HBox([self.county, self.export, self.link]), self.cards,
                              W.HTML(tag("h3", t("widgets.lead.ranking", lang))), self.indicator, self.chart,
                              self.detail])
        self.widget.add_class("fe-leadership")
        self.update_county()
        self.update_chart()

    def update_county(self) -> None:
        """Cards and drill-down for the chosen county."""
        c, lang = self.county.value, self.lang
        self.cards.value = cards_html(self.r.scorecard, c, lang)
        self.detail.value = drill_html(self.r.households, self.sat, self.r.rounds, c, lang, self.k)

    def update_chart(self) -> None:
        """The county ranking for the chosen indicator."""
        key = (id(self.r.scorecard), self.indicator.value, self.lang)
        if key not in _PNG:
            _PNG[key] = figure_png(ranking_figure(ranking(self.r.scorecard, self.indicator.value),
                                                  self.indicator.value, self.lang))
        self.chart.value = _PNG[key]

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

    from toolkit.widgets.data import load_results

    app = Leadership(load_results(p.project), p.lang, p.project, county=p.query.get("county", ALL))
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
    "satisfaction",
    "show",
    "suppress",
    "view_tables",
]
