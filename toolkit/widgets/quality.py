"""数据质量: the field manager's page — one row of flags per interviewer, their submissions, charts.

What it reads (nothing ingest already wrote is computed again):

* the ingest folder (``toolkit.ingest.pipeline.load_outputs``): submissions
  with ``_status``, ``issues.csv``;
* ``quality.xlsx``, the high-frequency checks ``fieldeval ingest`` wrote
  (:mod:`toolkit.ingest.quality`, one sheet per check, titled in the
  ingest's language): read back by :func:`read_checks`. Only when an ingest
  kept no workbook are the checks run here (:func:`load_checks`);
* back-checks when the project has them (``output/field/backchecks.parquet``
  or ``.csv``, beside the field's dispositions, where a new ingest does not
  replace them: one row per compared item with ``enumerator`` and ``result``
  same / different / not_compared, as :func:`toolkit.verify.compare.compare`
  writes its table); without them the back-check column is absent.

:func:`interviewer_flags` makes ONE row per interviewer: interviews, median
length, short interviews (the duration check's "too short" rows), the
don't-know/refusal rate (the enumerators sheet), outlying answers (distinct
submission × question flagged by the outlier check), GPS problems and
duplicate submissions (distinct submissions flagged), and the back-check
error rate (different ÷ compared). For every one of these columns a higher
value is worse: :func:`worst` finds each column's worst value (> 0) and
:func:`flags_display` marks it. Clicking a row (or picking the interviewer)
lists that interviewer's submissions (:func:`submissions_of`), paged.
Charts: interviews per day and the distribution of interview length
(matplotlib → inline SVG). The field-progress section is
:func:`toolkit.widgets.progress.section`. Everything is in words, zh or en.

Evaluator side: interviewer codes and archive ids, no names.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from toolkit.html import Markup, esc, tag
from toolkit.ingest.issues_file import read_issues
from toolkit.html import table as html_table
from toolkit.i18n import t
from toolkit.vault import source as sealed_source
from toolkit.widgets.dashboard import Prebuilt, guarded
from toolkit.widgets.progress import grid, percent_series, svg_of

DAY_COLUMNS = ("enumerator", "day", "interviews", "median_minutes", "short", "dont_know_rate", "issues",
               "quarantined")
FLAG_COLUMNS = ("enumerator", "interviews", "median_minutes", "short", "dont_know_rate", "outliers", "gps",
                "duplicates")
"""The per-interviewer row (plus ``backcheck_error_rate`` when there are back-checks)."""
WORSE_IS_HIGHER = ("short", "dont_know_rate", "outliers", "gps", "duplicates", "backcheck_error_rate")
RATE_COLUMNS = ("dont_know_rate", "backcheck_error_rate")
SUB_COLUMNS = ("key", "date", "archive_id", "township", "result", "minutes", "status", "flags")
BACKCHECK_FILES = ("backchecks.parquet", "backchecks.csv")


def quality_settings(evaluation):  # noqa: ANN001, ANN201 - Evaluation -> QualitySettings
    """The ``[quality]`` settings of the project (defaults for the rest)."""
    from toolkit.ingest.quality import QualitySettings

    table = evaluation.extra.get("quality", {})
    return QualitySettings.from_mapping(table if isinstance(table, dict) else {})


# --------------------------------------------------------------------------- reading

def read_checks(path: Path) -> dict[str, pd.DataFrame] | None:
    """The checks ingest wrote beside ``quality.xlsx`` ({check name: frame}),
    or None when absent (toolkit.ingest.quality_words.read_checks)."""
    from toolkit.ingest.quality_words import read_checks as read

    return read(Path(path).parent) if Path(path).is_file() else None


def load_checks(vdir: Path, subs, form, settings, issues: pd.DataFrame | None):  # noqa: ANN001, ANN201
    """(checks, from_file): ``quality.xlsx`` when ingest wrote it, else the checks run now."""
    got = read_checks(vdir / "quality.xlsx")
    if got is not None and "enumerators" in got:
        return got, True
    from toolkit.ingest.quality import run_all

    return run_all(subs, form, settings, issues=issues), False


def read_backchecks(field_dir: Path) -> pd.DataFrame | None:
    """The project's back-check comparisons (module doc) from its field folder, or None."""
    for name in BACKCHECK_FILES:
        p = field_dir / name
        if p.is_file():
            f = pd.read_parquet(sealed_source(p)) if p.suffix == ".parquet" else pd.read_csv(sealed_source(p), dtype=str)
            if {"enumerator", "result"} <= set(f.columns):
                return f
    return None


def minutes_of(main: pd.DataFrame) -> pd.Series:
    """Interview length in minutes (end − start), NaN when either is missing."""
    if "start" not in main or "end" not in main:
        return pd.Series(np.nan, index=main.index)
    st = pd.to_datetime(main["start"], errors="coerce")
    en = pd.to_datetime(main["end"], errors="coerce")
    return (en - st).dt.total_seconds() / 60.0


# --------------------------------------------------------------------------- the per-interviewer row

def _text(col: pd.Series) -> pd.Series:
    """A column as text, blanks as "" (never "nan")."""
    return col.astype(object).where(col.notna(), "").astype(str)


def _by_enum(frame: pd.DataFrame | None, subset: list[str] | None = None, where: pd.Series | None = None) -> pd.Series:
    """Distinct rows (by ``subset``) per enumerator of one check's frame."""
    if frame is None or not len(frame) or "enumerator" not in frame:
        return pd.Series(dtype=int)
    f = frame if where is None else frame[where.to_numpy()]
    if subset:
        f = f.drop_duplicates([c for c in subset if c in f.columns])
    return _text(f["enumerator"]).value_counts()


def interviewer_flags(main: pd.DataFrame, checks: dict[str, pd.DataFrame],
                      backchecks: pd.DataFrame | None = None) -> pd.DataFrame:
    """ONE row per interviewer (module doc): FLAG_COLUMNS, plus
    ``backcheck_error_rate`` (different ÷ compared, NaN for an interviewer
    with nothing compared) only when ``backchecks`` is given. ``main``: the
    submissions (enumerator, start, end); ``checks``: {check: frame} as
    toolkit.ingest.quality.run_all or ``quality.xlsx`` give them."""
    enum = _text(main["enumerator"]) if "enumerator" in main else pd.Series("", index=main.index)
    per = checks.get("enumerators")
    names = sorted(set(enum) | (set(_text(per["enumerator"])) if per is not None and len(per) else set()))
    out = pd.DataFrame(index=pd.Index(names, name="enumerator"))
    mins = minutes_of(main)
    if per is not None and len(per) and "interviews" in per:
        p = per.assign(enumerator=_text(per["enumerator"])).drop_duplicates("enumerator").set_index("enumerator")
        out["interviews"] = p["interviews"].reindex(out.index)
        out["median_minutes"] = p.get("median_minutes", pd.Series(dtype=float)).reindex(out.index)
        out["dont_know_rate"] = p.get("dont_know_rate", pd.Series(dtype=float)).reindex(out.index)
    else:   # no enumerators sheet: count from the submissions (no rate to show)
        out["interviews"] = enum.value_counts().reindex(out.index)
        out["median_minutes"] = mins.groupby(enum).median().round(1).reindex(out.index)
        out["dont_know_rate"] = np.nan
    out["interviews"] = out["interviews"].fillna(enum.value_counts().reindex(out.index)).fillna(0).astype(int)
    dur = checks.get("duration")
    short = dur["flag"].astype(str).eq("too_short") if dur is not None and "flag" in dur else None
    out["short"] = _by_enum(dur, ["KEY"], short).reindex(out.index)
    out["outliers"] = _by_enum(checks.get("outliers"), ["KEY", "field"]).reindex(out.index)
    out["gps"] = _by_enum(checks.get("gps"), ["KEY"]).reindex(out.index)
    out["duplicates"] = _by_enum(checks.get("duplicates"), ["KEY"]).reindex(out.index)
    for c in ("short", "outliers", "gps", "duplicates"):
        out[c] = out[c].fillna(0).astype(int)
    cols = list(FLAG_COLUMNS[1:])
    if backchecks is not None:
        b = backchecks.assign(enumerator=_text(backchecks["enumerator"]))
        res = b["result"].astype(str)
        compared = res.isin(["same", "different"]).groupby(b["enumerator"]).sum()
        diff = res.eq("different").groupby(b["enumerator"]).sum()
        out["backcheck_error_rate"] = (diff / compared.where(compared > 0)).reindex(out.index)
        cols.append("backcheck_error_rate")
    return out[cols].reset_index()


def worst(flags: pd.DataFrame) -> dict[str, float]:
    """The worst (highest, above 0) value of each flag column; a column
    where nobody has anything is left out."""
    out = {}
    for c in WORSE_IS_HIGHER:
        if c in flags:
            v = pd.to_numeric(flags[c], errors="coerce").max()
            if pd.notna(v) and v > 0:
                out[c] = float(v)
    return out


def flags_display(flags: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """The per-interviewer rows as the page shows them: every cell escaped
    :class:`Markup` (rates with a % sign, blanks empty), each column's worst
    value wrapped in ``<span class="fe-worst">``; headers in ``lang``."""
    w = worst(flags)
    out = pd.DataFrame(index=flags.index)
    for c in flags.columns:
        v = flags[c]
        text = percent_series(v) if c in RATE_COLUMNS else v.astype(object).where(v.notna(), "").astype(str)
        cells = text.map(esc)
        if c in w:
            hit = pd.to_numeric(v, errors="coerce").eq(w[c]).to_numpy()
            cells = cells.where(~hit, text.map(lambda s: tag("span", s, class_="fe-worst", title=t("qpage.worst", lang),
                                                            style="background:#ffb74d;font-weight:bold;padding:0 .3em")))
        out[c] = cells
    return out.rename(columns={c: esc(t(f"qpage.col.{c}", lang)) for c in out.columns})


def submissions_of(main: pd.DataFrame, enumerator: str, checks: dict[str, pd.DataFrame], lang: str = "zh",
                   result_words: dict[str, str] | None = None, field_words: dict[str, str] | None = None
                   ) -> pd.DataFrame:
    """One interviewer's submissions, newest first, in words: KEY, date,
    archive id, township, visit result, minutes, status and what the checks
    flagged on it (short, long, outlying questions, GPS, duplicate)."""
    used = [c for c in ("KEY", "enumerator", "today", "start", "end", "archive_id", "township", "visit_result",
                        "_status") if c in main]   # the columns shown: the rows of a wide table are slow to cut
    m = main[used][_text(main["enumerator"]) == str(enumerator)] if "enumerator" in main else main[used].iloc[0:0]
    keys = m["KEY"].astype(str) if "KEY" in m else pd.Series("", index=m.index)
    parts = []   # (KEY, order, words) for every flag a check raised on one of these submissions
    keyset = set(keys)

    def add(frame: pd.DataFrame | None, order: int, word: str | pd.Series, mask: pd.Series | None = None) -> None:
        if frame is None or not len(frame) or "KEY" not in frame:
            return
        f = frame if mask is None else frame[mask.to_numpy()]
        if isinstance(word, str):    # only this interviewer's submissions (a whole city's checks are long)
            f = f[f["KEY"].astype(str).isin(keyset).to_numpy()]
        parts.append(pd.DataFrame({"KEY": f["KEY"].astype(str).to_numpy(), "order": order,
                                   "word": word if isinstance(word, str) else word.to_numpy()}))

    dur = checks.get("duration")
    if dur is not None and "flag" in dur:
        add(dur, 0, t("qpage.flag.short", lang), dur["flag"].astype(str).eq("too_short"))
        add(dur, 1, t("qpage.flag.long", lang), dur["flag"].astype(str).eq("too_long"))
    out_ = checks.get("outliers")
    if out_ is not None and len(out_) and "field" in out_:
        fw, sep = field_words or {}, "、" if lang == "zh" else ", "
        out_ = out_[out_["KEY"].astype(str).isin(keyset)]
        per_key = out_.assign(KEY=out_["KEY"].astype(str), field=out_["field"].astype(str)) \
            .drop_duplicates(["KEY", "field"]).assign(label=lambda f: f["field"].map(lambda x: fw.get(x, x))) \
            .groupby("KEY", sort=False)["label"].agg(sep.join).reset_index()
        add(per_key, 2, per_key["label"].map(lambda x: t("qpage.flag.outlier", lang, fields=x)))
    add(checks.get("gps"), 3, t("qpage.flag.gps", lang))
    add(checks.get("duplicates"), 4, t("qpage.flag.duplicate", lang))
    joiner = "；" if lang == "zh" else "; "
    if parts:
        p = pd.concat(parts, ignore_index=True).drop_duplicates(["KEY", "word"]).sort_values("order", kind="stable")
        flags = keys.map(p.groupby("KEY", sort=False)["word"].agg(joiner.join)).fillna("")
    else:
        flags = pd.Series("", index=m.index)
    words = result_words or {}
    day = pd.to_datetime(m.get("today", m.get("start")), errors="coerce")
    status = m.get("_status", pd.Series("accepted", index=m.index)).astype(str)
    out = pd.DataFrame({
        "key": keys, "date": day.dt.strftime("%Y-%m-%d").fillna(""),
        "archive_id": m.get("archive_id", pd.Series("", index=m.index)).astype(object).fillna("").astype(str),
        "township": m.get("township", pd.Series("", index=m.index)).astype(object).fillna("").astype(str),
        "result": m.get("visit_result", pd.Series("", index=m.index)).astype(object).fillna("").astype(str)
        .map(lambda v: words.get(v, v)),
        "minutes": minutes_of(m).round(1),
        "status": status.map(lambda s: t(f"qpage.status.{s}", lang) if s in ("accepted", "quarantined") else s),
        "flags": flags})
    out["minutes"] = out["minutes"].astype(object).where(out["minutes"].notna(), "")
    out = out.sort_values("date", ascending=False, kind="stable").reset_index(drop=True)
    return out.rename(columns={c: t(f"qpage.sub.{c}", lang) for c in SUB_COLUMNS})


def check_words(name: str, frame: pd.DataFrame, lang: str = "zh", field_words: dict[str, str] | None = None
                ) -> pd.DataFrame:
    """One check's rows in words (toolkit.ingest.quality_words.check_words, the same words as quality.xlsx)."""
    from toolkit.ingest.quality_words import check_words as words

    return words(name, frame, lang, field_words)


def _catalog() -> dict:
    from toolkit.i18n import catalog

    return catalog()


def check_title(name: str, lang: str = "zh") -> str:
    """A check's name in words (the location check's from toolkit.maps)."""
    return t("maps.check.location" if name == "location" else f"qpage.check.{name}", lang)


def checks_summary(checks: dict[str, pd.DataFrame], lang: str = "zh") -> pd.DataFrame:
    """One row per check: its name in words and the rows it flagged (for the
    missingness, don't-know and form-version checks: the rows marked as a problem)."""
    def flagged(f: pd.DataFrame) -> int:
        for c in ("flag", "outdated"):
            if c in f and f[c].dtype == bool:
                return int(f[c].sum())
        return len(f)
    return pd.DataFrame({t("qpage.check", lang): [check_title(k, lang) for k in checks],
                         t("qpage.check_rows", lang): [flagged(v) for v in checks.values()]})


# --------------------------------------------------------------------------- charts

def per_day_svg(main: pd.DataFrame, lang: str = "zh") -> Markup:
    """Interviews per day (bars), from the submissions' ``today`` (else start)."""
    from toolkit.widgets.progress import _figure

    day = pd.to_datetime(main.get("today", main.get("start")), errors="coerce").dt.normalize().dropna()
    if not len(day):
        return tag("p", t("qpage.chart.empty", lang))
    counts = day.value_counts().sort_index()
    fig, ax = _figure(6.0, 2.6)
    ax.bar(counts.index, counts.to_numpy(), color="#4292c6", width=0.8)
    ax.set_title(t("qpage.chart.per_day", lang), fontsize=11)
    ax.set_xlabel(t("qpage.chart.day", lang))
    ax.set_ylabel(t("qpage.chart.count", lang))
    import matplotlib.dates as mdates

    ax.xaxis.set_major_formatter(mdates.DateFormatter("%m-%d" if lang == "en" else "%m月%d日"))
    fig.autofmt_xdate()
    ax.spines[["top", "right"]].set_visible(False)
    return svg_of(fig)


def duration_svg(minutes: pd.Series, short_below: float, lang: str = "zh") -> Markup:
    """Histogram of interview length (minutes) with the "too short" limit."""
    from toolkit.widgets.progress import _figure

    x = pd.to_numeric(minutes, errors="coerce").dropna()
    x = x[x >= 0]
    if not len(x):
        return tag("p", t("qpage.chart.empty", lang))
    fig, ax = _figure(6.0, 2.6)
    ax.hist(x.clip(upper=x.quantile(0.99) if len(x) > 20 else None), bins=30, color="#74c476")
    ax.axvline(short_below, color="#b3261e", linestyle="--", linewidth=1,
               label=t("qpage.chart.short_line", lang, minutes=f"{short_below:g}"))
    ax.set_title(t("qpage.chart.duration", lang), fontsize=11)
    ax.set_xlabel(t("qpage.chart.minutes", lang))
    ax.set_ylabel(t("qpage.chart.count", lang))
    ax.legend(fontsize=8, frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return svg_of(fig)


# --------------------------------------------------------------------------- kept from the first page

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
    low = getattr(settings, "min_minutes", None) or 10
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
    """Rows per check (how many things each one flagged), by check name."""
    return pd.DataFrame({"check": list(checks), "rows": [len(v) for v in checks.values()]})


def days_html(days: pd.DataFrame) -> Markup:
    """The per-enumerator-day table (escaped: enumerator codes come from the devices)."""
    return html_table(days, "fe-days-table")


def check_html(rows: pd.DataFrame, lang: str = "zh") -> Markup:
    """The rows one check flagged (first 200, escaped) or a "clean" line."""
    return html_table(rows.head(200)) if len(rows) else tag("i", t("qpage.clean", lang))


# --------------------------------------------------------------------------- data and page

@dataclass(frozen=True, eq=False)
class QualityData:
    """What the page shows, read once per ingest (in either language): the
    submissions, the form, the checks, whether they came from ingest's
    ``quality.xlsx``, the back-checks (or None) and the settings; the
    question and answer words and the charts are made once per language."""

    subs: object            # toolkit.ingest.model.Submissions
    form: object            # toolkit.forms.model.Form
    checks: dict
    from_file: bool
    backchecks: pd.DataFrame | None
    settings: object
    root: Path
    source: Path
    charts: dict = field(default_factory=dict)   # the SVGs, drawn once per language
    words: dict = field(default_factory=dict)    # lang → (question words, visit result words)
    picks: dict = field(default_factory=dict)    # (interviewer, lang) → (their map, their rows): see pick()

    def pick(self, enumerator: str, lang: str) -> tuple:
        """One interviewer's map (toolkit.maps) and submissions in words, made once per
        data and language (``preload`` makes every interviewer's: the pick then only sends them)."""
        k = (enumerator, lang)
        if k not in self.picks:
            from toolkit.maps.svg import interviewer_map_html

            self.picks[k] = (interviewer_map_html(self.main, self.checks.get("location"), enumerator, lang),
                             submissions_of(self.main, enumerator, self.checks, lang, self.result_words(lang),
                                            self.field_words(lang)))
        return self.picks[k]

    @property
    def main(self) -> pd.DataFrame:
        """The submissions' main table (accepted and quarantined, ``_status``)."""
        return self.subs.main

    def _words(self, lang: str) -> tuple[dict, dict]:
        if lang not in self.words:
            form = self.form
            fw = {q.name: form.label(q, lang) or t(f"qpage.meta.{q.name}", lang) for q in form.questions}
            try:
                rw = dict(form.choice_labels(form.question("visit_result").list_name, lang))
            except (KeyError, ValueError):
                rw = {}
            self.words[lang] = (fw, rw)
        return self.words[lang]

    def field_words(self, lang: str) -> dict[str, str]:
        """Question name → its label in ``lang`` (metadata such as start in words too)."""
        return self._words(lang)[0]

    def result_words(self, lang: str) -> dict[str, str]:
        """Visit result code → the questionnaire's words in ``lang``."""
        return self._words(lang)[1]


_DATA: dict[tuple, QualityData] = {}


def _stamp(vdir: Path, field_dir: Path) -> tuple:
    files = [*(vdir / n for n in ("submissions.parquet", "quality.xlsx", "issues.csv", "issues.parquet")),
             *(field_dir / n for n in BACKCHECK_FILES)]
    return tuple((f.name, f.stat().st_mtime_ns, f.stat().st_size) if f.exists() else (f.name, 0, 0) for f in files)


def load_quality(project: str | Path) -> QualityData:
    """The page's data for ``project`` (module doc), kept in memory until the
    ingest folder or the back-checks change."""
    from toolkit.config import load
    from toolkit.errors import UserError
    from toolkit.project.paths import ProjectPaths

    root = Path(project)
    ev = load(root)
    paths = ProjectPaths.of(ev)
    vdir, field_dir = paths.ingest, paths.field
    if not (vdir / "submissions.parquet").exists():
        raise UserError("widgets.no_visits", path=str(paths.output))
    key = (str(vdir), _stamp(vdir, field_dir))
    if key in _DATA:
        return _DATA[key]
    from toolkit.forms import read_xlsform
    from toolkit.ingest.pipeline import load_outputs
    from toolkit.widgets.entry_logic import FORM_FILE

    subs, _ = load_outputs(vdir)
    form = read_xlsform(FORM_FILE)
    issues = read_issues(vdir)
    s = quality_settings(ev)
    checks, from_file = load_checks(vdir, subs, form, s, issues)
    data = QualityData(subs, form, checks, from_file, read_backchecks(field_dir), s, root, vdir)
    _DATA.clear()
    _DATA[key] = data
    return data


def charts_html(d: QualityData, lang: str = "zh") -> Markup:
    """Both charts side by side (drawn once per data, see QualityData.charts)."""
    if lang not in d.charts:
        d.charts[lang] = tag("div", per_day_svg(d.main, lang),
                              duration_svg(minutes_of(d.main), float(getattr(d.settings, "min_minutes", 15)), lang),
                              class_="fe-charts", style="display:flex;flex-wrap:wrap;gap:1em")
    return d.charts[lang]


def preload(project: object = "", lang: str = "zh") -> None:
    """Import the page's libraries, read the project and build the page in the
    notebook's language while the kernel is preheated (best effort)."""
    import itables.widget  # noqa: F401
    import matplotlib.pyplot  # noqa: F401

    import toolkit.ingest.quality  # noqa: F401
    from toolkit.widgets.data import resolve_project
    from toolkit.widgets.progress import daily_chart, load_progress

    try:
        root = resolve_project(project)   # type: ignore[arg-type]
        d = load_quality(root)
        for lg in ("zh", "en"):
            charts_html(d, lg)
            d.field_words(lg)
        pr = load_progress(root)
        for lg in ("zh", "en"):
            daily_chart(pr, lg)
    except Exception:  # noqa: BLE001 - the page shows the problem in words when it is asked for
        return
    _PAGE.put(_page_key(root, lang), lambda: Quality(root, lang))   # built before the visitor comes
    try:
        for e in interviewer_flags(d.main, d.checks, d.backchecks)["enumerator"].astype(str):
            d.pick(e, lang)
    except Exception:  # noqa: BLE001 - made on the pick instead
        pass


class Quality:
    """The data-quality dashboard: ``Quality(project, lang).widget``."""

    def __init__(self, project: Path, lang: str = "zh") -> None:
        import ipywidgets as W

        self.lang = lang
        self.data = d = load_quality(project)
        L = lambda k, **f: t(k, lang, **f)  # noqa: E731
        self.checks = d.checks
        self.flags = interviewer_flags(d.main, d.checks, d.backchecks)
        self.table = grid(flags_display(self.flags, lang), lang, page_length=25, select=True, html=True,
                          css_class="fe-flags")
        names = self.flags["enumerator"].astype(str).tolist()
        self.enum = W.Dropdown(options=[(L("qpage.pick_none"), ""), *[(n, n) for n in names]],
                               description=L("qpage.pick"))
        self.enum.add_class("fe-enum")
        self.subs_title = W.HTML()
        self.subs = W.Box()             # one grid, drawn hidden with the page; a pick only sends its rows
        self.subs.add_class("fe-subs")
        self.imap = W.HTML()            # the interviewer's points over the county outlines (toolkit.maps)
        self.imap.add_class("fe-qmap-box")
        self._subs_grid = self._empty_grid(names)
        self.table.observe(self._row_clicked, names="selected_rows")
        self.enum.observe(lambda _: self.update(), names="value")
        src = L("qpage.source_file") if d.from_file else L("qpage.source_run")
        parts = [W.HTML(tag("h2", L("qpage.title"))), W.HTML(tag("p", src, class_="fe-source")),
                 W.HTML(tag("h3", L("qpage.flags_title"))), W.HTML(tag("p", L("qpage.flags_hint"))), self.table]
        if d.backchecks is None:
            parts.append(W.HTML(tag("p", L("qpage.no_backcheck"), class_="fe-note")))
        else:   # who the back-checks single out, and what to do (toolkit.backcheck.page)
            from toolkit.backcheck.page import flagged_html
            parts.append(W.HTML(flagged_html(d.backchecks, lang)))
        parts += [self.enum, self.subs_title, self.subs, self.imap, W.HTML(tag("h3", L("qpage.charts")))]
        charts = W.HTML(charts_html(d, lang))
        charts.add_class("fe-quality-charts")
        parts.append(charts)
        summary_table = W.HTML(html_table(checks_summary(d.checks, lang), "fe-checks-summary"))   # 12 rows: no grid
        parts += [W.HTML(tag("h3", L("qpage.checks"))), summary_table]
        from toolkit.widgets.interviewers import safe_pane   # issue 18: interviewer effects, fabrication signals

        iv = W.HTML(safe_pane(d.root, lang))
        iv.add_class("fe-interviewers")
        parts.append(iv)
        self.check = W.Dropdown(options=[(L("qpage.pick_check"), ""), *[(check_title(k, lang), k) for k in d.checks]],
                                description=L("qpage.check"))
        self.detail = W.Box()
        self.detail.add_class("fe-check-rows")
        self.check.observe(lambda _: self.update_check(), names="value")
        parts += [self.check, self.detail]
        parts += self._progress()
        self.widget = W.VBox(parts)
        self.widget.add_class("fe-quality")
        self.update()
        self.update_check()

    def _empty_grid(self, names: list[str]):  # noqa: ANN202 - itables ITable or None
        """The submissions grid with no rows and the columns a pick shows, hidden
        until the first pick: the browser draws the table (DataTables' code and
        styles) with the page, so the first pick only sends rows (issue 15:
        a filter change ≤ 300 ms; making the grid on the first pick took up to 0.55 s)."""
        if not names:
            return None
        try:
            _, rows = self.data.pick(names[0], self.lang)
        except Exception:  # noqa: BLE001 - made on the pick instead, which says what is wrong
            return None
        g = grid(rows.iloc[:0], self.lang)
        g.layout.display = "none"
        self.subs.children = (g,)
        return g

    def _progress(self) -> list:
        import ipywidgets as W

        from toolkit.widgets.dashboard import error_html
        from toolkit.widgets.progress import load_progress, section

        head = W.HTML(tag("h3", t("qpage.progress", self.lang)))
        try:
            return [head, *section(load_progress(self.data.root), self.lang)]
        except Exception as e:  # noqa: BLE001 - no sample yet: said in words, the rest of the page stays
            return [head, W.HTML(error_html(e, self.lang))]

    @property
    def days(self) -> pd.DataFrame:
        """Per enumerator × day (:func:`by_enumerator_day`), computed when asked for."""
        issues = read_issues(self.data.source)
        return by_enumerator_day(self.data.subs, self.data.form, self.data.settings, issues)

    def _row_clicked(self, change: dict) -> None:
        rows = change.get("new") or []
        if rows:
            self.enum.value = str(self.flags["enumerator"].iat[rows[0]])

    def update(self) -> None:
        """The picked interviewer's submissions (paged), or nothing."""
        e = self.enum.value
        if not e:
            self.subs_title.value = tag("p", t("qpage.subs_none", self.lang))
            if self._subs_grid is not None:
                self._subs_grid.layout.display = "none"
            self.imap.value = ""
            return
        self.imap.value, rows = self.data.pick(e, self.lang)
        self.subs_title.value = tag("h4", t("qpage.subs_title", self.lang, enumerator=e, n=len(rows)))
        if self._subs_grid is None:
            self._subs_grid = grid(rows, self.lang)
            self.subs.children = (self._subs_grid,)
        else:                           # same columns: DataTables redraws the rows
            self._subs_grid.update(rows, paging=bool(len(rows)))
            self._subs_grid.layout.display = None
            self.subs.children = (self._subs_grid,)

    def update_check(self) -> None:
        """The rows one check flagged, in words (paged)."""
        if not self.check.value:     # a grid only once a check is picked: the page opens faster
            self.detail.children = ()
            return
        df = self.checks.get(self.check.value, pd.DataFrame())
        self.detail.children = (grid(check_words(self.check.value, df, self.lang, self.data.field_words(self.lang)),
                                     self.lang),)


def _page_key(root: Path, lang: str) -> tuple:
    """What a page built while preheated depends on (toolkit.widgets.dashboard.Prebuilt)."""
    from toolkit.widgets.progress import load_progress

    try:
        pr = id(load_progress(root))
    except Exception:  # noqa: BLE001 - no sample: the page says so in words
        pr = None
    return (str(root), lang, id(load_quality(root)), pr)


_PAGE = Prebuilt()


@guarded
def show(p) -> Quality:  # noqa: ANN001 - toolkit.widgets.dashboard.Params
    """Display the quality dashboard for the notebook's parameters."""
    from IPython.display import display

    app = _PAGE.take(_page_key(p.project, p.lang)) or Quality(p.project, p.lang)
    display(app.widget)
    return app


__all__ = ["FLAG_COLUMNS", "Quality", "QualityData", "by_enumerator_day", "check_html", "check_words",
           "charts_html", "checks_summary", "days_html", "duration_svg", "flags_display", "interviewer_flags", "load_checks",
           "load_quality", "minutes_of", "per_day_svg", "preload", "quality_settings", "read_backchecks",
           "read_checks", "show", "submissions_of", "summary", "worst"]
