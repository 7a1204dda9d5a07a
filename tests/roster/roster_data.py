"""Roster fixtures built in the test: a small, valid roster in every format."""
from __future__ import annotations

from pathlib import Path

import pytest

from toolkit import config
from toolkit.roster.idcard import make_id

HEADERS = ["档案编号", "姓名", "性别", "身份证号", "所属区县", "街道（乡镇）", "困难类别", "档案状态",
           "建档日期", "脱困日期", "家庭人口", "家庭年收入（元）", "刚性支出（元）", "家庭月人均收入",
           "主要致困原因", "联系电话", "帮扶责任人"]


def good_rows() -> list[list[object]]:
    """Six valid households: every rule must stay silent on them."""
    return [
        ["HF340102-2021-00001", "王芳", "女", make_id("340102", "19800212", 2), "瑶海区", "明光路街道",
         "深度困难", "在档", "2021-03-05", "", "3", "12,000元", "2000", "277.78", "患重特大疾病",
         "13912345678", "陈建国"],
        ["HF340102-2021-00002", "刘强", "男", make_id("340102", "19751212", 3), "瑶海区", "大兴镇",
         "相对困难", "已脱困", "2021/4/9", "2023年1月12日", "2", "1.8万", "", "750", "下岗失业",
         "13800001111", "陈建国"],
        ["HF340103-2022-00003", "欧阳娜娜", "女", make_id("340103", "19900101", 4), "庐阳区", "双岗街道",
         "意外致困", "在档", "2022年1月12日", "", "4", "30000", "6000", "500", "意外事故",
         "0551-62345678", "李梅"],
        ["HF340104-2020-00004", "张伟", "男", make_id("340104", "19680505", 5), "蜀山区", "三里庵街道",
         "深度困难", "已解困", "2020-06-01", "2024-06-01", "1", "9600", "0", "800", "无劳动能力",
         "13700002222", "王红"],
        ["HF340111-2023-00005", "赵敏", "女", make_id("340111", "19851111", 6), "包河区", "芜湖路街道",
         "相对困难", "注销", "2023-02-01", "", "3", "43200", "7200", "1000", "子女上学",
         "13600003333", "孙丽"],
        ["HF340121-2021-00006", "孙磊", "男", make_id("340121", "19720707", 7), "长丰县", "水湖镇",
         "深度困难", "在档", "44197", "", "2", "14400", "", "600", "下岗失业",
         "13500004444", "周杰"],
    ]


def write_csv(path: Path, rows: list[list[object]], encoding: str = "utf-8", headers=HEADERS,
              title: str | None = None) -> Path:
    lines = [] if title is None else [title]
    lines.append(",".join(headers))
    for r in rows:
        lines.append(",".join(f'"{v}"' if "," in str(v) else str(v) for v in r))
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def write_xlsx(path: Path, rows: list[list[object]], headers=HEADERS, sheet="困难职工档案",
               extra_sheets: dict[str, list[list[object]]] | None = None) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(headers)
    for r in rows:
        ws.append(r)
    for name, data in (extra_sheets or {}).items():
        w2 = wb.create_sheet(name)
        for r in data:
            w2.append(r)
    wb.save(path)
    return path


def make_project(tmp_path: Path) -> config.Evaluation:
    """A project with the default Hefei counties and a fixed key."""
    config.init(tmp_path / "proj", key=b"\x01" * 32)
    return config.load(tmp_path / "proj")


@pytest.fixture
def roster_once_on(monkeypatch, tmp_path: Path):
    """The roster snapshot on (``FIELDEVAL_ROSTER_ONCE=1``), project keys under
    ``tmp_path``, and nothing remembered from another test, before and after."""
    from toolkit.verify import roster_once

    monkeypatch.setenv("FIELDEVAL_ROSTER_ONCE", "1")
    monkeypatch.setenv("FIELDEVAL_KEY_DIR", str(tmp_path / "keys"))
    roster_once.forget()
    yield
    roster_once.forget()
