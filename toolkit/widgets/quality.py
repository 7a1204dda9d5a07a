"""数据质量: high-frequency checks per enumerator and day, from ``fieldeval ingest``'s outputs.

Reads the ingest directory (``toolkit.ingest.pipeline.load_outputs``:
submissions with ``_status``, ``issues.csv``) and runs
:mod:`toolkit.ingest.quality`'s checks with the project's ``[quality]``
settings; :func:`by_enumerator_day` adds the per-day breakdown a field
manager reads every evening. Evaluator side (enumerator codes, no households).
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from toolkit.html import Markup, tag
from toolkit.html import table as html_table
from toolkit.i18n import t
from toolkit.widgets.dashboard import guarded

DAY_COLUMNS = ("enumerator", "day", "interviews", "median_minutes", "short", "dont_know_rate", "issues",
               "quarantined")


def quality_settings(evaluation):  # noqa: ANN001, ANN201 - Evaluation -> QualitySettings
    """The ``[quality]`` settings of the project (defaults for the rest)."""
    from dataclasses import fields

    from toolkit.ingest.quality import QualitySettings

    table = evaluation.extra.get("quality", {}) if isinstance(evaluation.extra.get("quality"), dict) else {}
    known = {f.name for f in fields(QualitySettings)}
    return QualitySettings(**{k: v for k, v in table.items() if k in known})


def by_enumerator_day(subs, form, settings, issues: pd.DataFrame | None = None) -> pd.DataFrame:  # noqa: ANN001
    """One row per enumerator × interview day: interviews, median minutes,
    short interviews (below the duration setting), don't-know/refusal rate,
    issues found by ingest and quarantined submissions."""
    from toolkit.ingest.quality import dont_know_matrix, interview_minutes

    m = subs.main.reset_index(drop=True)
    if not len(m):
        return pd.DataFrame(columns=list(DAY_COLUMNS))
    enum = m["enumerator"].astype(object).fillna("") if "enumerator" in m else m.get("interviewer_1", "")
    day = pd.to_datetime(m.get("start", m.get("today")), errors="coerce").dt.date.astype(str)
    mins = interview_minutes(subs, form).reset_index(drop=True)
    names, ans, dk, rf = dont_know_matrix(subs, form)
    n_iss = pd.Series(0, index=m.index)
    if issues is not None and len(issues) and "key" in issues:
        n_iss = m["KEY"].map(issues["key"].value_counts()).fillna(0).astype(int)
    low = getattr(settings, "min_minutes", None) or getattr(settings, "duration_min_minutes", None) or 10
    f = pd.DataFrame({"enumerator": enum, "day": day, "minutes": mins, "short": (mins < float(low)).astype(int),
                      "answered": ans.sum(1) if names else 0, "dk": (dk | rf).sum(1) if names else 0,
                      "issues": n_iss, "quarantined": (m.get("_status", "accepted") == "quarantined").astype(int)})
    g = f.groupby(["enumerator", "day"], sort=True)
    out = pd.DataFrame({"interviews": g.size(), "median_minutes": g["minutes"].median().round(1),
                        "short": g["short"].sum()})
    a, d = g["answered"].sum(), g["dk"].sum()
    out["dont_know_rate"] = (d / a.where(a > 0)).fillna(0.0).round(4)
    out["issues"] = g["issues"].sum()
    out["quarantined"] = g["quarantined"].sum()
    return out.reset_index()[list(DAY_COLUMNS)]


def summary(checks: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Rows per check (how many things each one flagged)."""
    return pd.DataFrame({"check": list(checks), "rows": [len(v) for v in checks.values()]})


def days_html(days: pd.DataFrame) -> Markup:
    """The per-enumerator-day table (escaped: enumerator codes come from the devices)."""
    return html_table(days, "fe-days-table")


def check_html(rows: pd.DataFrame, lang: str = "zh") -> Markup:
    """The rows one check flagged (first 200, escaped) or a "clean" line."""
    return html_table(rows.head(200)) if len(rows) else tag("i", t("widgets.qual.clean", lang))


_PRE: dict = {}


def preload(project: object = "") -> None:
    """Import the quality checks while the kernel is preheated."""
    import toolkit.ingest.quality  # noqa: F401


class Quality:
    """The data-quality dashboard: ``Quality(project, lang).widget``."""

    def __init__(self, project: Path, lang: str = "zh") -> None:
        import ipywidgets as W

        from toolkit.config import load
        from toolkit.forms import read_xlsform
        from toolkit.ingest.pipeline import load_outputs
        from toolkit.ingest.quality import run_all
        from toolkit.widgets.data import visits_dir
        from toolkit.widgets.entry_logic import FORM_FILE

        self.lang = lang
        ev = load(project)
        vdir = visits_dir(Path(project))
        if vdir is None:
            from toolkit.errors import UserError

            raise UserError("widgets.no_visits", path=str(Path(project) / "output"))
        subs, _ = load_outputs(vdir)
        form = read_xlsform(FORM_FILE)
        issues = pd.read_csv(vdir / "issues.csv") if (vdir / "issues.csv").exists() else None
        s = quality_settings(ev)
        self.days = by_enumerator_day(subs, form, s, issues)
        self.checks = run_all(subs, form, s, issues=issues)
        L = lambda k: t(f"widgets.qual.{k}", lang)  # noqa: E731
        enums = ["", *sorted(self.days["enumerator"].astype(str).unique())]
        self.enum = W.Dropdown(options=[(L("all") if e == "" else e, e) for e in enums], description=L("enumerator"))
        self.enum.add_class("fe-enum")
        self.table = W.HTML()
        self.table.add_class("fe-days")
        self.check = W.Dropdown(options=[(c, c) for c in self.checks], description=L("check"))
        self.detail = W.HTML()
        self.enum.observe(lambda _: self.update(), names="value")
        self.check.observe(lambda _: self.update_check(), names="value")
        self.widget = W.VBox([W.HTML(tag("h2", L("title"))), W.HTML(tag("h3", L("by_day"))), self.enum,
                              self.table, W.HTML(tag("h3", L("checks"))),
                              W.HTML(html_table(summary(self.checks))), self.check, self.detail])
        self.widget.add_class("fe-quality")
        self.update()
        self.update_check()

    def update(self) -> None:
        """The per-day table, for one enumerator or all."""
        d = self.days if not self.enum.value else self.days[self.days["enumerator"] == self.enum.value]
        self.table.value = days_html(d)

    def update_check(self) -> None:
        """The rows one check flagged (first 200)."""
        df = self.checks.get(self.check.value, pd.DataFrame())
        self.detail.value = check_html(df, self.lang)


@guarded
def show(p) -> Quality:  # noqa: ANN001 - toolkit.widgets.dashboard.Params
    """Display the quality dashboard for the notebook's parameters."""
    from IPython.display import display

    app = Quality(p.project, p.lang)
    display(app.widget)
    return app


__all__ = ["Quality", "by_enumerator_day", "check_html", "days_html", "preload", "quality_settings", "show", "summary"]
