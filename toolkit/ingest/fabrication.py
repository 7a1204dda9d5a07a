"""Fabrication signals from the answers themselves, computed at every ingest.

An interviewer who fills in questionnaires without visiting leaves patterns
(the field's standard checks, IPA's ``ipacheck`` and DIME's protocols):

==================  ===========================================================
signal              one unit = ...; "hit" when ...
==================  ===========================================================
short               a completed interview; shorter than ``[quality]
                    min_minutes`` (end − start)
straight_lined      a completed interview with ≥ 3 valid satisfaction answers
                    (``sat_*`` questions, 1–5); all of them identical
heap_10 / _100 /    an income or rigid-expenditure amount above 0 (``inc_*``,
heap_1000           ``exp_*``); a multiple of 10 / 100 / 1000 yuan (last
                    digits 0 / 00 / 000)
income_fast,        a submission with an audit log (toolkit.ingest.paradata);
verdict_fast        the block answered faster than its items' ``min_seconds``
changed_after_      a submission with an audit log; an answer outside the
verdict             verdict block changed after the verdict block was reached
==================  ===========================================================

Each interviewer is compared with the rest of the team, signal by signal
(one-sided: does this interviewer have MORE of it), with Fisher's exact test
for small tables and χ² otherwise, and every interviewer × signal p-value of
the run adjusted together by Holm's method (toolkit.survey.interviewer says
why Holm). An interviewer is **flagged** on a signal when the adjusted p is
below ``alpha`` (default 0.05) and their rate is above the rest's. Tables
with no variation (nobody, or everybody, has the signal) give no test.

Outputs (:func:`interviewer_signals`): ``tests`` (one row per interviewer ×
signal), ``summary`` (one row per interviewer: submissions, flagged signals
count and the names), ``per_submission`` (KEY, enumerator and the 0/1 signals).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from toolkit.forms.model import Form
from toolkit.survey.interviewer import compare_to_rest, holm

SIGNALS = ("short", "straight_lined", "heap_10", "heap_100", "heap_1000", "income_fast", "verdict_fast",
           "changed_after_verdict")
AMOUNT_PREFIXES = ("inc_", "exp_")
SAT_PREFIX = "sat_"
ALPHA = 0.05


@dataclass(frozen=True)
class Signals:
    """One run's signals (module doc)."""

    tests: pd.DataFrame
    summary: pd.DataFrame
    per_submission: pd.DataFrame
    alpha: float = ALPHA
    paradata: pd.DataFrame = field(default_factory=pd.DataFrame)

    def flagged(self) -> list[str]:
        """Interviewers flagged on at least one signal."""
        if not len(self.summary):
            return []
        return sorted(self.summary.loc[self.summary["flagged_signals"] > 0, "enumerator"].astype(str))


def _completed(main: pd.DataFrame) -> pd.Series:
    """Completed, accepted interviews: consent yes (when the form asks) and accepted."""
    ok = pd.Series(True, index=main.index)
    if "_status" in main:
        ok &= main["_status"].astype(str).eq("accepted")
    if "consent" in main:
        ok &= main["consent"].astype(str).eq("yes")
    return ok


def _minutes(main: pd.DataFrame) -> pd.Series:
    if "start" not in main or "end" not in main:
        return pd.Series(np.nan, index=main.index)
    def when(c: pd.Series) -> pd.Series:   # validated submissions hold datetimes already
        return c if pd.api.types.is_datetime64_any_dtype(c) else pd.to_datetime(c, errors="coerce", utc=True)

    return (when(main["end"]) - when(main["start"])).dt.total_seconds() / 60.0


def per_submission(main: pd.DataFrame, form: Form | None = None, *, min_minutes: float = 15.0,
                   paradata: pd.DataFrame | None = None) -> pd.DataFrame:
    """KEY, enumerator and the submission-level signals (1 / 0 / NaN: not
    in that signal's denominator), for the completed accepted interviews."""
    m = main[_completed(main)]
    out = pd.DataFrame({"KEY": m["KEY"].astype(str).to_numpy(),
                        "enumerator": m["enumerator"].astype(object).fillna("").astype(str).to_numpy()
                        if "enumerator" in m else ""})
    mins = _minutes(m).to_numpy()
    out["minutes"] = np.round(mins, 1)
    out["short"] = np.where(np.isnan(mins), np.nan, (mins < min_minutes).astype(float))
    sat_cols = [c for c in m.columns if str(c).startswith(SAT_PREFIX)]
    if form is not None:
        names = {q.name for q in form.questions if not q.repeat}
        sat_cols = [c for c in sat_cols if c in names]
    if sat_cols:
        s = m[sat_cols].apply(pd.to_numeric, errors="coerce")
        s = s.where((s >= 1) & (s <= 5))
        valid = s.notna().sum(axis=1).to_numpy()
        same = (s.max(axis=1) == s.min(axis=1)).to_numpy()
        out["straight_lined"] = np.where(valid >= 3, same.astype(float), np.nan)
    else:
        out["straight_lined"] = np.nan
    if paradata is not None and len(paradata):
        p = paradata.set_index(paradata["KEY"].astype(str))
        for c in ("income_fast", "verdict_fast"):
            out[c] = pd.to_numeric(p[c].reindex(out["KEY"]), errors="coerce").to_numpy() if c in p else np.nan
        ch = pd.to_numeric(p["changed_after_verdict"].reindex(out["KEY"]), errors="coerce") \
            if "changed_after_verdict" in p else pd.Series(np.nan, index=out.index)
        out["changed_after_verdict"] = np.where(ch.isna(), np.nan, (ch > 0).astype(float))
    return out


def amounts(main: pd.DataFrame) -> pd.DataFrame:
    """One row per amount above 0 (``inc_*``, ``exp_*``) of the completed
    interviews: KEY, enumerator, field, amount and heap_10/100/1000 (0/1)."""
    m = main[_completed(main)]
    cols = [c for c in m.columns if str(c).startswith(AMOUNT_PREFIXES)]
    if not cols or not len(m):
        return pd.DataFrame(columns=["KEY", "enumerator", "field", "amount", "heap_10", "heap_100", "heap_1000"])
    v = np.column_stack([pd.to_numeric(m[c], errors="coerce").to_numpy(float) for c in cols])
    rows, cidx = np.nonzero(np.nan_to_num(v) > 0)
    a = v[rows, cidx]
    enum = m["enumerator"].astype(object).fillna("").astype(str) if "enumerator" in m \
        else pd.Series("", index=m.index)
    ecodes, enames = pd.factorize(enum, sort=True)
    kcodes, knames = pd.factorize(m["KEY"].astype(str))
    out = pd.DataFrame({"KEY": pd.Categorical.from_codes(kcodes[rows], knames),   # categoricals: no copy of text
                        "enumerator": pd.Categorical.from_codes(ecodes[rows], enames),
                        "field": pd.Categorical.from_codes(cidx, cols), "amount": a})
    r = np.round(a)
    whole = np.isclose(a, r)
    for d in (10, 100, 1000):
        out[f"heap_{d}"] = (whole & (np.mod(r, d) == 0)).astype(float)
    return out


def interviewer_signals(main: pd.DataFrame, form: Form | None = None, *, min_minutes: float = 15.0,
                        paradata: pd.DataFrame | None = None, alpha: float = ALPHA) -> Signals:
    """Every signal of the module doc, each interviewer against the rest, Holm-adjusted."""
    keep = [c for c in main.columns if c in ("KEY", "enumerator", "start", "end", "consent", "_status")
            or str(c).startswith((SAT_PREFIX, *AMOUNT_PREFIXES))]
    main = main[keep]   # only what the signals read: the wide table is not copied
    subs = per_submission(main, form, min_minutes=min_minutes, paradata=paradata)
    amt = amounts(main)
    sub_sig = [s for s in SIGNALS if s in subs.columns and not s.startswith("heap_")]
    parts = [compare_to_rest(subs, "enumerator", sub_sig, alternative="greater")]
    if len(amt):
        parts.append(compare_to_rest(amt, "enumerator", ["heap_10", "heap_100", "heap_1000"], alternative="greater"))
    tests = pd.concat([p for p in parts if len(p)], ignore_index=True) if any(len(p) for p in parts) \
        else parts[0]
    tests = tests.rename(columns={"group": "enumerator"})
    tests["p_holm"] = holm(tests["p"].to_numpy(float)) if len(tests) else []
    tests["flagged"] = (tests["p_holm"] < alpha) & (tests["rate"] > tests["rest_rate"])
    order = {s: i for i, s in enumerate(SIGNALS)}
    tests = tests.sort_values(["enumerator", "signal"], key=lambda c: c.map(order) if c.name == "signal" else c,
                              kind="stable").reset_index(drop=True)
    names = sorted(pd.unique(subs["enumerator"]).tolist())   # never iterate the rows
    flagged = tests[tests["flagged"]]
    summary = pd.DataFrame({"enumerator": names})
    summary["interviews"] = summary["enumerator"].map(subs["enumerator"].value_counts()).fillna(0).astype(int)
    summary["flagged_signals"] = summary["enumerator"].map(flagged.groupby("enumerator").size()).fillna(0).astype(int)
    joined = flagged.groupby("enumerator")["signal"].agg(" ".join)
    summary["signals"] = [joined.get(e, "") for e in summary["enumerator"]]
    summary["min_p_holm"] = summary["enumerator"].map(tests.groupby("enumerator")["p_holm"].min())
    return Signals(tests, summary, subs, alpha, paradata if paradata is not None else pd.DataFrame())


__all__ = ["ALPHA", "SIGNALS", "Signals", "amounts", "interviewer_signals", "per_submission"]


# --------------------------------------------------------------------------- words and files

def pct(x: float) -> str:
    """A share as a percentage with one decimal; a blank share as a dash."""
    return "—" if x is None or pd.isna(x) else f"{100 * float(x):.1f}%"


def pval(x: float) -> str:
    """A p-value as people read it (below 0.001 as "< 0.001"); blank as a dash."""
    return "—" if x is None or pd.isna(x) else ("< 0.001" if x < 0.001 else f"{float(x):.3f}")


def yes_no(v: object, lang: str) -> str:
    from toolkit.i18n import t

    if v is None or (isinstance(v, float) and np.isnan(v)):
        return t("interviewers.blank", lang)
    return t("interviewers.yes" if bool(v) else "interviewers.no", lang)


def tests_display(tests: pd.DataFrame, lang: str = "zh", *, name_col: str = "signal",
                  prefix: str = "interviewers.signal.") -> pd.DataFrame:
    """An interviewer × signal (or indicator) table in words: interviewer,
    signal, count, both rates, test, adjusted p, needs checking."""
    from toolkit.i18n import t

    L = lambda k: t(f"interviewers.col.{k}", lang)  # noqa: E731
    if not len(tests):
        return pd.DataFrame(columns=[L(c) for c in ("enumerator", name_col, "n", "rate", "rest_rate", "test",
                                                    "p_holm", "flagged")])
    return pd.DataFrame({
        L("enumerator"): tests["enumerator"].astype(str).to_numpy(),
        L(name_col): [t(prefix + str(s), lang) for s in tests[name_col]],
        L("n"): tests["n"].astype(int).to_numpy(),
        L("rate"): [pct(x) for x in tests["rate"]], L("rest_rate"): [pct(x) for x in tests["rest_rate"]],
        L("test"): [t(f"interviewers.test.{x}", lang) for x in tests["test"]],
        L("p_holm"): [pval(x) for x in tests["p_holm"]],
        L("flagged"): [yes_no(x, lang) for x in tests["flagged"]]})


def summary_display(summary: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """One row per interviewer in words: interviews, signals flagged and their names."""
    from toolkit.i18n import t

    L = lambda k: t(f"interviewers.col.{k}", lang)  # noqa: E731
    names = [("、" if lang == "zh" else "; ").join(t(f"interviewers.signal.{s}", lang) for s in str(v).split())
             or t("interviewers.none", lang) for v in summary.get("signals", pd.Series(dtype=str))]
    return pd.DataFrame({L("enumerator"): summary["enumerator"].astype(str).to_numpy(),
                         L("interviews"): summary["interviews"].astype(int).to_numpy(),
                         L("flagged_signals"): summary["flagged_signals"].astype(int).to_numpy(),
                         L("signals"): names})


def paradata_display(flags: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Per submission's audit log, in words (seconds, block minimums, too fast, changes)."""
    from toolkit.i18n import t

    if not len(flags):
        return pd.DataFrame()
    out = pd.DataFrame({t("interviewers.col.key", lang): flags["KEY"].astype(str).to_numpy()})
    for c in flags.columns:
        if c == "KEY":
            continue
        if c.startswith("sec_"):
            head = t("interviewers.col.section", lang, section=c.removeprefix("sec_").upper())
        else:
            head = t(f"interviewers.col.{c}", lang)
        col = flags[c]
        if c.endswith("_fast"):
            out[head] = [yes_no(v, lang) for v in col]
        else:
            out[head] = pd.to_numeric(col, errors="coerce").to_numpy()
    return out


def write(signals: Signals | None, outdir, lang: str = "zh") -> list:  # noqa: ANN001 - Path
    """Ingest's files: ``interviewer_signals.parquet`` (tests),
    ``interviewer_summary.parquet``, ``paradata.parquet`` (when audit logs
    were read) and ``interviewers.xlsx`` (the same in words, formula-safe)."""
    from pathlib import Path

    from toolkit.i18n import t
    from toolkit.ingest.quality_xlsx import write_sheets

    if signals is None:
        return []
    out = Path(outdir)
    written = []
    for name, frame in (("interviewer_signals", signals.tests), ("interviewer_summary", signals.summary),
                        ("paradata", signals.paradata)):
        if name == "paradata" and not len(frame):
            continue
        p = out / f"{name}.parquet"
        frame.to_parquet(p, index=False)
        written.append(p)
    sheets = {t("interviewers.sheet.summary", lang): summary_display(signals.summary, lang),
              t("interviewers.sheet.signals", lang): tests_display(signals.tests, lang)}
    if len(signals.paradata):
        sheets[t("interviewers.sheet.paradata", lang)] = paradata_display(signals.paradata, lang)
    written.append(write_sheets(out / "interviewers.xlsx", sheets))   # write_workbook's cells, through xlsxwriter
    return written


def at_ingest(paths: list, subs, form: Form, settings, form_path: str = "") -> Signals:  # noqa: ANN001
    """The run's paradata (audit logs in the zip inputs) and every signal, for
    toolkit.ingest.pipeline (``settings``: QualitySettings, its min_minutes)."""
    from toolkit.ingest import paradata as pd_

    audits = pd_.read_audits([p for p in paths])
    flags = pd_.paradata_flags(audits, form, pd_.min_seconds(form_path))
    return interviewer_signals(subs.main, form, min_minutes=float(getattr(settings, "min_minutes", 15.0)),
                               paradata=flags)


__all__ += ["at_ingest", "paradata_display", "pct", "pval", "summary_display", "tests_display", "write"]
