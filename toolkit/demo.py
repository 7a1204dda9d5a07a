"""``fieldeval demo``: the whole evaluation on a synthetic city.

Steps (each one the same call a user makes with the command line):
1. a synthetic city with planted truth (roster.xlsx, help_records.xlsx, ...);
2. the roster read and validated (problems.xlsx);
3. a two-stage random spot-check sample: townships by PPS, then households by
   hash tickets, ~100 households per county, with reserves and visit lists;
4. simulated field work (toolkit.synthetic_visits): the generator answers
   household_visit.xlsx from the planted truth, with noise and ~10 %
   non-response handled by releasing reserves in order; written as the
   fieldeval plain workbook ``output/visits/visits.xlsx`` +
   ``output/visits/dispositions.csv``;
5. ``fieldeval ingest`` of that workbook into ``output/ingest``;
6. ``fieldeval verify``: findings and the scorecard in ``output/verify``,
   printed beside the planted truth (``truth_rates.csv`` and
   ``output/planted_indicators.csv``);
7. the de-identified evaluation report (docx, html, xlsx) in ``output/report``.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from toolkit.errors import UserError
from toolkit.i18n import t
from toolkit.synthetic import make_city
from toolkit.synthetic_visits import FORM_PATH, planted_indicators, simulate_visits, write_visits

DEMO_SEED_SOURCE = "demo: fixed seed, not a public draw"


def run_demo(directory: str | Path, *, seed: int = 2026, households: int = 3000, lang: str = "zh") -> Path:
    """Run the demo into ``directory``; return it. Raises UserError on failure."""
    from toolkit.cli import main

    d = Path(directory)
    _start_fresh(d)
    steps = [
        ("demo.step_synth", ["synth", "--households", str(households), "--seed", str(seed), "--out", str(d)]),
        ("demo.step_check", ["roster", "check", str(d / "roster.xlsx"), "--project", str(d),
                             "--problems", str(d / "output" / "roster_problems.xlsx")]),
        ("demo.step_sample", ["sample", "draw", str(d / "roster.xlsx"), "--project", str(d),
                              "--strata", "county", "--two-stage", "--psu", "township",
                              "--psus-per-stratum", "4", "--per-psu", "25", "--reserves", "5",
                              "--comparison", str(d / "comparison.xlsx"),
                              "--seed", str(seed), "--seed-source", DEMO_SEED_SOURCE,
                              "--out", str(d / "output" / "sample")]),
    ]
    ok_codes = {"demo.step_check": (0, 1), "demo.step_ingest": (0, 1)}  # planted roster errors: exit 1
    total = len(steps) + 4
    for i, (key, argv) in enumerate(steps, 1):
        print(f"\n== {i}/{total} " + t(key, lang))
        code = main([*argv, "--lang", lang])
        if code not in ok_codes.get(key, (0,)):
            raise UserError("demo.step_failed", step=t(key, lang), code=code)

    # 4. simulated visits
    print(f"\n== {len(steps) + 1}/{total} " + t("demo.step_visits", lang))
    city = make_city(households, seed)  # the same city `synth` wrote (same seed)
    sdir = d / "output" / "sample"
    read = lambda name: pd.read_csv(sdir / name, dtype={"archive_id": str, "psu": str, "stratum": str},  # noqa: E731
                                    keep_default_na=False)
    units = read("sample.csv")
    reserves = read("reserves.csv") if (sdir / "reserves.csv").stat().st_size else units.iloc[:0]
    visits = simulate_visits(city, units, reserves, seed=seed)
    vdir = d / "output" / "visits"
    xlsx, disp = write_visits(visits, vdir)
    codes = visits.dispositions["code"].value_counts()
    print(t("demo.visits_done", lang, released=len(visits.dispositions), completed=int(codes.get("completed", 0)),
            reserves=int((visits.dispositions["role"] == "reserve").sum()), path=xlsx))

    # 5. ingest
    print(f"\n== {len(steps) + 2}/{total} " + t("demo.step_ingest", lang))
    idir = d / "output" / "ingest"
    code = main(["ingest", str(xlsx), "--form", str(FORM_PATH), "--project", str(d), "--out", str(idir),
                 "--lang", lang])
    if code not in ok_codes["demo.step_ingest"] or not (idir / "submissions.parquet").exists():
        raise UserError("demo.step_failed", step=t("demo.step_ingest", lang), code=code)

    # 6. verify + scorecard beside the planted truth
    print(f"\n== {len(steps) + 3}/{total} " + t("demo.step_verify", lang))
    planted = planted_indicators(city, visits.satisfaction)
    planted.to_csv(d / "output" / "planted_indicators.csv", index=False, encoding="utf-8-sig")
    from toolkit.commands.verify import record, run as run_verify

    pr = run_verify(d, dispositions=str(disp), lang=lang, planted=planted)
    record(pr, disp)
    print(t("verify.stored", lang, path=pr.evaluation.path("store")))
    print("\n" + t("demo.truth_note", lang, path=d / "truth_rates.csv"))

    # 7. the evaluation report (de-identified, for leadership)
    print(f"\n== {len(steps) + 4}/{total} " + t("demo.step_report", lang))
    from toolkit.report import build_report

    for fmt, path in build_report(d, lang=lang).items():
        print(t("report.written", lang, fmt=fmt, path=path))
    print("\n" + t("demo.done", lang, path=d.resolve()))
    return d


def _start_fresh(d: Path) -> None:
    """A demo directory is the demo's own: a previous demo's outputs and store
    are removed so that ``make demo`` can be run again. Any other non-empty
    directory is refused (UserError), so no one's project is overwritten."""
    import shutil
    import tomllib

    from toolkit.errors import UserError

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
