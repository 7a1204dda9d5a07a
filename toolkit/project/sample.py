"""The drawn sample as the population of every official number.

:func:`read_sample` reads what ``Project.draw`` (``fieldeval sample draw``)
wrote; :func:`population` says which households count: every selected
household (the comparison frame's included), and the reserves that were
released — those with a disposition, named as the replacement of a sampled
household, or (when the field has recorded no dispositions yet) visited.
A household outside this set is an *outside visit*: listed, never counted.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from toolkit.errors import UserError

from toolkit.verify.text_in import text_in   # Series.isin on Arrow text builds its value set slowly


@dataclass(frozen=True, eq=False)
class SampleFiles:
    """The sample stage: ``units`` (selected: archive_id, stratum, psu, …),
    ``reserves`` (with reserve_rank), ``psus`` (two-stage PSU table or None),
    ``sizes`` (N_h per stratum) and the ``manifest``."""

    units: pd.DataFrame
    reserves: pd.DataFrame
    psus: pd.DataFrame | None
    sizes: dict[str, int]
    manifest: dict
    folder: Path


def read_sample(directory: Path) -> SampleFiles:
    """The sample folder written by the draw; UserError when it is missing."""
    directory = Path(directory)
    man = directory / "manifest.json"
    if not man.exists():
        raise UserError("verify.no_sample", path=str(directory))
    m = json.loads(man.read_text(encoding="utf-8"))
    from toolkit.sampling.sample_files import read_sample_table   # the files are in words (sample_files)

    def read(name: str) -> pd.DataFrame:
        p = directory / name
        if not p.exists() or p.stat().st_size == 0:
            return pd.DataFrame(columns=["archive_id", "stratum", "psu", "reserve_rank"])
        return read_sample_table(p)

    psus = None
    if (directory / "psus.csv").exists():
        psus = read_sample_table(directory / "psus.csv")
    sizes = {s["stratum"]: int(s["N_h"]) for s in m.get("allocation", {}).get("strata", [])}
    return SampleFiles(read("sample.csv"), read("reserves.csv"), psus, sizes, m, directory)


def released_reserves(reserves: pd.DataFrame, dispositions: pd.DataFrame | None,
                      visited: pd.Series) -> pd.Series:
    """Archive ids of the reserves released: with a disposition of their own or
    named in ``replaced_by``; with no dispositions recorded at all, the
    reserves that were visited (the field's own record of a release)."""
    ids = reserves["archive_id"].astype(str)
    if dispositions is not None and len(dispositions):
        d = dispositions
        named = set(d["archive_id"].astype(str))
        if "replaced_by" in d:
            named |= set(d["replaced_by"].fillna("").astype(str).str.strip()) - {""}
        return ids[text_in(ids, named)]
    return ids[text_in(ids, set(visited.astype(str)))]


def population(sample: SampleFiles, dispositions: pd.DataFrame | None, visited: pd.Series, *,
               set_aside: pd.DataFrame | None = None) -> pd.DataFrame:
    """The units every number is about (archive_id, stratum, psu, role):
    the selected households (roster and comparison) and the released
    reserves (:func:`released_reserves`), less the reserves released
    against the rule (``set_aside``: used out of order — never counted)."""
    sel = sample.units[["archive_id", "stratum", "psu"]].assign(role="selected")
    res = sample.reserves
    rel = released_reserves(res, dispositions, visited) if len(res) else pd.Series(dtype=str)
    if set_aside is not None and len(set_aside):
        rel = rel[~text_in(rel, set(set_aside["archive_id"].astype(str)))]
    used = res[text_in(res["archive_id"].astype(str), set(rel))][["archive_id", "stratum", "psu"]].assign(role="reserve")
    return pd.concat([sel, used], ignore_index=True).drop_duplicates("archive_id")


__all__ = ["SampleFiles", "read_sample", "released_reserves", "population"]
