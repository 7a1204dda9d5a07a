"""Simulated back-check answers (demo, tests and benchmark): the household's
true answers with small honest noise, from one careless back-checker with a
lot more, and "nobody came" from households an interviewer never visited.

Input is the truth as the household would tell it — one row per household
with the household visit's column names (``members_n``, ``school_children``,
``inc_wage`` …, ``visit_result``), its member repeat (for the members
working) and its ledger payments — plus the back-check picks (archive_id,
backchecker). In the demo the truth is the synthetic field work played
without the planted fabricator (toolkit.synthetic_visits with the same
seed: every honest answer is the planted truth, up to the simulated noise);
``not_visited`` names the households whose interviewer filled the form in
without visiting (the fabricator's), who answer R11 "no".

Noise, per compared answer: with probability ``noise`` (honest, default
2 %) or ``careless_noise`` (the careless back-checker, default 20 %) the
answer is wrong — a count ±1, an amount × 0.4–0.6 or × 1.6–2.0 (beyond the
form's 1,000-or-20 % tolerance), a choice another of its values. Contact:
92 % reached, 4 % not reached, 4 % refused. Seeded: same inputs and seed,
same answers. Everything on whole columns.
"""
from __future__ import annotations

import os

import numpy as np
import pandas as pd

from toolkit.backcheck.pairs import THERE, VISITED, WORKING, latest

COUNTS = ("members_n", "members_working", "school_children", "homes_owned")
AMOUNTS = ("inc_wage", "inc_pension", "inc_transfer", "inc_other", "exp_medical", "exp_school")
YES_NO = ("serious_illness", "disabled", "car", "shop_employer", "helper_known", "helper_contact_6m")
RENAME = {"members_n": "hh_size"}


def _flip(rng: np.random.Generator, values: np.ndarray, wrong: np.ndarray, choices: tuple) -> np.ndarray:
    """Values with the ``wrong`` ones replaced by another of ``choices``."""
    out = values.astype(object).copy()
    k = rng.integers(1, len(choices), len(values))
    idx = pd.Index(choices).get_indexer(pd.Series(values, dtype=object).astype(str))
    other = np.asarray(choices, dtype=object)[(np.maximum(idx, 0) + k) % len(choices)]
    return np.where(wrong & pd.notna(values), other, out)


def answer_backchecks(truth: pd.DataFrame, picks: pd.DataFrame, *, seed: int,
                      members: pd.DataFrame | None = None, payments: pd.DataFrame | None = None,
                      not_visited: set | None = None, careless: str | None = None, noise: float = 0.02,
                      careless_noise: float = 0.20, start: str = "2026-04-20") -> tuple[pd.DataFrame, pd.DataFrame]:
    """(back-check submissions, payment repeat rows) as a back-check export
    would hold them (module doc)."""
    rng = np.random.default_rng([int(seed), 1818])
    tr = latest(truth).set_index("archive_id")
    p = picks.assign(archive_id=picks["archive_id"].astype(str)).reset_index(drop=True)
    n = len(p)
    t = tr.reindex(p["archive_id"])
    is_careless = (p["backchecker"].astype(str) == str(careless)).to_numpy() if careless else np.zeros(n, bool)
    rate = np.where(is_careless, careless_noise, noise)
    wrong = lambda: rng.random(n) < rate  # noqa: E731
    keys = np.array([f"uuid:bc-{seed}-{i:06d}" for i in range(n)], dtype=object)
    vr = t["visit_result"].astype("string").fillna("").to_numpy(dtype=object)
    u = rng.random(n)
    reach = np.where(u < 0.92, "reached", np.where(u < 0.96, "not_reached", "refused")).astype(object)
    gone = np.isin(vr, ("moved", "not_found"))
    reach = np.where(gone & (reach == "reached"), np.where(rng.random(n) < 0.5, "not_exist", "reached"), reach)
    consent = np.where(reach == "reached", "yes", None)
    ok = consent == "yes"
    day = np.datetime64(start) + rng.integers(0, 14, n).astype("timedelta64[D]")
    t0 = day.astype("datetime64[s]") + (9 * 3600 + rng.integers(0, 8 * 3600, n)).astype("timedelta64[s]")
    out = pd.DataFrame({
        "KEY": keys, "start": t0, "end": t0 + rng.integers(6 * 60, 15 * 60, n).astype("timedelta64[s]"),
        "archive_id": p["archive_id"].to_numpy(), "backchecker": p["backchecker"].astype(str).to_numpy(),
        "bc_mode": np.where(rng.random(n) < 0.7, "phone", "visit"), "bc_reach": reach, "bc_consent": consent})
    there = pd.Series(vr).map(THERE).to_numpy(dtype=object)
    there = np.where(pd.isna(there), "yes", there)
    out["household_there"] = np.where(np.isin(reach, ("reached", "refused")), _flip(rng, there, wrong(), ("yes", "no")),
                                      None)
    visited = pd.Series(vr).map(VISITED).fillna("no").to_numpy(dtype=object)
    if not_visited:
        visited = np.where(p["archive_id"].isin(not_visited).to_numpy(), "no", visited)
    out["visited_confirmed"] = np.where(ok, _flip(rng, visited, wrong(), ("yes", "no")), None)
    done = ok & (vr == "met") & t["members_n"].notna().to_numpy() if "members_n" in t else ok & False
    if members is not None and len(members) and "m_work" in members:
        w = members["m_work"].astype("string").isin(WORKING).fillna(False).groupby(
            members["PARENT_KEY"].astype(str)).sum()
        t = t.assign(members_working=w.reindex(t["KEY"].astype(str)).to_numpy(dtype=float))
    for c in COUNTS:
        v = pd.to_numeric(t[c], errors="coerce").to_numpy(float) if c in t else np.full(n, np.nan)
        bad = wrong()
        v = np.where(bad, np.maximum(v + np.where(rng.random(n) < 0.5, -1, 1), 0 if c != "members_n" else 1), v)
        out[RENAME.get(c, c)] = np.where(done, v, np.nan)
    if "hh_size" in out and "members_working" in out:
        out["members_working"] = np.minimum(out["members_working"], out["hh_size"])
    for c in AMOUNTS:
        v = pd.to_numeric(t[c], errors="coerce").to_numpy(float) if c in t else np.full(n, np.nan)
        bad = wrong()
        factor = np.where(rng.random(n) < 0.5, rng.uniform(0.4, 0.6, n), rng.uniform(1.6, 2.0, n))
        v = np.where(bad, np.where(v > 0, np.round(v * factor, -1), 2000.0), v)
        out[c] = np.where(done, v, np.nan)
    for c in YES_NO:
        v = t[c].astype(object).to_numpy() if c in t else np.full(n, None, dtype=object)
        out[c] = np.where(done, _flip(rng, v, wrong(), ("yes", "no")), None)
    out["helper_contact_6m"] = np.where(out["helper_known"] == "yes", out["helper_contact_6m"], None)
    sat = t["sat_overall"].to_numpy(dtype=object) if "sat_overall" in t else np.full(n, None, dtype=object)
    sat = pd.Series(sat).map(lambda v: None if pd.isna(v) else str(int(float(v)))).to_numpy(dtype=object)
    out["sat_overall"] = np.where(done, _flip(rng, sat, wrong(), ("1", "2", "3", "4", "5")), None)
    pays = pd.DataFrame(columns=["PARENT_KEY", "KEY", "pay_item", "pay_year", "pay_received"])
    if payments is not None and len(payments) and "PARENT_KEY" in payments:
        pk = dict(zip(t["KEY"].astype(str), keys))
        asked = dict(zip(keys, done))
        pr = payments[payments["PARENT_KEY"].astype(str).isin(pk)].copy()
        pr["PARENT_KEY"] = pr["PARENT_KEY"].astype(str).map(pk)
        pr = pr[pr["PARENT_KEY"].map(asked).astype(bool)]
        m = len(pr)
        careless_rows = pr["PARENT_KEY"].map(dict(zip(keys, is_careless))).to_numpy(dtype=bool)
        bad = rng.random(m) < np.where(careless_rows, careless_noise, noise)
        got = _flip(rng, pr["pay_received"].astype(object).to_numpy(), bad, ("full", "partial", "none"))
        pays = pd.DataFrame({"PARENT_KEY": pr["PARENT_KEY"].to_numpy(),
                             "KEY": pr["PARENT_KEY"].to_numpy() + "/payment[" +
                             (pr.groupby("PARENT_KEY").cumcount() + 1).astype(str).to_numpy() + "]",
                             "pay_item": pr["pay_item"].to_numpy(), "pay_year": pr["pay_year"].to_numpy(),
                             "pay_received": got})
    return out, pays


__all__ = ["answer_backchecks"]


def write_export(submissions: pd.DataFrame, payments: pd.DataFrame, path: str, *,
                 form_path: str | None = None) -> str:
    """The simulated back-checks as an ODK Central export zip of the back-check form
    (toolkit.ingest.writers.write_odk_zip), as the field would download it."""
    from toolkit.backcheck.spec import form_path as bc_form
    from toolkit.forms.reader import read_xlsform
    from toolkit.ingest.model import Submissions
    from toolkit.ingest.writers import write_odk_zip

    form = read_xlsform(form_path or bc_form())
    main = submissions.copy()
    main["today"] = pd.to_datetime(main["start"]).dt.normalize()
    main["deviceid"] = "collect:bc-" + main["backchecker"].astype(str)
    main["device_id"] = main["deviceid"]
    main["submitted_at"] = pd.to_datetime(main["end"]) + pd.Timedelta(minutes=30)
    main["enumerator"] = main["backchecker"].astype(str)
    main["form_version"] = form.version
    for q in form.questions:   # every column of the form, blank when not answered
        if q.has_value and not q.repeat and q.name not in main:
            main[q.name] = None
    subs = Submissions(form.form_id, main, {"payment": payments})
    out = write_odk_zip(subs, form, path)
    os.chmod(out, 0o600)   # answers of named households: the evaluator's alone
    return str(out)


DEMO_BACKCHECKERS = ("BC1", "BC2", "BC3")
DEMO_CARELESS = "BC2"


def demo_backchecks(directory, city, sample, visits, *, seed: int, lang: str = "zh") -> object:  # noqa: ANN001
    """The demo's back-checks (toolkit.demo): draw 15 % (at least 2 per
    interviewer) with three back-checkers, answer them from the planted truth
    — the field work played again without a fabricator (same seed: every
    honest answer is the truth) — with one careless back-checker (BC2), and
    "nobody came" from the households of a planted fabricator
    (``visits.interviewers``, when toolkit.synthetic_visits planted one); write
    the answers as an ODK Central export; compare. ``truth_backcheck.csv``
    names the careless back-checker (tests only). Returns the results."""
    from pathlib import Path

    from toolkit.backcheck.run import compare_project, draw_project
    from toolkit.i18n import t
    from toolkit.synthetic_visits import simulate_visits

    d = Path(directory)
    r = draw_project(d, seed=f"{seed}-1", backcheckers=list(DEMO_BACKCHECKERS), lang=lang)
    print(t("backcheck.drawn", lang, draw=r.draw, new=len(r.new), total=len(r.picks), population=r.population,
            interviewers=r.picks["interviewer"].nunique(), seed=r.seed))
    honest = simulate_visits(city, sample.units, sample.reserves, seed=seed)
    roles = getattr(visits, "interviewers", None)
    not_visited: set = set()
    if roles is not None and len(roles) and "role" in roles:
        fab = set(roles.loc[roles["role"].astype(str) == "fabricator", "enumerator"].astype(str))
        s = visits.submissions
        done = s["consent"].astype(str).eq("yes") if "consent" in s else True
        not_visited = set(s.loc[s["interviewer_1"].astype(str).isin(fab) & done, "archive_id"].astype(str))
    answers, pays = answer_backchecks(honest.submissions, r.picks, seed=seed, members=honest.members,
                                      payments=honest.payments, not_visited=not_visited, careless=DEMO_CARELESS)
    export = write_export(answers, pays, str(d / "output" / "backcheck" / "backcheck_export.zip"))
    pd.DataFrame({"backchecker": list(DEMO_BACKCHECKERS),
                  "role": ["careless" if b == DEMO_CARELESS else "honest" for b in DEMO_BACKCHECKERS]}).to_csv(
        d / "truth_backcheck.csv", index=False, encoding="utf-8-sig")
    res, written, _ = compare_project(d, [export], lang=lang)
    o = res.overall.iloc[0]
    flagged = res.enumerators[res.enumerators["flagged"]]["enumerator"].astype(str).tolist()
    print(t("backcheck.compared", lang, households=res.pairs["id"].nunique(), pairs=int(o["compared"]),
            rate1="—" if pd.isna(o["error_rate_1"]) else f"{o['error_rate_1']:.1%}", flagged=len(flagged),
            names=("：" if lang == "zh" else ": ") + ", ".join(flagged) if flagged else ""))
    print(t("backcheck.wrote", lang, path=str(written["xlsx"])))
    return res
