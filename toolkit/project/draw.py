"""The sample stage written as a whole: the draw, its manifest and the visit lists.

:func:`draw_into` is what ``Project.draw`` and ``fieldeval sample draw``
call: read the roster (and a comparison frame of non-registered
households), check every county of the project has households, draw with
hash tickets (toolkit.sampling.select.draw), build the manifest, and write
manifest.json, sample.csv, reserves.csv, psus.csv and the teams' visit lists
into a fresh folder that replaces nothing: a non-empty ``folder`` is refused.
"""
from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from toolkit.errors import UserError

SAMPLE_COLUMNS = ["archive_id", "stratum", "psu", "pi", "weight", "pi1", "pi2", "rank", "source"]
RESERVE_COLUMNS = ["archive_id", "stratum", "psu", "reserve_rank", "pi", "weight", "pi1", "pi2", "source"]


def read_frame(path: str | Path) -> pd.DataFrame:
    """The roster's canonical frame (UserError when the file is missing)."""
    from toolkit.roster import read_roster

    if not Path(path).exists():
        raise UserError("common.file_not_found", path=str(path))
    return read_roster(path).frame


def read_comparison(path: str | Path | None) -> pd.DataFrame | None:
    """A comparison frame through the roster reader (same aliases, encodings,
    formats); only archive_id, county and township are required."""
    if not path:
        return None
    from toolkit.roster import read_roster

    if not Path(path).exists():
        raise UserError("common.file_not_found", path=str(path))
    return read_roster(path, required=("archive_id", "county", "township"), help_sheet=None).frame


def check_counties(evaluation: object, frame: pd.DataFrame, strata: tuple[str, ...]) -> None:
    """Every county of the project must have households when county is a stratum."""
    if evaluation is None or "county" not in strata or "county" not in frame:
        return
    present = set(frame["county"].dropna().astype(str).str.strip())
    for c in evaluation.counties:  # type: ignore[attr-defined]
        if c.name not in present and c.code not in present:
            raise UserError("sampling.stratum_too_small", stratum=c.name, size=0)


def draw_into(folder: str | Path, roster: str | Path, design: object, *, comparison: str | Path | None = None,
              evaluation: object = None, teams: dict | None = None, mask: bool = True,
              progress: Callable[[int], None] | None = None) -> object:
    """Draw and write the sample stage (module doc); returns the Sample."""
    from toolkit.sampling import manifest as mf
    from toolkit.sampling.select import draw
    from toolkit.sampling.visit_lists import write_visit_lists

    out = Path(folder)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise UserError("sampling.out_exists", path=str(out))
    frame = read_frame(roster)
    comp = read_comparison(comparison)
    check_counties(evaluation, frame, design.strata)  # type: ignore[attr-defined]
    sample = draw(frame, design, comparison=comp, progress=progress)
    manifest = mf.build(sample, frame, comparison=comp)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".sample-", dir=out.parent))
    try:
        (tmp / "manifest.json").write_text(mf.dumps(manifest), encoding="utf-8")
        sample.units[SAMPLE_COLUMNS].to_csv(tmp / "sample.csv", index=False, encoding="utf-8")
        sample.reserves[RESERVE_COLUMNS].to_csv(tmp / "reserves.csv", index=False, encoding="utf-8")
        if sample.psus is not None:
            sample.psus.to_csv(tmp / "psus.csv", index=False, encoding="utf-8")
        write_visit_lists(sample, frame, tmp / "visit_lists", comparison=comp, teams=teams, mask=mask,
                          manifest=manifest)
        if out.exists():
            out.rmdir()
        tmp.rename(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return sample


__all__ = ["draw_into", "read_frame", "read_comparison", "check_counties"]
