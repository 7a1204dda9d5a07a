"""A synthetic follow-up round (issue 19): the union's fixes planted in some
counties, the panel re-visited, verified, and the change since the baseline.

:func:`improved_city` is the same city after the fix period: in the counties
named, a share of the households with an unconfirmed cause, no help plan or no
contact with their helper are fixed (cause confirmed, a plan on file, the
helper in contact); elsewhere nothing changes. :func:`play_round` plays the
current round's field work (toolkit.synthetic_visits) and verifies.
:func:`demo_follow_up` is the demo's step: a panel of half the baseline's
interviewed households, improvements in the first two counties and none in
the third, and the change printed in words.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from toolkit.i18n import t

FOLLOW_UP = "复评"
PANEL_SHARE = 0.5


def improved_city(city, counties: tuple[str, ...], *, share: float = 0.9, seed: int = 0):  # noqa: ANN001, ANN201
    """``city`` (toolkit.synthetic.City) after the fix period (module doc)."""
    tr = city.truth.copy()
    rng = np.random.default_rng([int(seed), 19])
    here = tr["county"].isin(counties).to_numpy()
    fixed = here & (rng.random(len(tr)) < share)
    tr["cause_confirmed"] = tr["cause_confirmed"].to_numpy(dtype=bool) | fixed
    tr["help_plan"] = tr["help_plan"].to_numpy(dtype=bool) | fixed
    assigned = tr["helper_assigned"].to_numpy(dtype=bool)
    tr["helper_contact"] = tr["helper_contact"].to_numpy(dtype=bool) | (fixed & assigned)
    return replace(city, truth=tr)


def play_round(project, city, *, seed: int, lang: str = "zh", ingest: bool = True,  # noqa: ANN001, ANN201
               record: bool = True):
    """Simulate the current round's visits, keep the dispositions, ingest and
    verify; returns the Results. ``ingest=False`` writes the ingest stage's
    frames directly (toolkit.synthetic_visits.write_parquet_layout; quicker,
    for tests); ``record``: keep the verification in the store."""
    from toolkit.synthetic_visits import (FORM_PATH, simulate_visits, write_parquet_layout, write_photos,
                                          write_visits)

    sample = project.sample()
    visits = simulate_visits(city, sample.units, sample.reserves, seed=seed)
    project.save_dispositions(visits.dispositions)
    if ingest:
        xlsx, _ = write_visits(visits, project.paths.output / "visits")
        photos = write_photos(visits, project.paths.output / "visits")   # the visits' photos, as the baseline's
        project.ingest([xlsx, *([photos] if photos else [])], form=FORM_PATH, lang=lang)
    else:
        write_parquet_layout(visits, project.paths.ingest)
    return project.verify(lang=lang, record=record)


def planted_counties(scorecard: pd.DataFrame, counties: tuple[str, ...]) -> tuple[tuple[str, ...], str]:
    """(the two counties to improve, the one left as it was): the counties
    with the most room on 需求识别准确率 + 结对帮扶覆盖率 at baseline, so the
    planted fixes can show."""
    sc = scorecard[scorecard["indicator"].isin(("needs_identified", "helper_coverage"))]
    room = sc[sc["county"].isin(counties)].groupby("county")["estimate"].sum().reindex(counties).fillna(2.0)
    order = list(room.sort_values(kind="stable").index)
    return tuple(order[:2]), order[2]


def demo_follow_up(directory: str | Path, city, *, seed: int, lang: str = "zh"):  # noqa: ANN001, ANN201
    """The demo's follow-up round (module doc); returns the change table.
    The visits use the baseline's seed, so a household's satisfaction is
    the same person's (toolkit.synthetic_visits.latent_satisfaction); what
    the field sees otherwise is drawn anew for the panel."""
    from toolkit.project import Project
    from toolkit.project.rounds import read_change, start
    from toolkit.report.rounds_section import change_words

    p = Project.open(directory)
    counties = tuple(c.name for c in p.evaluation.counties)
    better, same = planted_counties(p.results().scorecard, counties)
    r = start(p, FOLLOW_UP, seed=f"{seed}-follow-up", panel=PANEL_SHARE)
    print(t("rounds.opened_panel", lang, name=r.name, share=f"{PANEL_SHARE:.0%}", seed=r.seed,
            path=str(Project.open(directory).paths.sample)))
    print(t("rounds.demo_planted", lang, better="、".join(better) if lang == "zh" else ", ".join(better),
            same=same))
    p = Project.open(directory)
    play_round(p, improved_city(city, better, share=0.95, seed=seed), seed=seed, lang=lang)
    ch = read_change(p.evaluation)
    if ch is None:
        return pd.DataFrame()
    planted = ch["indicator"].isin(("needs_identified", "helper_coverage")) & ch["county"].isin((*better, same))
    shown = ch[planted | (ch["verdict"].isin(("improved", "worsened")) & (ch["county"] == "全市"))]
    words = change_words(shown, lang)
    for row in words.itertuples(index=False):
        print("  " + "  ".join(str(v) for v in row))
    return ch


__all__ = ["improved_city", "play_round", "demo_follow_up", "planted_counties", "FOLLOW_UP", "PANEL_SHARE"]
