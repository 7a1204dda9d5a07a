"""A legacy .xls office workbook with one sheet per county is read as one roster
(every sheet with the roster's header; the sheet kept as a column), like .xlsx."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from roster_data import HEADERS, good_rows  # noqa: E402

from toolkit.roster import read_roster  # noqa: E402

xlwt = pytest.importorskip("xlwt", reason="xlwt writes the legacy .xls (dev extra in pyproject.toml)")


def test_multi_sheet_xls_reads_every_county_sheet(tmp_path: Path) -> None:
    rows = good_rows()
    book = xlwt.Workbook(encoding="utf-8")
    by_sheet = {"瑶海区": rows[:2], "庐阳区": rows[2:4], "说明": None, "其他区县": rows[4:]}
    for name, data in by_sheet.items():
        ws = book.add_sheet(name)
        if data is None:                              # an instructions sheet: not a roster
            ws.write(0, 0, "填表说明：每个区县一张表")
            continue
        for c, h in enumerate(HEADERS):
            ws.write(0, c, h)
        for r, row in enumerate(data, start=1):
            for c, v in enumerate(row):
                ws.write(r, c, v)
    path = tmp_path / "office.xls"
    book.save(str(path))
    roster = read_roster(path)
    assert roster.format == "xls"
    assert list(roster.sheets) == ["瑶海区", "庐阳区", "其他区县"]          # every county sheet, in order
    assert len(roster) == len(rows)
    assert sorted(roster.frame["archive_id"]) == sorted(r[0] for r in rows)
    assert "说明" in set(roster.skipped_sheets["sheet"])                    # listed, with its reason
