"""Visit workbooks per team and the ODK/Kobo preload CSV."""
import pandas as pd

from toolkit.sampling.select import Design, draw
from toolkit.sampling.visit_lists import ODK_COLUMNS, write_visit_lists


def test_workbooks_and_csv(roster, tmp_path):
    s = draw(roster, Design(seed="v", strata=("county",), method="two_stage", psus_per_stratum=2,
                            per_psu=4, reserves=2, seed_source="lottery"))
    out = write_visit_lists(s, roster, tmp_path, teams={"瑶海区": "一组", "庐阳区": "一组"})
    assert set(out.workbooks) == {"一组", "长丰县"}
    book = pd.read_excel(out.workbooks["一组"], sheet_name=None, dtype=str)
    assert list(book) == ["入户名单", "备用名单", "说明"]
    sheet = book["入户名单"]
    assert {"区县", "街道（乡镇）", "档案编号", "户主姓名", "联系电话", "身份证号", "结果代码"} <= set(sheet.columns)
    assert len(sheet) == 16 and set(sheet["区县"]) == {"瑶海区", "庐阳区"}
    # names and phones in full (the field needs them); the ID number masked
    full = roster.set_index("archive_id")
    assert sheet["户主姓名"].tolist() == full.loc[sheet["档案编号"], "name"].astype(str).tolist()
    assert sheet["联系电话"].str.fullmatch(r"\d{11}").all()
    assert sheet["身份证号"].str.fullmatch(r"\d{6}\*+\d{3}[\dX]").all()
    assert not {"入样概率", "权数"} & set(sheet.columns)
    # grouped by county then township
    keys = list(zip(sheet["区县"], sheet["街道（乡镇）"]))
    assert keys == sorted(keys, key=lambda k: (k[0], k[1]))
    assert len(book["备用名单"]) == 8 and book["备用名单"]["备用顺序"].tolist()[:2] == ["1", "2"]
    odk = pd.read_csv(out.odk_csv, dtype=str)
    assert tuple(odk.columns) == ODK_COLUMNS
    assert odk["name"].is_unique and set(odk["role"]) == {"sample", "reserve"}
    assert len(odk) == len(s.units) + len(s.reserves)
    assert not odk["label"].str.contains(r"\d{11}").any()      # no full phone in labels


def test_unmasked_option(roster, tmp_path):
    s = draw(roster, Design(seed="v", strata=("county",), n=10))
    out = write_visit_lists(s, roster, tmp_path, mask=False)
    sheet = pd.read_excel(next(iter(out.workbooks.values())), dtype=str)
    assert sheet["联系电话"].str.fullmatch(r"\d{11}").all()
    assert sheet["身份证号"].str.fullmatch(r"\d{17}[\dX]").all()
