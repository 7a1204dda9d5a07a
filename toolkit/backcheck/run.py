"""The back-check verbs on a project: draw, verify, compare (thin: the logic is in the modules).

Files, all under the project's output folder (0700 / 0600):

* ``backcheck/manifest.json`` — the draws of the round (toolkit.backcheck.manifest);
* ``backcheck/picks.csv`` and ``backcheck/lists/`` — every household to
  back-check with its back-checker; one list per back-checker and
  ``backcheck_preload.csv`` (toolkit.backcheck.lists);
* ``backcheck/ingest/`` — the back-check export ingested with the back-check
  form (toolkit.project.Project.ingest with ``out=``: same validation and
  quality checks as any export; the main ``ingest/`` is untouched);
* ``backcheck/comparison.xlsx`` + parquet tables and
  ``field/backchecks.parquet`` (toolkit.backcheck.outputs).

When the project has a key every one of them is encrypted (toolkit.vault:
they name households, interviewers and back-checkers); hand a back-checker
a plain list with ``fieldeval key decrypt``, as for the team visit lists.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from toolkit.backcheck import manifest as mf
from toolkit.backcheck.draw import draw, population, targets
from toolkit.backcheck.settings import BackcheckSettings
from toolkit.errors import UserError
from toolkit.vault import seal_file, source

FOLDER = "backcheck"


@dataclass(frozen=True, eq=False)
class DrawResult:
    """``new``: this draw's picks; ``picks``: every pick of the round; ``population``
    size; ``left_out`` households; ``written``: {name: path}."""

    draw: int
    new: pd.DataFrame
    picks: pd.DataFrame
    population: int
    left_out: pd.DataFrame
    written: dict
    seed: str


def folder_of(project: object) -> Path:
    """``output/backcheck`` of a toolkit.project.Project."""
    return project.paths.output / FOLDER


def main_sha(project: object) -> str:
    """SHA-256 of the main sample's manifest.json ('' when there is none)."""
    p = project.paths.sample / "manifest.json"
    return hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else ""


def draw_project(directory: str | Path, *, seed: str, share: float | None = None, min_per: int | None = None,
                 backcheckers: list[str] | None = None, lang: str = "zh") -> DrawResult:
    """Draw (or top up) the round's back-checks from the project's stored
    verification; write the manifest, picks.csv, lists and preload."""
    from toolkit.backcheck.lists import details, write_lists
    from toolkit.project import Project
    from toolkit.tables import write_table

    project = Project.open(directory)
    s = BackcheckSettings.of(project.evaluation)
    share = s.share if share is None else float(share)
    min_per = s.min_per_enumerator if min_per is None else int(min_per)
    res = project.results()
    pop = population(res)
    folder = folder_of(project)
    sha = main_sha(project)
    m = mf.load(folder)
    if m is not None and m.get("main_manifest_sha256") != sha:
        raise UserError("backcheck.other_sample", path=str(folder / mf.FILE))
    m = m or mf.new(project.current_round(), sha)
    earlier = mf.picks_of(m)
    n = len(m["draws"]) + 1
    new = draw(pop.frame, seed=seed, share=share, min_per=min_per, weight_finding=s.weight_finding,
               weight_nonresponse=s.weight_nonresponse, backcheckers=backcheckers,
               earlier=earlier if len(earlier) else None, draw_no=n)
    m["draws"].append(mf.entry(pop.frame, new, seed=seed, share=share, min_per=min_per,
                               weight_finding=s.weight_finding, weight_nonresponse=s.weight_nonresponse,
                               backcheckers=backcheckers, draw_no=n))
    written = {"manifest": mf.save(folder, m)}
    picks = mf.picks_of(m)
    main_pre = folder.parent / "sample" / "visit_lists" / "odk_preload.csv"
    pre = pd.read_csv(source(main_pre), dtype=str, keep_default_na=False) if main_pre.is_file() else None
    pays = res.payment_rows
    if len(pays) and "PARENT_KEY" in pays:
        ids = res.submissions.drop_duplicates("KEY").set_index("KEY")["archive_id"]
        pays = pays.assign(archive_id=ids.reindex(pays["PARENT_KEY"]).to_numpy())
    full = details(picks, res.roster, pre, pays, lang)
    p = write_table(full[["archive_id", "interviewer", "team", "disposition", "backchecker", "draw", "county",
                          "township"]], folder / "picks.csv")
    os.chmod(p, 0o600)
    written["picks"] = p
    written.update(write_lists(full, folder / "lists", manifest=m, lang=lang))
    for f in written.values():   # manifest.json is written encrypted already
        seal_file(f)
    return DrawResult(n, new, picks, len(pop.frame), pop.left_out, written, str(seed))


def verify_project(directory: str | Path) -> tuple[dict, list[tuple[str, dict]]]:
    """(manifest, problems) — problems [] when every draw re-derives."""
    from toolkit.project import Project

    project = Project.open(directory)
    m = mf.load(folder_of(project))
    if m is None:
        raise UserError("backcheck.no_manifest")
    return m, mf.verify(m, main_sha(project))


def compare_project(directory: str | Path, exports: list[str | Path] | None = None, *, lang: str = "zh",
                    form: str | Path | None = None) -> tuple[object, dict, object]:
    """Ingest the back-check export(s) (when given) and compare; returns
    (BackcheckResults, written paths, IngestResult or None)."""
    from toolkit.backcheck import outputs
    from toolkit.backcheck.compare import run as run_compare
    from toolkit.backcheck.spec import form_path, read_items
    from toolkit.project import Project

    project = Project.open(directory)
    folder = folder_of(project)
    fpath = Path(form) if form else form_path()
    items = read_items(fpath)
    ing = None
    if exports:
        ing = project.ingest(exports, form=fpath, out=folder / "ingest", include_entry=False, lang=lang)
    sub_p = folder / "ingest" / "submissions.parquet"
    if not sub_p.is_file():
        raise UserError("backcheck.no_export")
    bc = pd.read_parquet(source(sub_p))
    if "_status" in bc:
        bc = bc[bc["_status"].astype(str) == "accepted"]
    pay_p = folder / "ingest" / "repeat_payment.parquet"
    bc_pay = pd.read_parquet(source(pay_p)) if pay_p.is_file() else None
    if bc_pay is not None and "_status" in bc_pay:
        bc_pay = bc_pay[bc_pay["_status"].astype(str) == "accepted"]
    res = project.results()
    m = mf.load(folder)
    picks = mf.picks_of(m)
    teams = picks.drop_duplicates("archive_id").set_index("archive_id")["team"].astype("string")
    if len(res.households) and "county" in res.households:
        hh = res.households.drop_duplicates("archive_id").set_index("archive_id")["county"].astype("string")
        teams = pd.concat([teams, hh[~hh.index.isin(teams.index)]])
    comp = run_compare(res.submissions, bc, items, orig_members=res.members, orig_payments=res.payment_rows,
                       bc_payments=bc_pay, teams=teams)
    s = BackcheckSettings.of(project.evaluation)
    tg = None
    if m and m.get("draws"):
        last = m["draws"][-1]
        popf = pd.DataFrame(last["population"]["records"])
        if len(popf):
            tg = targets(popf, float(last["share"]), int(last["min_per_enumerator"])).to_frame()
            tg["visits"] = popf.groupby("interviewer").size().reindex(tg.index)
            tg.index.name = "enumerator"
    results = outputs.summarise(comp, s, picks=picks, targets=tg)
    written = outputs.write(results, items, folder, project.paths.field, lang)
    return results, written, ing


__all__ = ["draw_project", "verify_project", "compare_project", "DrawResult", "FOLDER", "folder_of"]
