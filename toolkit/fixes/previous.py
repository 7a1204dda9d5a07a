"""The previous round's fixes verified (issue 19 item 5, last sentence).

For each fix item of the previous round (the store, toolkit.fixes.store):
its last recorded status, evidence and note, and the indicator it was meant
to move (the item's own indicator, or the indicator behind its finding type)
in that county, before (the previous round's stored scorecard,
``Project.earlier_rounds()``) and now (this round's stored scorecard), with
the change in percentage points and both verdicts. Nothing is recomputed.
A checklist item has no sampled indicator (said in words).

The report gets a section (:func:`extend`), de-identified: no household, and
the union's free text (evidence, note) scrubbed of names, ID numbers, phones
and addresses; evaluators get a worded xlsx (:func:`write_xlsx`).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from toolkit.fixes import items as it
from toolkit.fixes import store as fs
from toolkit.i18n import t
from toolkit.verify.indicators import INDICATORS

COLUMNS = ["item_id", "county", "kind", "what", "status", "evidence", "note", "at", "indicator", "before", "now",
           "change", "verdict_before", "verdict_now"]


def previous_round(project: object) -> str | None:
    """The name of the round before this one: the latest (by the store's
    order, else by name) of the rounds kept under ``rounds/``; None when none."""
    names = list(project.earlier_rounds())
    if not names:
        return None
    try:
        from toolkit.store import open_store

        with open_store(project.evaluation) as st:
            r = st.rounds()
            order = dict(zip(r["name"], r["id"]))
    except Exception:  # noqa: BLE001 - no store yet: order by name
        order = {}
    return sorted(names, key=lambda n: (order.get(n, -1), n))[-1]


def verification(project: object, round_name: str | None = None) -> tuple[str | None, pd.DataFrame]:
    """(previous round's name, one row per item of it: :data:`COLUMNS`, codes;
    estimates as shares 0–1, change in points)."""
    prev = round_name or previous_round(project)
    if prev is None:
        return None, pd.DataFrame(columns=COLUMNS)
    items = fs.items(project, prev)
    if not len(items):
        return prev, pd.DataFrame(columns=COLUMNS)
    state = fs.latest(project, prev)
    f = items.merge(state[["item_id", "status", "evidence", "note", "at"]], on="item_id", how="left")
    f["status"] = f["status"].fillna("open")
    before = project.earlier_rounds().get(prev, pd.DataFrame(columns=["indicator", "county", "estimate", "verdict"]))
    now = project.results().scorecard

    def pick(card: pd.DataFrame, suffix: str) -> pd.DataFrame:
        c = card[["indicator", "county", "estimate", "verdict"]].drop_duplicates(["indicator", "county"])
        return c.rename(columns={"estimate": suffix, "verdict": f"verdict_{suffix}"})

    f = f.merge(pick(before, "before"), on=["indicator", "county"], how="left") \
         .merge(pick(now, "now"), on=["indicator", "county"], how="left")
    f["change"] = (f["now"].astype(float) - f["before"].astype(float)) * 100
    return prev, f[COLUMNS]


def worded(frame: pd.DataFrame, lang: str, *, names: tuple[str, ...] = (), addresses: tuple[str, ...] = ()) -> pd.DataFrame:
    """The verification in words (headers and values through i18n); the
    union's free text scrubbed (toolkit.roster.privacy.scrub_text)."""
    from toolkit.fixes.export import status_words
    from toolkit.roster.privacy import scrub_text

    spec = {i.name: (i.zh if lang == "zh" else i.en) for i in INDICATORS}
    none = t("fixes.prev.no_indicator", lang)
    nest = t("fixes.prev.not_estimated", lang)

    def pct(s: pd.Series) -> pd.Series:
        v = s.astype(float)
        return pd.Series(np.where(v.notna(), (v * 100).round(1).map(lambda x: f"{x:.1f}%"), nest), index=s.index)

    def verdicts(s: pd.Series) -> pd.Series:
        return s.astype("string").map(lambda v: t(f"verify.verdict.{v}", lang) if isinstance(v, str) else nest)

    has = frame["indicator"].notna()
    chg = frame["change"].astype(float)
    out = pd.DataFrame({
        "item_id": frame["item_id"], "county": frame["county"],
        "kind": frame["kind"].map({k: t(f"fixes.kind.{k}", lang) for k in it.KINDS}),
        "what": frame["what"], "status": status_words(frame["status"], lang),
        "evidence": scrub_text(frame["evidence"].astype("string"), names, addresses).fillna(""),
        "note": scrub_text(frame["note"].astype("string"), names, addresses).fillna(""),
        "at": pd.to_datetime(frame["at"], errors="coerce").dt.strftime("%Y-%m-%d %H:%M").fillna(""),
        "indicator": frame["indicator"].map(spec).where(has, none),
        "before": pct(frame["before"]).where(has, ""), "now": pct(frame["now"]).where(has, ""),
        "change": chg.round(1).astype(object).where(chg.notna(), ""),   # a number: "+2.0" would read as a formula
        "verdict_before": verdicts(frame["verdict_before"]).where(has, ""),
        "verdict_now": verdicts(frame["verdict_now"]).where(has, "")})
    heads = {c: t(f"fixes.col.{c}", lang) for c in ("item_id", "county", "kind", "what", "status", "evidence", "note")}
    heads.update({c: t(f"fixes.prev.col.{c}", lang) for c in ("at", "indicator", "before", "now", "change",
                                                                 "verdict_before", "verdict_now")})
    return out.rename(columns=heads)


def intro(prev: str, frame: pd.DataFrame, lang: str) -> str:
    """One sentence: how many items, by status."""
    n = frame["status"].value_counts()
    return t("fixes.prev.intro", lang, round=it.round_words(prev, lang), n=len(frame), verified=int(n.get("verified", 0)),
             done=int(n.get("done", 0)), progress=int(n.get("in_progress", 0)), open=int(n.get("open", 0)))


def write_xlsx(project: object, out: str | Path | None = None, lang: str = "zh") -> Path:
    """The worded verification as xlsx (default ``output/fixes/上一轮整改核实.xlsx``, 0600)."""
    from toolkit.errors import UserError
    from toolkit.project.stagefiles import private
    from toolkit.tables import Sheet, write_workbook

    prev, frame = verification(project)
    if prev is None:
        raise UserError("fixes.prev.no_round")
    stem = "上一轮整改核实" if lang == "zh" else "previous_fixes_verified"
    path = Path(out) if out else project.paths.output / "fixes" / f"{stem}.xlsx"
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    note = intro(prev, frame, lang) if len(frame) else t("fixes.prev.none", lang)
    write_workbook(path, {t("fixes.prev.sec", lang): Sheet(worded(frame, lang), title=t("fixes.prev.table", lang),
                                                           note=note)}, freeze=True, autofilter=True)
    private(path)
    return path


def extend(sections: tuple, inputs: object, lang: str) -> tuple:
    """The report's sections plus "the previous round's fixes verified" when
    the project has an earlier round (nothing otherwise)."""
    from toolkit.project import Project
    from toolkit.report.model import Section, Table

    try:
        project = Project(inputs.evaluation)
        prev, frame = verification(project)
    except Exception:  # noqa: BLE001 - a report is never stopped by this section; no earlier round: no section
        return sections
    if prev is None:
        return sections
    if not len(frame):
        return (*sections, Section("fixes_previous", t("fixes.prev.sec", lang), (t("fixes.prev.none", lang),)))
    table = worded(frame, lang, names=tuple(getattr(inputs, "private_names", ()) or ()),
                   addresses=tuple(getattr(inputs, "private_addresses", ()) or ()))
    return (*sections, Section("fixes_previous", t("fixes.prev.sec", lang), (intro(prev, frame, lang),),
                               (Table("fixes_previous", t("fixes.prev.table", lang), table),)))


__all__ = ["previous_round", "verification", "worded", "write_xlsx", "extend", "COLUMNS"]
