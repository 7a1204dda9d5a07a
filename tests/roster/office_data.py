"""An office workbook made in the test, the way a union office keeps its roster:
an instructions sheet, one sheet per county, each with a title row, a merged
two-level header, a 序号 column, households with ID numbers stored as numbers
and archive ids stored as numbers, a blank row, a 小计 row, a signature line
and a note; a help-records sheet; one person on two archives (一人多档)
across two sheets; a household whose rigid expenditure exceeds its income
(支出型困难, no 家庭月人均收入 column: the tool derives a negative value).

``EXPECTED`` says what a reader must find in it."""
from __future__ import annotations

from pathlib import Path

from toolkit.roster.idcard import make_id

# upper header row (None = merged into the cell to the left), lower header row
UPPER = ["序号", "档案编号", "基本信息", None, None, "所属区县", "街道（乡镇）", "困难类别", "档案状态",
         "建档日期", "家庭经济状况", None, None, "主要致困原因", "联系电话"]
LOWER = [None, None, "姓名", "性别", "身份证号", None, None, None, None, None,
         "家庭人口", "家庭年收入（元）", "刚性支出（元）", None, None]
GROUPS = [(3, 5), (11, 13)]   # 1-based column spans merged across in the upper row

SHARED_ID = make_id("340102", "19700101", 11)     # on one archive in 瑶海区 and another in 包河区


def _households(county: str, code: str, townships: list[str], n: int, start: int) -> list[list[object]]:
    rows = []
    for i in range(n):
        sex = "男" if i % 2 == 0 else "女"
        idn = make_id(code, f"19{70 + i:02d}0{1 + i % 9}1{i % 9}", 2 * i + (1 if sex == "男" else 2))
        rows.append([i + 1, f"HF{code}-2021-{start + i:05d}", f"户主{start + i}", sex, idn, county,
                     townships[i % len(townships)], "深度困难", "在档", "2021-03-05", 3, 24000 + 1000 * i,
                     2000, "患重特大疾病", f"139{start + i:08d}"])
    return rows


def sheets() -> dict[str, list[list[object]]]:
    """County sheet name -> household rows (before the office's extra rows)."""
    yaohai = _households("瑶海区", "340102", ["明光路街道", "大兴镇"], 5, 1)
    luyang = _households("庐阳区", "340103", ["双岗街道", "三孝口街道"], 4, 101)
    baohe = _households("包河区", "340111", ["芜湖路街道", "望湖街道"], 4, 201)
    yaohai[1][4] = SHARED_ID                 # 一人多档: HF340102-2021-00002 …
    baohe[2][4] = SHARED_ID                  # … and HF340111-2021-00203
    yaohai[1][3] = "男"
    baohe[2][3] = "男"
    yaohai[2][4] = int(yaohai[2][4])         # ID typed as a number (Excel keeps 15 digits)
    luyang[0][1] = 20210001                  # an archive id stored as a number
    baohe[3][11], baohe[3][12] = 30000, 48000   # 支出型困难: rigid expenditure above income
    return {"瑶海区": yaohai, "庐阳区": luyang, "包河区": baohe}


def write_office_workbook(path: Path) -> Path:
    """Write the workbook (see the module docstring); return its path."""
    from openpyxl import Workbook

    wb = Workbook()
    info = wb.active
    info.title = "填表说明"
    for line in ("填表说明", "1. 每个区县一张表。", "2. 身份证号请设为文本格式。", "3. 金额单位为元。"):
        info.append([line])
    for name, rows in sheets().items():
        ws = wb.create_sheet(name)
        ws.append([f"合肥市{name}困难职工档案名册"])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(UPPER))
        ws.append([f"填报单位：{name}总工会", None, None, None, None, None, None, None, None, None, None, None,
                   "单位：元"])
        ws.append(UPPER)
        ws.append(LOWER)
        for c, h in enumerate(UPPER, start=1):
            if h is not None and LOWER[c - 1] is None:
                ws.merge_cells(start_row=3, start_column=c, end_row=4, end_column=c)
        for a, b in GROUPS:
            ws.merge_cells(start_row=3, start_column=a, end_row=3, end_column=b)
        half = len(rows) // 2
        for r in rows[:half]:
            ws.append(r)
        ws.append([None] * len(UPPER))                       # a blank row inside
        for r in rows[half:]:
            ws.append(r)
        ws.append(["小计", None, None, None, None, None, None, None, None, None,
                   sum(r[10] for r in rows), sum(r[11] for r in rows), sum(r[12] for r in rows)])
        ws.append([None] * len(UPPER))
        ws.append(["填表人：张三", None, None, None, "审核人：李四", None, None, None, "（单位盖章）", None, None,
                   "日期：2026年10月8日"])
        ws.append(["注：1. 档案状态按 2026 年 9 月底填写。"])
    helps = wb.create_sheet("帮扶记录")
    helps.append(["档案编号", "帮扶项目", "发放日期", "金额（元）", "资金来源"])
    helps.append(["HF340102-2021-00001", "送温暖", "2025-01-20", 500, "工会经费"])
    wb.save(path)
    return path


def sheet_layout(name: str) -> dict[str, object]:
    """Where things are in one county sheet (spreadsheet rows, 1-based)."""
    n = len(sheets()[name])
    half = n // 2
    first = 5
    blank_inside = first + half
    last_household = first + n        # one blank row inside shifts the second half by one
    subtotal = last_household + 1
    return {"households": n, "blank_inside": blank_inside, "subtotal": subtotal, "blank_after": subtotal + 1,
            "signature": subtotal + 2, "note": subtotal + 3,
            "rows_read": subtotal + 3 - first + 1}
