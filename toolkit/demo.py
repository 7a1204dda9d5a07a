"""``fieldeval demo``: the whole evaluation on a synthetic city.

Steps (each one the library call the matching verb makes — toolkit.project —
never an argv string):
1. a synthetic city with planted truth (roster.xlsx, help_records.xlsx, ...);
2. the roster read and validated (problems.xlsx);
3. a two-stage random spot-check sample: townships by PPS, then households by
   hash tickets, ~100 households per county, with reserves and visit lists;
4. simulated field work (toolkit.synthetic_visits): the generator answers
   household_visit.xlsx from the planted truth, with noise and ~10 %
   non-response handled by releasing reserves in order; written as the
   fieldeval plain workbook ``output/visits/visits.xlsx`` +
   ``output/visits/dispositions.csv``; GPS points for every visit and a
   few photos (``output/visits/photos.zip``, a KoboToolbox-style media download);
   with the dispositions kept as the field's record (``output/field/dispositions.csv``);
5. ingest of that workbook into ``output/ingest``;
6. ``fieldeval verify``: findings and the scorecard in ``output/verify``,
   printed beside the planted truth (``truth_rates.csv`` and
   ``output/planted_indicators.csv``);
7. the evaluator's review (toolkit.project.review): one 错退 finding
   overturned, one confirmed, one submission rejected, verified again; the
   scorecard's main figures are after review, beside the figures as found;
7c. system-data reconciliation (toolkit.synthetic_reconcile): the synthetic
   union's report with planted differences checked against the roster and
   ledger into ``output/reconcile`` (``fieldeval reconcile check``);
7d. the fix list (toolkit.synthetic_fixes): exported for the union, its
   filled plan imported, an update with planted mistakes refused row by row;
8. the de-identified evaluation report (docx, html, xlsx) in ``output/report``.

With ``follow_up`` (``fieldeval demo`` by default) a follow-up round comes
before the report (toolkit.synthetic_rounds.demo_follow_up): the baseline is
closed (kept under ``output/rounds/``), half of its interviewed households
are re-visited after planted fixes in two counties, and the report and the
leadership dashboard show the change since the baseline.
"""
from __future__ import annotations

from pathlib import Path


from toolkit.errors import UserError
from toolkit.i18n import t
from toolkit.synthetic import make_city
from toolkit.synthetic_visits import FORM_PATH, planted_indicators, simulate_visits, write_photos, write_visits


def run_demo(directory: str | Path, *, seed: int = 2026, households: int = 3000, lang: str = "zh",
             follow_up: bool = False) -> Path:
    """Run the demo into ``directory``; return it. Raises UserError on failure.
    Every step is the library call the matching verb makes (toolkit.project)."""
    import sys
    import time

    from tqdm import tqdm

    from toolkit.commands import ingest as ingest_cmd
    from toolkit.commands import roster as roster_cmd
    from toolkit.commands.verify import run as run_verify
    from toolkit.project import Project
    from toolkit.sampling.select import Design
    from toolkit.synthetic import write_city

    d = Path(directory)
    _start_fresh(d)
    total = 8

    def step(i: int, key: str) -> None:
        print(f"\n== {i}/{total} " + t(key, lang))

    # 1. the synthetic city (the same call as `fieldeval synth`)
    step(1, "demo.step_synth")
    start = time.perf_counter()
    city = make_city(households, seed)
    written = write_city(city, d)
    print(t("synthetic.built", lang, seed=seed, households=len(city.roster), counties=len(city.evaluation.counties),
            records=len(city.help_records), comparison=len(city.comparison), seconds=time.perf_counter() - start))
    for f in written:
        print(t("synthetic.file_plain" if f.rows is None else "synthetic.file", lang, path=f.path, rows=f.rows))
    print(t("synthetic.truth_note", lang))
    project = Project.open(d)

    # 2. roster check (planted roster errors: exit 1 is expected)
    step(2, "demo.step_check")
    roster_cmd.check(d / "roster.xlsx", project.evaluation, problems_out=d / "output" / "roster_problems.xlsx",
                     lang=lang)

    # 3. two-stage sample with reserves and a comparison frame
    step(3, "demo.step_sample")
    design = Design(seed=str(seed), seed_source=t("words2.demo_seed_source", lang), strata=("county",), method="two_stage",
                    reserves=5, psu="township", psus_per_stratum=4, per_psu=25)
    with tqdm(desc=t("sampling.progress_tickets", lang), unit="hh", disable=None, file=sys.stderr,
              leave=False) as bar:
        sample, sdir = project.draw(design, comparison=d / "comparison.xlsx", progress=bar.update)
    print(t("sampling.drawn", lang, n=len(sample.units), strata=len(sample.allocation.strata),
            reserves=len(sample.reserves), seed=seed))
    print(t("common.wrote", lang, path=str(sdir)))

    # 4. simulated visits; the field's dispositions kept in the project
    step(4, "demo.step_visits")
    visits = simulate_visits(city, sample.units, sample.reserves, seed=seed, fabricator=True)
    if visits.interviewers is not None:   # issue 18: the planted fabricator, for tests only
        visits.interviewers.to_csv(d / "truth_interviewers.csv", index=False, encoding="utf-8-sig")
    xlsx, _ = write_visits(visits, d / "output" / "visits")
    from toolkit.maps.synthetic import write_truth
    write_truth(visits, d)   # truth_locations.csv: the planted location problems (issue 22)
    project.save_dispositions(visits.dispositions)
    codes = visits.dispositions["code"].value_counts()
    print(t("demo.visits_done", lang, released=len(visits.dispositions), completed=int(codes.get("completed", 0)),
            reserves=int((visits.dispositions["role"] == "reserve").sum()), path=xlsx))

    # 5. ingest
    step(5, "demo.step_ingest")
    photos = write_photos(visits, d / "output" / "visits")   # the visits' photos, as a media download
    result = project.ingest([xlsx, *([photos] if photos else [])], form=FORM_PATH, lang=lang)
    ingest_cmd.print_result(result, project.paths.ingest, lang)

    # 5b. document review and forum notes (issue 19), through their xlsx round trips
    from toolkit.synthetic_checklist import demo_documents

    print("\n== " + t("checklist.demo_step", lang))
    demo_documents(project, lang)

    # 6. verify + scorecard beside the planted truth
    step(6, "demo.step_verify")
    planted = planted_indicators(city, visits.satisfaction)
    planted.to_csv(d / "output" / "planted_indicators.csv", index=False, encoding="utf-8-sig")
    run_verify(str(d), lang=lang, planted=planted)
    print("\n" + t("demo.truth_note", lang, path=d / "truth_rates.csv"))

    # 7. the evaluator's review: a few decisions, then verify again (the figures after review)
    step(7, "review.demo_step")
    review_demo(project, lang)

    # 7b. back-checks of the field team: drawn, answered from the planted truth, compared
    from toolkit.synthetic_backcheck import demo_backchecks

    print("\n== " + t("backcheck.demo_step", lang))
    demo_backchecks(d, city, sample, visits, seed=seed, lang=lang)

    # 7c. system-data reconciliation: the synthetic union's report against the roster and ledger (issue 19)
    from toolkit.synthetic_reconcile import demo_reconcile

    print("\n== " + t("recon.demo_step", lang))
    demo_reconcile(project, lang)

    # 7d. the fix list (整改清单): exported for the union, its filled plan read back, planted mistakes refused
    from toolkit.synthetic_fixes import demo_fixes

    print("\n== " + t("fixes.demo.step", lang))
    demo_fixes(d, lang=lang, seed=seed)

    # 7e. the follow-up round after the fix period (issue 19): half the sample re-visited (a panel), fixes
    # planted in two counties and none in the third; the change since the baseline with its 95 % interval
    if follow_up:
        from toolkit.synthetic_rounds import demo_follow_up

        print("\n== " + t("rounds.demo_step", lang))
        demo_follow_up(d, city, seed=seed, lang=lang)
        # the follow-up's own document review and forums (entries belong to a round), verified again
        print("\n== " + t("checklist.demo_step", lang))
        demo_documents(Project.open(d), lang)
        Project.open(d).verify()

    # 8. the evaluation report (de-identified, for leadership)
    step(8, "demo.step_report")
    from toolkit.report import build_report

    for fmt, path in build_report(d, lang=lang).items():
        print(t("report.written", lang, fmt=fmt, path=path))
    print("\n" + t("demo.done", lang, path=d.resolve()))
    return d


DEMO_REVIEWER = "演示评估员"


def review_demo(project, lang: str = "zh") -> object:  # noqa: ANN001 - toolkit.project.Project
    """Record the demo's review decisions through the calls ``fieldeval
    review set`` / ``review status`` make — one 错退 finding overturned, one
    confirmed, one submission rejected — then verify again and print the
    indicators the review moved (as found → after review). Returns the results."""
    import numpy as np

    from toolkit.project import review as rv
    from toolkit.verify.indicators import ALL, INDICATORS

    res = project.results()
    ev = res.evidence.sort_values(["finding", "archive_id"])
    flagged = ev[ev["flagged"].astype(bool)]
    we = flagged[flagged["finding"] == "wrong_exit"]
    pick = we if len(we) else flagged[flagged["finding"].isin(("wrong_inclusion", "missed_exit", "missed"))]
    n = over = rej = 0
    if len(pick):
        a = pick.iloc[0]
        rv.decide(project, a["archive_id"], a["finding"], "overturned", t("review.demo_why_overturn", lang),
                  DEMO_REVIEWER)
        n, over = n + 1, over + 1
        if len(pick) > 1:
            b = pick.iloc[1]
            rv.decide(project, b["archive_id"], b["finding"], "confirmed", t("review.demo_why_confirm", lang),
                      DEMO_REVIEWER)
            n += 1
    hh = res.households.sort_values("archive_id")
    others = hh[~hh["archive_id"].isin(set(pick["archive_id"].head(2)))]
    if len(others):
        rv.set_status(project, str(others["KEY"].iloc[0]), "rejected", t("review.demo_why_reject", lang),
                      DEMO_REVIEWER)
        n, rej = n + 1, rej + 1
    after = project.verify(lang=lang)
    print(t("review.demo_done", lang, n=n, overturned=over, rejected=rej))
    card = after.scorecard
    moved = card[(card["decisions"] > 0) & (card["county"] != ALL)]
    spec = {i.name: i for i in INDICATORS}
    for r in moved.itertuples():
        name = spec[r.indicator].zh if lang == "zh" else spec[r.indicator].en
        fmt = lambda x: "–" if np.isnan(x) else f"{x * 100:.1f}%"  # noqa: E731
        print(t("review.demo_line", lang, indicator=name, county=r.county, before=fmt(r.estimate_as_found),
                after=fmt(r.estimate), n=r.decisions))
    return after


def _start_fresh(d: Path) -> None:
    """A demo directory is the demo's own: a previous demo's outputs and store
    are removed so that ``make demo`` can be run again. Any other non-empty
    directory is refused (UserError), so no one's project is overwritten."""
    import shutil
    import tomllib


    if not d.exists() or not any(d.iterdir()):
        return
    cfg = d / "evaluation.toml"
    try:
        is_demo = "synthetic" in tomllib.loads(cfg.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        is_demo = False
    if not is_demo:
        raise UserError("demo.not_a_demo_dir", path=str(d))
    from toolkit import config

    ev = config.load(d)
    shutil.rmtree(ev.path("output"), ignore_errors=True)
    store = ev.path("store")
    for p in (store, store.with_name(store.name + "-wal"), store.with_name(store.name + "-shm")):
        p.unlink(missing_ok=True)
