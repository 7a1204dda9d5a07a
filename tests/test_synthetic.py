"""The synthetic city: deterministic files, an internally consistent roster,
and a planted truth that matches its own rates table."""
from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from toolkit import config
from toolkit.cli import main
from toolkit.config import DEFAULT_COUNTIES
from toolkit.roster.idcard import check_chars
from toolkit.roster.schema import FIELDS, FUND_SOURCES, HELP_FIELDS, HELP_ITEMS
from toolkit.synthetic import AS_OF, INDICATORS, MISMATCH_FIELDS, make_city, write_city

N = 3000


@pytest.fixture(scope="module")
def city():
    return make_city(N, 20260)


@pytest.fixture(scope="module")
def written(tmp_path_factory, city):
    out = tmp_path_factory.mktemp("city")
    write_city(city, out)
    return out


def _digests(d: Path) -> dict[str, str]:
    return {str(p.relative_to(d)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(d.rglob("*")) if p.is_file()}


# --- determinism -----------------------------------------------------------------

def test_same_seed_gives_byte_identical_files(tmp_path: Path) -> None:
    write_city(make_city(400, 99), tmp_path / "a")
    write_city(make_city(400, 99), tmp_path / "b")
    a, b = _digests(tmp_path / "a"), _digests(tmp_path / "b")
    assert set(a) >= {"roster.xlsx", "help_records.xlsx", "comparison.xlsx", "truth.parquet",
                      "truth_help.parquet", "truth_comparison.parquet", "truth_rates.csv",
                      "evaluation.toml", ".fieldeval/pseudonym.key"}
    assert a == b


def test_different_seeds_differ(tmp_path: Path) -> None:
    write_city(make_city(400, 1), tmp_path / "a")
    write_city(make_city(400, 2), tmp_path / "b")
    a, b = _digests(tmp_path / "a"), _digests(tmp_path / "b")
    for name in ("roster.xlsx", "help_records.xlsx", "truth.parquet", ".fieldeval/pseudonym.key"):
        assert a[name] != b[name], name


def test_rewriting_overwrites_in_place(tmp_path: Path) -> None:
    c = make_city(200, 5)
    write_city(c, tmp_path)
    first = _digests(tmp_path)
    write_city(c, tmp_path)
    assert _digests(tmp_path) == first
    assert not list(tmp_path.glob("*.part"))


# --- row counts and columns ----------------------------------------------------------

def test_row_counts_and_columns(city) -> None:
    assert len(city.roster) == N == len(city.truth)
    assert list(city.roster.columns) == [f.name for f in FIELDS]
    assert list(city.help_records.columns) == [f.name for f in HELP_FIELDS]
    assert len(city.truth_help) == len(city.help_records) > N
    assert len(city.comparison) == len(city.truth_comparison) == N // 10
    assert (city.truth["archive_id"] == city.roster["archive_id"]).all()
    assert (city.truth_help["archive_id"] == city.help_records["archive_id"]).all()
    assert (city.truth_comparison["comparison_id"] == city.comparison["comparison_id"]).all()
    assert len(city.rates) == len(DEFAULT_COUNTIES) * len(INDICATORS)


def test_small_city_still_has_every_county() -> None:
    c = make_city(30, 3)
    assert len(c.roster) == 30
    assert len(c.comparison) == 10 * len(DEFAULT_COUNTIES)


# --- the roster is internally consistent ------------------------------------------------

def test_places_archive_ids_and_townships(city) -> None:
    r = city.roster
    assert r["archive_id"].is_unique
    assert r["archive_id"].str.fullmatch(r"HF\d{6}-20\d\d-\d{5}").all()
    assert (r["archive_id"].str[2:8] == r["county_code"]).all()
    assert (r["archive_id"].str[9:13].astype(int) == r["registered_on"].dt.year).all()
    assert r["archive_id"].is_monotonic_increasing
    codes = {c.name: c.code for c in DEFAULT_COUNTIES}
    assert (r["county"].map(codes) == r["county_code"]).all()
    per_county = r.groupby("county")["township"].nunique()
    assert per_county.between(6, 12).all()
    assert r["county"].value_counts().nunique() > 1  # uneven sizes
    assert r["address"].str.startswith("合肥市").all()
    assert (r.apply(lambda row: row["county"] + row["township"] in row["address"], axis=1)).all()


def test_id_numbers_sex_and_birth_dates(city) -> None:
    r, t = city.roster, city.truth
    ids = r["id_number"]
    assert ids.str.fullmatch(r"\d{17}[\dX]").all()
    assert ids.is_unique
    valid = check_chars(ids.str[:17]) == ids.str[17]
    assert (valid == ~t["dq_id_bad_check"]).all()
    assert (check_chars(t["true_id_number"].str[:17]) == t["true_id_number"].str[17]).all()
    assert (ids.str[:17] == t["true_id_number"].str[:17]).all()
    assert (ids.str[:6] == r["county_code"]).all()
    male = ids.str[16].astype(int) % 2 == 1
    assert ((r["sex"] == "男") == male).all()
    assert (ids.str[6:14] == r["birth_date"].dt.strftime("%Y%m%d")).all()
    assert set(r["sex"]) == {"男", "女"}


def test_phones_and_helpers(city) -> None:
    r, t = city.roster, city.truth
    assert (r["phone"].isna() == t["dq_phone_missing"]).all()
    assert r["phone"].dropna().str.fullmatch(r"1[3-9]\d{9}").all()
    assert r["helper_phone"].dropna().str.fullmatch(r"1[3-9]\d{9}").all()
    assert (r["helper"].isna() == ~t["helper_assigned"]).all()
    assert (r["helper"].isna() == r["helper_phone"].isna()).all()
    assert 0 < r["helper"].isna().sum() < N * 0.05
    assert not (t["helper_contact"] & ~t["helper_assigned"]).any()
    assert r["name"].str.fullmatch(r"[\u4e00-\u9fff]{2,3}").all()


def test_statuses_and_dates_in_order(city) -> None:
    r = city.roster
    assert set(r["status"]) == {"在档", "已脱困", "已解困", "注销"}
    exited = r["status"].isin(["已脱困", "已解困"])
    assert (r["exited_on"].notna() == exited).all()
    assert (r["birth_date"] < r["registered_on"]).all()
    assert (r.loc[exited, "registered_on"] + pd.Timedelta(days=180) <= r.loc[exited, "exited_on"]).all()
    assert (r["exited_on"].dropna() <= pd.Timestamp(AS_OF)).all()
    assert (r["registered_on"] <= pd.Timestamp(AS_OF)).all()
    age = (pd.Timestamp(AS_OF) - r["birth_date"]).dt.days / 365.25
    assert age.between(18, 80).all()


def test_income_rule_and_categories(city) -> None:
    r, t = city.roster, city.truth
    size = r["household_size"].astype("float64")
    net = r["household_income"] - r["rigid_expenditure"] + r["jobless_able_members"] * t["min_wage"] * 12
    rule = (net / size / 12).round(2)
    known = size.notna()
    assert (rule[known] - r.loc[known, "income_per_capita"]).abs().max() <= 0.01
    assert (r["household_income"] > 0).all() and (r["rigid_expenditure"] >= 0).all()
    pc, dibao, cat = r["income_per_capita"], t["dibao"], r["category"]
    mult = config.Thresholds().relative_hardship_multiple
    line = np.where(cat == "深度困难", dibao, mult * dibao)
    assert (t["line"] == line).all()
    registered = r["status"] != "已脱困"
    assert (pc[registered] < line[registered]).all()
    deep = registered & (cat == "深度困难")
    rel = registered & (cat == "相对困难")
    assert (pc[deep] < dibao[deep]).all()
    assert ((pc[rel] >= dibao[rel]) & (pc[rel] < mult * dibao[rel])).all()
    assert (pc[~registered] > line[~registered]).all()  # exit-time income above the line
    acc = cat == "意外致困"
    assert r.loc[acc, "main_cause"].isin(["患重特大疾病", "意外事故", "自然灾害"]).all()
    assert set(cat) == {"深度困难", "相对困难", "意外致困"}


def test_causes(city) -> None:
    from toolkit.roster.schema import CAUSES

    r = city.roster
    assert r["main_cause"].isin(CAUSES).all()
    sec = r["secondary_causes"].dropna().str.split("、")
    assert sec.map(len).between(1, 3).all()
    assert sec.map(lambda xs: all(x in CAUSES for x in xs) and len(set(xs)) == len(xs)).all()
    main = r.loc[sec.index, "main_cause"]
    assert not any(m in xs for m, xs in zip(main, sec))


def test_help_records(city) -> None:
    h, r = city.help_records, city.roster
    assert h["archive_id"].isin(r["archive_id"]).all()
    assert h["item"].isin(HELP_ITEMS).all() and h["fund_source"].isin(FUND_SOURCES).all()
    assert set(h["item"]) == set(HELP_ITEMS)
    assert h["date"].between(pd.Timestamp(AS_OF) - pd.Timedelta(days=730), pd.Timestamp(AS_OF)).all()
    school = h[h["item"] == "金秋助学"].merge(r[["archive_id", "level"]], on="archive_id")
    high = school["level"].isin(["全国级", "省级"])
    assert (school.loc[high, "amount"] == 6300).all() and (school.loc[~high, "amount"] == 6000).all()
    assert (h["amount"] > 0).all()
    # no payment before registration or, for exited households, after the exit
    m = h.merge(r[["archive_id", "registered_on", "exited_on", "status"]], on="archive_id")
    assert (m["date"] >= m["registered_on"]).all()
    ex = m["status"] == "已脱困"
    assert (m.loc[ex, "date"] <= m.loc[ex, "exited_on"]).all()


# --- the planted truth ------------------------------------------------------------

def test_targeting_and_exit_flags(city) -> None:
    t = city.truth
    st = t["status"]
    true, line, dibao = t["true_income_per_capita"], t["line"], t["dibao"]
    wi, me, we = t["wrongly_included"], t["missed_exit"], t["wrongly_exited"]
    assert not (wi & (st != "在档")).any() and not (me & (st != "在档")).any()
    assert not (we & (st != "已脱困")).any()
    assert not (wi & me).any()
    assert ((true[wi] >= line[wi]) | t.loc[wi, "exclusion"].notna()).all()
    assert t.loc[wi, "exclusion"].notna().any() and t.loc[wi, "exclusion"].isna().any()
    ok = (st == "在档") & ~wi & ~me
    assert (true[ok] < line[ok]).all() and t.loc[ok, "exclusion"].isna().all()
    assert ((true[me] >= line[me]) & (t.loc[me, "months_above_line"] >= 6)).all()
    assert (true[we] <= dibao[we]).all()
    fine_exit = (st == "已脱困") & ~we
    assert (true[fine_exit] > dibao[fine_exit]).all()
    assert t["exclusion"].notna().sum() == (wi & t["exclusion"].notna()).sum()


def test_archive_mismatch_truth(city) -> None:
    r, t = city.roster, city.truth
    assert (t["archive_match"] == (t["mismatch_fields"] == "")).all()
    fields = t["mismatch_fields"].str.split("|")
    for f in MISMATCH_FIELDS:
        has = fields.map(lambda xs, f=f: f in xs).to_numpy(dtype=bool)
        assert has.any(), f
        archive = r[f].astype("float64") if f == "household_size" else r[f]
        known = archive.notna().to_numpy(dtype=bool)
        true = t["true_" + f].astype(archive.dtype)
        assert (true[has & known] != archive[has & known]).all(), f
        assert (true[~has & known] == archive[~has & known]).all(), f
    unconfirmed = ~t["cause_confirmed"]
    assert (t.loc[unconfirmed, "true_main_cause"] != r.loc[unconfirmed, "main_cause"]).all()
    assert (t.loc[~unconfirmed, "true_main_cause"] == r.loc[~unconfirmed, "main_cause"]).all()


def test_payments_truth(city) -> None:
    th = city.truth_help
    full = th["received_in_full"]
    assert (th.loc[full, "received_amount"] == th.loc[full, "amount"]).all()
    assert (th.loc[~full, "received_amount"] < th.loc[~full, "amount"]).all()
    assert (th["received_amount"] >= 0).all()
    assert "received_amount" not in city.help_records.columns
    assert (th["record_no"] == np.arange(len(th))).all()


def test_comparison_truth(city) -> None:
    c, tc = city.comparison, city.truth_comparison
    meets = tc["meets_criteria"]
    mult = config.Thresholds().relative_hardship_multiple
    below = tc["true_income_per_capita"] < mult * tc["dibao"]
    assert (meets == (below & tc["exclusion"].isna())).all()
    assert 0 < meets.sum() < len(tc) * 0.1
    assert c["comparison_id"].is_unique
    assert not c["id_number"].isin(city.roster["id_number"]).any()
    ids = c["id_number"]
    assert (check_chars(ids.str[:17]) == ids.str[17]).all()


def _recount(city) -> pd.DataFrame:
    t, th, tc = city.truth, city.truth_help, city.truth_comparison
    st = t["status"]
    every = pd.Series(True, index=t.index)
    spec = {
        "wrong_inclusion": (t, st == "在档", t["wrongly_included"]),
        "missed_exit": (t, st == "在档", t["missed_exit"]),
        "wrong_exit": (t, st == "已脱困", t["wrongly_exited"]),
        "missed": (tc, pd.Series(True, index=tc.index), tc["meets_criteria"]),
        "archive_mismatch": (t, every, ~t["archive_match"]),
        "cause_unconfirmed": (t, every, ~t["cause_confirmed"]),
        "no_help_plan": (t, every, ~t["help_plan"]),
        "helper_missing": (t, every, city.roster["helper"].isna()),
        "no_helper_contact": (t, city.roster["helper"].notna(), ~t["helper_contact"]),
        "payment_short": (th, pd.Series(True, index=th.index), ~th["received_in_full"]),
        "phone_missing": (t, every, city.roster["phone"].isna()),
        "id_bad_check": (t, every, check_chars(city.roster["id_number"].str[:17])
                         != city.roster["id_number"].str[17]),
        "household_size_blank": (t, every, city.roster["household_size"].isna()),
    }
    rows = []
    for ind, (frame, mask, flag) in spec.items():
        g = pd.DataFrame({"county": frame["county"], "u": mask.astype(int),
                          "p": (mask & flag).astype(int)}).groupby("county")[["u", "p"]].sum()
        for county, row in g.iterrows():
            rows.append((county, ind, int(row["u"]), int(row["p"])))
    return pd.DataFrame(rows, columns=["county", "indicator", "units_re", "planted_re"])


def test_planted_flags_match_rates_table(city) -> None:
    rates = city.rates.merge(_recount(city), on=["county", "indicator"], how="left")
    assert rates["units_re"].notna().all()
    assert (rates["units"] == rates["units_re"]).all()
    assert (rates["planted"] == rates["planted_re"]).all()
    assert np.allclose(rates["rate"], rates["planted"] / rates["units"])
    # exact counts: the realised rate is the target to within one unit
    assert ((rates["rate"] - rates["target_rate"]).abs() <= 0.5 / rates["units"] + 1e-12).all()


def test_rates_differ_by_county(city) -> None:
    r = city.rates
    for ind, (lo, hi, _, _) in INDICATORS.items():
        target = r.loc[r["indicator"] == ind, "target_rate"]
        assert target.nunique() == len(DEFAULT_COUNTIES), ind
        assert target.min() == pytest.approx(lo) and target.max() == pytest.approx(hi), ind
    we = r[r["indicator"] == "wrong_exit"]
    assert we["rate"].max() > 0.065 and we["rate"].min() < 0.02
    for col in ("dq_phone_missing", "dq_id_bad_check", "dq_household_size_blank"):
        assert city.truth[col].any(), col


# --- the files ----------------------------------------------------------------------

def test_roster_workbook_keeps_ids_as_text(written: Path, city) -> None:
    wb = openpyxl.load_workbook(written / "roster.xlsx")
    assert wb.sheetnames == ["困难职工档案"]
    ws = wb["困难职工档案"]
    assert [c.value for c in ws[1]] == [f.header for f in FIELDS]
    assert ws.max_row == N + 1
    row = {f.name: cell for f, cell in zip(FIELDS, ws[2])}
    for name in ("archive_id", "id_number", "phone", "county_code", "bank_card"):
        cell = row[name]
        assert isinstance(cell.value, str) and cell.number_format == "@", name
    assert row["household_income"].data_type == "n"
    assert wb.properties.created == wb.properties.modified == pd.Timestamp(AS_OF).to_pydatetime()


def test_workbooks_round_trip(written: Path, city) -> None:
    back = pd.read_excel(written / "roster.xlsx", dtype={f.header: str for f in FIELDS
                                                       if f.kind in ("id", "text", "choice")})
    assert list(back.columns) == [f.header for f in FIELDS]
    for f in FIELDS:
        a, b = back[f.header], city.roster[f.name]
        if f.kind == "date":
            assert (a.fillna(pd.Timestamp(0)) == b.fillna(pd.Timestamp(0))).all(), f.name
        elif f.kind in ("int", "number"):
            assert np.allclose(a.astype("float64"), b.astype("float64"), equal_nan=True), f.name
        else:
            assert (a.fillna("") == b.fillna("")).all(), f.name
    h = pd.read_excel(written / "help_records.xlsx", dtype={"档案编号": str})
    assert list(h.columns) == [f.header for f in HELP_FIELDS]
    assert len(h) == len(city.help_records)
    assert (h["档案编号"] == city.help_records["archive_id"]).all()
    assert np.allclose(h["金额（元）"], city.help_records["amount"])
    c = pd.read_excel(written / "comparison.xlsx", dtype=str)
    assert c.columns[0] == "对照户编号" and len(c) == len(city.comparison)
    assert (c["身份证号"] == city.comparison["id_number"]).all()


def test_truth_files_and_project(written: Path, city) -> None:
    t = pd.read_parquet(written / "truth.parquet")
    pd.testing.assert_frame_equal(t, city.truth, check_dtype=False)
    assert len(pd.read_parquet(written / "truth_help.parquet")) == len(city.help_records)
    rates = pd.read_csv(written / "truth_rates.csv")
    assert (rates["planted"] == city.rates["planted"]).all()
    ev = config.load(written)
    assert ev.counties == DEFAULT_COUNTIES
    assert ev.extra["synthetic"]["seed"] == 20260
    assert len(ev.key()) == 32


def test_roster_reader_sees_exactly_the_planted_problems(written: Path, city) -> None:
    from toolkit.roster import read_roster
    from toolkit.roster.validate import validate

    roster = read_roster(written / "roster.xlsx")
    problems = validate(roster, config.load(written))
    errors = problems[problems["severity"] == "error"]
    bad_id_rows = set(np.flatnonzero(city.truth["dq_id_bad_check"]) + 2)
    blank_rows = set(np.flatnonzero(city.truth["dq_household_size_blank"]) + 2)
    assert set(errors.loc[errors["column"] == "id_number", "row"]) == bad_id_rows
    assert set(errors.loc[errors["column"] == "household_size", "row"]) == blank_rows
    assert set(errors["column"]) <= {"id_number", "household_size"}


# --- the command ---------------------------------------------------------------------

def test_synth_command(tmp_path: Path, capsys) -> None:
    assert main(["synth", "--households", "120", "--seed", "4", "--out", str(tmp_path),
                 "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "120 registered households" in out and "roster.xlsx" in out
    assert (tmp_path / "roster.xlsx").exists() and (tmp_path / "evaluation.toml").exists()
    assert main(["synth", "--households", "0", "--seed", "4", "--out", str(tmp_path)]) == 2
    assert "户数" in capsys.readouterr().err
