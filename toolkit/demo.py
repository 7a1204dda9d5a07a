"""``fieldeval demo``: the pipeline, as far as it is built, on a synthetic city.

Steps (each one the same call a user makes with the command line):
1. a synthetic city with planted truth (roster.xlsx, help_records.xlsx, ...);
2. the roster read and validated (problems.xlsx);
3. a two-stage random spot-check sample: townships by PPS, then households by
   hash tickets, ~100 households per county, with reserves and visit lists.
Later steps (visits, verification, scorecard, report) are added as they are built.
"""
from __future__ import annotations

from pathlib import Path

from toolkit.i18n import t

DEMO_SEED_SOURCE = "demo: fixed seed, not a public draw"


def run_demo(directory: str | Path, *, seed: int = 2026, households: int = 3000, lang: str = "zh") -> Path:
    """Run the demo into ``directory``; return it. Raises UserError on failure."""
    from toolkit.cli import main

    d = Path(directory)
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
    ok_codes = {"demo.step_check": (0, 1)}   # planted roster errors make `check` exit 1
    for i, (key, argv) in enumerate(steps, 1):
        print(f"\n== {i}/{len(steps)} " + t(key, lang))
        code = main([*argv, "--lang", lang])
        if code not in ok_codes.get(key, (0,)):
            from toolkit.errors import UserError
            raise UserError("demo.step_failed", step=t(key, lang), code=code)
    print("\n" + t("demo.done", lang, path=d.resolve()))
    return d
