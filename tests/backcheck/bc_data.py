"""Small synthetic back-check cases at frame level (no full pipeline).

``case(seed)``: a field of interviewers, each with completed visits and a few
non-responses; the households' true answers (``truth``); the original visits
(``visits``: the truth with 1 % honest interviewer error, and, for the planted
fabricator, answers made up at the desk and no visit at all); the picks of a
back-check draw; and the back-check answers from the truth
(toolkit.synthetic_backcheck) with one careless back-checker.

``project(dir, case)``: a project folder holding exactly what the back-check
verbs read — evaluation.toml, the main manifest and a stored verification
(``output/verify``) built from the case — so the CLI runs in seconds.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from toolkit.backcheck.draw import draw
from toolkit.synthetic_backcheck import answer_backchecks

BACKCHECKERS = ("B1", "B2", "B3", "B4")
CARELESS = "B3"
YN = ("serious_illness", "disabled", "car", "shop_employer", "helper_known", "helper_contact_6m")
AMOUNTS = ("inc_wage", "inc_pension", "inc_transfer", "inc_other", "exp_medical", "exp_school")


@dataclass
class Case:
    truth: pd.DataFrame
    members: pd.DataFrame
    payments: pd.DataFrame
    visits: pd.DataFrame
    visit_members: pd.DataFrame
    population: pd.DataFrame
    picks: pd.DataFrame
    backchecks: pd.DataFrame
    bc_payments: pd.DataFrame
    fabricator: str | None
    """the planted fabricator(s), comma-separated"""


def _flip_yn(v: np.ndarray, wrong: np.ndarray) -> np.ndarray:
    return np.where(wrong, np.where(v == "yes", "no", "yes"), v)


def case(seed: int, *, interviewers: int = 10, per: int = 36, fabricator: bool = True, share: float = 0.2,
         min_per: int = 5, honest_error: float = 0.01, cases: int = 1) -> Case:
    """One synthetic field (module doc); everything from ``seed``. ``cases`` > 1
    builds that many independent fields at once (interviewers ``C007-E03``,
    one fabricator each, column ``case``): a hundred cities in one pass."""
    rng = np.random.default_rng([seed, 77])
    enums = [f"C{c:03d}-E{i:02d}" if cases > 1 else f"E{i:02d}" for c in range(cases) for i in range(interviewers)]
    n = len(enums) * per
    ids = np.array([f"HF-{seed % 1000:03d}-{i:06d}" for i in range(n)], dtype=object)
    who = np.repeat(enums, per).astype(object)
    team = np.array([f"{e[:5]}T{int(e[-2:]) // 3}" if cases > 1 else f"T{int(e[-2:]) // 3}" for e in who],
                    dtype=object)
    keys = np.array([f"uuid:v-{seed}-{i}" for i in range(n)], dtype=object)
    u = rng.random(n)
    vr = np.where(u < 0.88, "met", np.where(u < 0.93, "refused", np.where(u < 0.97, "absent", "moved")))
    size = rng.integers(1, 7, n)
    truth = pd.DataFrame({"KEY": keys, "archive_id": ids, "interviewer_1": who, "county_code": team,
                          "visit_result": vr, "end": pd.Timestamp("2026-03-01") + pd.to_timedelta(np.arange(n), "min"),
                          "members_n": size.astype(float), "school_children": rng.integers(0, 3, n).astype(float),
                          "homes_owned": rng.integers(0, 2, n).astype(float)})
    for c in YN:
        truth[c] = np.where(rng.random(n) < 0.4, "yes", "no")
    for c in AMOUNTS:
        truth[c] = np.where(rng.random(n) < 0.3, 0.0, np.round(rng.lognormal(9, 0.8, n), -1))
    truth["sat_overall"] = rng.choice([2.0, 3.0, 4.0, 5.0], n, p=(0.1, 0.2, 0.4, 0.3))
    met = vr == "met"
    answer_cols = ["members_n", "school_children", "homes_owned", *YN, *AMOUNTS, "sat_overall"]
    truth.loc[~met, answer_cols] = np.nan
    rep = np.repeat(np.arange(n), size)
    members = pd.DataFrame({"PARENT_KEY": keys[rep], "m_work": rng.choice(
        ["employed", "migrant", "retired", "unemployed", "student"], len(rep))})
    members = members[met[rep]].reset_index(drop=True)
    k = rng.integers(0, 3, n) * met
    prow = np.repeat(np.arange(n), k)
    payments = pd.DataFrame({"PARENT_KEY": keys[prow], "pay_item": rng.choice(["living", "school", "medical"], len(prow)),
                             "pay_year": rng.choice([2024, 2025], len(prow)),
                             "pay_received": rng.choice(["full", "partial", "none"], len(prow), p=(0.85, 0.1, 0.05))})
    # the original visits: honest error, and the fabricator's desk answers
    visits = truth.copy()
    for c in ("members_n", "school_children", "homes_owned"):
        bad = rng.random(n) < honest_error
        visits[c] = np.where(bad & met, visits[c] + 1, visits[c])
    for c in YN:
        visits[c] = np.where(met, _flip_yn(visits[c].to_numpy(), rng.random(n) < honest_error), None)
    fab = None
    not_visited: set = set()
    vm = members.copy()
    if fabricator:
        fabs = [enums[c * interviewers + int(rng.integers(0, interviewers))] for c in range(cases)]
        fab = ",".join(fabs)
        rows = np.isin(who, fabs) & met
        m = int(rows.sum())
        visits.loc[rows, "members_n"] = rng.integers(1, 7, m).astype(float)
        visits.loc[rows, "school_children"] = rng.integers(0, 3, m).astype(float)
        visits.loc[rows, "homes_owned"] = rng.integers(0, 2, m).astype(float)
        for c in YN:
            visits.loc[rows, c] = np.where(rng.random(m) < 0.5, "yes", "no")
        for c in AMOUNTS:
            visits.loc[rows, c] = np.round(visits.loc[rows, c].astype(float), -3)
        visits.loc[rows, "sat_overall"] = 5.0
        not_visited = set(ids[rows][rng.random(m) < 0.8])   # a few were phoned
        fk = set(keys[rows])
        vm.loc[vm["PARENT_KEY"].isin(fk), "m_work"] = "employed"
    disp = pd.Series(vr).map({"met": "completed", "refused": "refused", "absent": "not_at_home", "moved": "moved"})
    population = pd.DataFrame({"archive_id": ids, "interviewer": who, "team": team, "disposition": disp.to_numpy(),
                               "finding": rng.random(n) < 0.15})
    picks = draw(population, seed=str(seed), share=share, min_per=min_per, weight_finding=2.0,
                 weight_nonresponse=2.0, backcheckers=list(BACKCHECKERS))
    truth_visits = truth.copy()
    bc, bc_pay = answer_backchecks(truth_visits, picks, seed=seed, members=members, payments=payments,
                                   not_visited=not_visited, careless=CARELESS)
    return Case(truth, members, payments, visits, vm, population, picks, bc, bc_pay, fab)


def project(d: Path, c: Case) -> Path:
    """A project folder with a stored verification built from the case (module doc)."""
    d.mkdir(parents=True, exist_ok=True)
    teams = sorted(set(c.truth["county_code"]))
    counties = "".join(f'\n[[counties]]\nname = "{t}"\ncode = "{340100 + i}"\ndibao = 880.0\nmin_wage = 2060.0\n'
                       for i, t in enumerate(teams))
    (d / "evaluation.toml").write_text(f'[evaluation]\nname = "复核测试"\nlanguage = "zh"\n{counties}',
                                       encoding="utf-8")
    out = d / "output"
    (out / "sample").mkdir(parents=True)
    (out / "sample" / "manifest.json").write_text(json.dumps({"algorithm": "fieldeval-sampling/1", "seed": "1"}),
                                                  encoding="utf-8")
    v = out / "verify"
    v.mkdir()
    subs = c.visits.copy()
    subs["_status"] = "accepted"
    subs.to_parquet(v / "visits_submissions.parquet", index=False)
    c.visit_members.to_parquet(v / "visits_member.parquet", index=False)
    c.payments.to_parquet(v / "visits_payment.parquet", index=False)
    met = subs["visit_result"] == "met"
    pd.DataFrame({"archive_id": subs["archive_id"][met], "KEY": subs["KEY"][met],
                  "county": subs["county_code"][met]}).to_parquet(v / "households.parquet", index=False)
    pop = c.population
    pd.DataFrame({"archive_id": pop["archive_id"], "county": pop["team"], "finding": "wrong_inclusion",
                  "flagged": pop["finding"]}).to_parquet(v / "findings.parquet", index=False)
    pd.DataFrame({"archive_id": pop["archive_id"], "code": pop["disposition"], "visits": "1",
                  "role": "selected"}).to_parquet(v / "dispositions.parquet", index=False)
    pd.DataFrame({"archive_id": pop["archive_id"], "name": "张三", "phone": "13800000000",
                  "address": "某街道某号", "county": pop["team"], "township": "某街道"}).to_parquet(
        v / "roster.parquet", index=False)
    (v / "meta.json").write_text(json.dumps({"complete": True, "round": "current"}), encoding="utf-8")
    return d
