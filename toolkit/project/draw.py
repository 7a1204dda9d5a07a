"""The sample stage written as a whole: the draw, its manifest and the visit lists.

:func:`draw_into` is what ``Project.draw`` and ``fieldeval sample draw``
call: read the roster (and a comparison frame of non-registered
households), check every county of the project has households, draw with
hash tickets (toolkit.sampling.select.draw), build the manifest, and write
manifest.json, sample.csv, reserves.csv, psus.csv and the teams' visit lists
into a fresh folder that replaces nothing: a non-empty ``folder`` is refused.

Column names in the design (strata, PSU, sort order) may be given as the
roster's own headers (所属区县), an alias or the internal name (county):
:func:`resolve_design` turns them into the frame's column. A household whose
档案编号 is blank cannot be visited or traced: it is left out of the draw and
listed with its row and the reason (``excluded.csv``), the rest are drawn.
"""
from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd
import polars as pl

from toolkit.errors import UserError
from toolkit.tables import write_table

SAMPLE_COLUMNS = ["archive_id", "stratum", "psu", "pi", "weight", "pi1", "pi2", "rank", "source"]
RESERVE_COLUMNS = ["archive_id", "stratum", "psu", "reserve_rank", "pi", "weight", "pi1", "pi2", "source"]


EXCLUDED_COLUMNS = ["source", "row", "sheet", "sheet_row", "reason"]


@dataclass(frozen=True)
class Drawable:
    """A frame as the draw sees it: ``frame`` the households that can be
    drawn; ``excluded`` the households left out (EXCLUDED_COLUMNS, reason a
    code put in words by :func:`excluded_table`); ``not_households`` how many
    rows of the file are not households (totals, blank rows …)."""

    frame: pd.DataFrame
    excluded: pd.DataFrame
    not_households: int = 0
    source: object = None
    """The Roster that toolkit.verify.roster_once handed out for the file
    (None for a frame not read through it): values derived from the file,
    such as the fingerprint (:func:`fingerprint_of`), are kept with it."""


def split_blank_ids(frame: pd.DataFrame, source: str = "roster") -> Drawable:
    """Households with a blank 档案编号 apart from the rest (module doc)."""
    from toolkit.sampling.select import _arrow_text, _normalise_series, normalise_ids, plain_ascii, remember_ids

    if "archive_id" not in frame:
        return Drawable(frame, pd.DataFrame(columns=EXCLUDED_COLUMNS))
    arrow = _arrow_text(frame["archive_id"])     # Arrow text (the readers' type): no Python string per id
    ids = None
    if arrow is not None:
        ids = arrow.fill_null("")
        ids = ids.rename("id") if plain_ascii(frame["archive_id"]) else _normalise_series(ids)
        blank = (ids.str.len_bytes() == 0).to_numpy()
    else:
        blank = np.asarray(normalise_ids(frame["archive_id"]), dtype=object) == ""
    out = frame.loc[blank]
    excluded = pd.DataFrame({"source": source, "row": out.index.to_numpy(),
                             "sheet": out["sheet"].to_numpy() if "sheet" in out else "",
                             "sheet_row": out["sheet_row"].to_numpy() if "sheet_row" in out else out.index.to_numpy(),
                             "reason": "blank_id"}, columns=EXCLUDED_COLUMNS)
    kept = frame.loc[~blank] if blank.any() else frame
    if ids is not None:          # the draw and the fingerprint normalise these ids: once, here
        remember_ids(kept["archive_id"], ids.filter(pl.Series(~blank)) if blank.any() else ids)
    return Drawable(kept, excluded)


def read_drawable(path: str | Path, *, comparison: bool = False, project: object = None) -> Drawable:
    """Read a roster (or a comparison frame: only archive_id, county and
    township required) and split off the households that cannot be drawn.
    ``project`` (folder or Evaluation): its roster snapshot serves an
    unchanged file read by an earlier command (toolkit.roster.snapshot)."""
    from toolkit.verify.roster_once import read_roster   # one read per unchanged file in a process

    if not Path(path).exists():
        raise UserError("common.file_not_found", path=str(path))
    if comparison:
        r = read_roster(path, project=project, required=("archive_id", "county", "township"), help_sheet=None)
    else:
        r = read_roster(path, project=project)
    d = split_blank_ids(r.frame, "comparison" if comparison else "roster")
    return Drawable(d.frame, d.excluded, len(r.not_households), r)


def _fingerprint_code() -> str:
    """SHA-256 (16 hex digits) of the code a kept fingerprint depends on:
    the canonical text and digests (toolkit/sampling/manifest.py), the id
    normalisation (select.py) and the blank-id split (this module). Any change
    to them computes the fingerprint again instead of serving a kept one."""
    import hashlib

    here = Path(__file__).resolve()
    h = hashlib.sha256()
    for p in (here.parents[1] / "sampling" / "manifest.py", here.parents[1] / "sampling" / "select.py", here):
        h.update(p.read_bytes() + b"\0")
    return h.hexdigest()[:16]


def fingerprint_of(drawable: Drawable, *, id_column: str = "archive_id", roster: bool = True) -> dict:
    """``toolkit.sampling.manifest.fingerprint`` of the drawable frame (the
    households with an 档案编号), computed once per unchanged roster file and
    reader and kept with its snapshot (``roster_once.derived``: in memory, and
    in the project's snapshot when the file was read for a project), so a
    later draw from the same roster, in this process or another, does not
    read 5.5 million households' 33 columns again. The same value as
    computing it (a JSON round trip of text and integers)."""
    from toolkit.sampling import manifest as mf

    def compute() -> dict:
        return mf.fingerprint(drawable.frame, id_column=id_column, roster=roster)

    if drawable.source is None:
        return compute()
    from toolkit.verify.roster_once import derived

    name = (f"draw fingerprint {mf.SNAPSHOT_RULE} of the households with an id, id column {id_column}, "
            f"{'roster' if roster else 'comparison'} columns, code {_fingerprint_code()}")
    import copy

    return copy.deepcopy(derived(drawable.source, name, compute))    # the kept value stays as computed


def read_frame(path: str | Path) -> pd.DataFrame:
    """The roster's households that can be drawn (UserError when the file is
    missing). The draw and its verification read the roster through here, so
    both see the same households."""
    return read_drawable(path).frame


def read_comparison(path: str | Path | None) -> pd.DataFrame | None:
    """A comparison frame through the roster reader (same aliases, encodings,
    formats); only archive_id, county and township are required."""
    if not path:
        return None
    return read_drawable(path, comparison=True).frame


def resolve_design(design: object, frame: pd.DataFrame) -> object:
    """``design`` with its strata, PSU and sort columns named as the frame's
    columns (toolkit.roster.schema.resolve_column); an unknown name is a
    UserError listing the names that can be used."""
    from toolkit.roster.schema import resolve_column

    cols = list(frame.columns)
    strata = tuple(resolve_column(s, cols) for s in design.strata)  # type: ignore[attr-defined]
    sort_by = tuple(resolve_column(s, cols) for s in design.sort_by)  # type: ignore[attr-defined]
    psu = design.psu  # type: ignore[attr-defined]
    if design.method == "two_stage" or psu in cols:  # type: ignore[attr-defined]
        psu = resolve_column(psu, cols)
    return replace(design, strata=strata, sort_by=sort_by, psu=psu)  # type: ignore[type-var]


def excluded_table(excluded: pd.DataFrame, lang: str | None = None) -> pd.DataFrame:
    """The households left out of the draw, in words (source, where, reason)."""
    from toolkit.i18n import t

    where = [t("roster2.where.sheet_row", lang, sheet=s, row=r) if s else t("roster2.where.row", lang, row=r)
             for s, r in zip(excluded["sheet"].fillna("").astype(str), excluded["sheet_row"])]
    return pd.DataFrame({t("roster2.excluded.col.source", lang): [t(f"roster2.source.{s}", lang)
                                                                 for s in excluded["source"]],
                         t("roster2.excluded.col.where", lang): where,
                         t("roster2.excluded.col.reason", lang): [t(f"roster2.excluded.{r}", lang)
                                                                 for r in excluded["reason"]]})


def check_counties(evaluation: object, frame: pd.DataFrame, strata: tuple[str, ...]) -> None:
    """Every county of the project must have households when county is a stratum."""
    if evaluation is None or "county" not in strata or "county" not in frame:
        return
    # the distinct values first, then stripped: the same set, without a pass of str.strip over 5.5M cells
    present = set(frame["county"].dropna().drop_duplicates().astype(str).str.strip().unique().tolist())
    for c in evaluation.counties:  # type: ignore[attr-defined]
        if c.name not in present and c.code not in present:
            raise UserError("sampling.stratum_too_small", stratum=c.name, size=0)


def draw_into(folder: str | Path, roster: str | Path, design: object, *, comparison: str | Path | None = None,
              evaluation: object = None, teams: dict | None = None, mask: bool = True,
              progress: Callable[[int], None] | None = None, notes: Callable[[str], None] | None = None,
              lang: str | None = None) -> object:
    """Draw and write the sample stage (module doc); returns the Sample.

    notes: called with each sentence a person should read about what was left
    out (households without an 档案编号, rows that are not households), in
    ``lang``; the same households are listed in ``excluded.csv``."""
    from toolkit.sampling import manifest as mf
    from toolkit.sampling.select import draw
    from toolkit.sampling.visit_lists import write_visit_lists

    out = Path(folder)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise UserError("sampling.out_exists", path=str(out))
    from toolkit.i18n import t

    drawable = read_drawable(roster, project=evaluation)
    frame = drawable.frame
    comp_d = read_drawable(comparison, comparison=True, project=evaluation) if comparison else None
    comp = comp_d.frame if comp_d is not None else None
    excluded = pd.concat([d.excluded for d in (drawable, comp_d) if d is not None and len(d.excluded)]
                         or [pd.DataFrame(columns=EXCLUDED_COLUMNS)], ignore_index=True)
    design = resolve_design(design, frame)
    check_counties(evaluation, frame, design.strata)  # type: ignore[attr-defined]
    idc = design.id_column  # type: ignore[attr-defined]
    # the fingerprints are needed only by the manifest: when not kept yet (the first draw from a roster:
    # half a minute at national size) they are computed on a thread beside the draw, the sample tables and
    # the visit lists' rows (polars, Arrow and hashlib release the GIL)
    from concurrent.futures import ThreadPoolExecutor

    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="fingerprint")
    prints = pool.submit(lambda: (fingerprint_of(drawable, id_column=idc), None if comp_d is None
                                  else fingerprint_of(comp_d, id_column=idc, roster=False)))
    pool.shutdown(wait=False)       # a refused draw does not wait for it (the value is kept when it ends)
    sample = draw(frame, design, comparison=comp, progress=progress)
    built: list[dict] = []

    def manifest_now() -> dict:
        if not built:
            fp, cfp = prints.result()
            built.append(mf.build(sample, frame, comparison=comp, roster_fingerprint=fp, comparison_fingerprint=cfp))
        return built[0]

    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".sample-", dir=out.parent))
    try:
        from toolkit.sampling.sample_files import write_sample_table   # in words; read back as codes

        write_sample_table(sample.units[SAMPLE_COLUMNS], tmp / "sample.csv", lang or "zh")
        write_sample_table(sample.reserves[RESERVE_COLUMNS], tmp / "reserves.csv", lang or "zh")
        if sample.psus is not None:
            write_sample_table(sample.psus, tmp / "psus.csv", lang or "zh")
        if len(excluded):
            write_table(excluded_table(excluded, lang), tmp / "excluded.csv")
        write_visit_lists(sample, frame, tmp / "visit_lists", comparison=comp, teams=teams, mask=mask,
                          manifest=manifest_now)
        (tmp / "manifest.json").write_text(mf.dumps(manifest_now()), encoding="utf-8")
        _seal(tmp, out)
        if out.exists():
            out.rmdir()
        tmp.rename(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if notes is not None:
        if len(excluded):
            table = excluded_table(excluded, lang)
            shown = "、".join(table.iloc[:10, 1].tolist()) + ("……" if len(table) > 10 else "")
            notes(t("roster2.excluded.summary", lang, count=len(excluded), where=shown,
                    reason=t("roster2.excluded.blank_id", lang), path=str(out / "excluded.csv")))
        if drawable.not_households:
            notes(t("roster2.excluded.not_households", lang, count=drawable.not_households))
    return sample


def _seal(tmp: Path, out: Path) -> None:
    """Encrypt the drawn sample's identifiable files when the project has a
    key (toolkit.vault; the manifest stays plain: counts, hashes, the seed)."""
    from toolkit.keys import PLAIN
    from toolkit.vault import seal_tree

    seal_tree(tmp, out, plain=PLAIN | {"manifest.json"})


__all__ = ["draw_into", "read_frame", "read_comparison", "read_drawable", "split_blank_ids", "resolve_design",
           "fingerprint_of",
           "excluded_table", "check_counties", "Drawable", "EXCLUDED_COLUMNS"]
