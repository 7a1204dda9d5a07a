"""A filled-in document review and forum notes for the synthetic city (the demo).

Both go the way an evaluator's do: the checklist exported per county
(``fieldeval checklist export``), filled in (here by code, with openpyxl),
read back (``checklist import``); the forum notes likewise. Planted: most
items met with their evidence, and a few counties with unmet items —

* the 5th county: civil-affairs check dated after filing (T2 不符合), public
  notice without dates (T3 部分符合), no real-name payment summary for one
  year (F4 不符合);
* the 6th county: helpers missing for some households (M3 部分符合), exit
  checks without six months of income evidence (O1 不符合);
* the 1st county: system figures differ from the paper files (D1 部分符合);
* the 3rd county: no households that cannot exit (O3 不适用).

:data:`PLANTED` lists them (county index, item, status) for tests. One forum
per county with three statements (aspects, supports / contradicts); no names.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

PLANTED = (
    (4, "T2", "not_met", "信息比对报告日期晚于建档日期（抽查 12 户中 5 户）"),
    (4, "T3", "partly", "公示单未写公示起止日期"),
    (4, "F4", "not_met", "缺少上一年度的帮扶救助实名制汇总表"),
    (5, "M3", "partly", "抽查 20 户中 3 户未落实帮扶责任人"),
    (5, "O1", "not_met", "脱困户核查表无连续六个月收入证明"),
    (0, "D1", "partly", "系统在档户数比纸质档案多 3 户"),
    (2, "O3", "not_applicable", "本区无无法脱困（解困）户"),
)
"""(county index in evaluation.toml, item id, status code, note)."""

FORUMS = (
    ("工会干部、帮扶责任人、困难职工代表 3 名", (
        ("mechanism", "", "supports", "帮扶责任人每季度上门一次，困难职工代表确认见过帮扶责任人"),
        ("funds", "", "supports", "送温暖资金通过银行代发到户"),
        ("needs", "", "neither", "希望增加就业技能培训的名额"))),
)


def _status_word(code: str, lang: str) -> str:
    from toolkit.i18n import t

    return t(f"checklist.status.{code}", lang)


def planted(project) -> pd.DataFrame:  # noqa: ANN001
    """The planted unmet and not-applicable items: county, item_id, status, note."""
    counties = [c.name for c in project.evaluation.counties]
    return pd.DataFrame([(counties[i], item, status, note) for i, item, status, note in PLANTED if i < len(counties)],
                        columns=["county", "item_id", "status", "note"])


def fill_checklist(project, who: str, lang: str = "zh") -> object:  # noqa: ANN001
    """Export the checklist, fill every item (planted ones as :data:`PLANTED`,
    the rest met with their usual evidence) and import it; returns the
    toolkit.checklist.workbook.ImportResult."""
    from openpyxl import load_workbook

    from toolkit.checklist import workbook as wb
    from toolkit.checklist.items import load_items

    items = load_items(project).set_index("item_id")
    plant = planted(project).set_index(["county", "item_id"])
    files = wb.export(project, lang=lang)
    heads = wb.header_map()
    for path in files:
        book = load_workbook(path)
        ws = book.worksheets[0]
        cols = {heads[str(c.value)]: c.column for c in ws[3] if str(c.value) in heads}
        for row in ws.iter_rows(min_row=4):
            county, item = row[cols["county"] - 1].value, row[cols["item_id"] - 1].value
            if item is None:
                continue
            k, n = (county, item), list(items.index).index(item) + 1
            status, note = (plant.loc[k, "status"], plant.loc[k, "note"]) if k in plant.index else ("met", None)
            ws.cell(row[0].row, cols["status"], _status_word(status, lang))
            if status in ("met", "partly"):
                ws.cell(row[0].row, cols["document"], items.loc[item, "evidence_zh"] or items.loc[item, "item_zh"][:12])
                ws.cell(row[0].row, cols["page"], f"{n}-{n + 2}")
                ws.cell(row[0].row, cols["photo"], f"{county}_{item}.jpg")
            if note:
                ws.cell(row[0].row, cols["note"], note)
        book.save(path)
    return wb.import_workbooks(project, files, who, lang)


def fill_forums(project, who: str, lang: str = "zh") -> object:  # noqa: ANN001
    """Export the forum notes template, write one forum per county (the
    planted counties' forums contradict the archive on the planted aspect)
    and import it; returns toolkit.forums.workbook.ImportResult."""
    from openpyxl import load_workbook

    from toolkit.forums import workbook as fw
    from toolkit.i18n import t
    from toolkit.verify.indicators import ASPECTS

    path, _ = fw.export(project, lang=lang)
    book = load_workbook(path)
    ws = book.worksheets[0]
    counties = [c.name for c in project.evaluation.counties]
    extra = {4: ("targeting", "", "contradicts", "社区干部反映部分困难职工建档时未经公示"),
             5: ("mechanism", "no_helper_contact", "supports", "困难职工代表反映一年多没有见到帮扶责任人")}
    r = 4
    for i, county in enumerate(counties):
        roles, lines = FORUMS[0]
        rows = list(lines) + ([extra[i]] if i in extra else [])
        for seq, (aspect, finding, stance, text) in enumerate(rows, 1):
            values = [f"ZT-{i + 1:02d}", county, f"2026-05-{10 + i:02d}", roles, seq,
                      ASPECTS[aspect][0 if lang == "zh" else 1],
                      t(f"report.finding.{finding}", lang) if finding else None,
                      t(f"forum.stance.{stance}", lang), text]
            for j, v in enumerate(values, 1):
                ws.cell(r, j, v)
            r += 1
    book.save(path)
    return fw.import_workbook(project, Path(path), who, lang)


def demo_documents(project, lang: str = "zh") -> None:  # noqa: ANN001
    """The demo's document review and forum notes, with one line saying what was entered."""
    from toolkit.checklist import unmet
    from toolkit.forums import current
    from toolkit.i18n import t

    who = t("checklist.demo_who", lang)
    fill_checklist(project, who, lang)
    fill_forums(project, who, lang)
    s = current(project, lang)
    print(t("checklist.demo_done", lang, counties=len(project.evaluation.counties), unmet=len(unmet(project)),
            forums=s["forum_id"].nunique(), statements=len(s)))


__all__ = ["PLANTED", "planted", "fill_checklist", "fill_forums", "demo_documents"]
