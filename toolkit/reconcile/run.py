"""The reconciliation on a project: the verbs' work (``fieldeval reconcile``).

``template(project, out)`` writes the union's workbook with the project's
counties and the ledger's years filled in; ``check(project, report)`` reads
the filled report, counts the archive's tallies from ``paths.roster`` and
``paths.help_records`` (or a help sheet inside the roster workbook), compares
and writes the stage ``output/reconcile`` (toolkit.reconcile.outputs).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from toolkit.errors import UserError
from toolkit.reconcile import archive as archive_mod
from toolkit.reconcile import outputs
from toolkit.reconcile.compare import Reconciliation, reconcile
from toolkit.reconcile.read import Reported, read_report
from toolkit.reconcile.spec import Settings


@dataclass(frozen=True, eq=False)
class CheckResult:
    """What ``fieldeval reconcile check`` did: the reconciliation, the report as
    read, the archive's tallies, the stage folder and whether a ledger was found."""

    reconciliation: Reconciliation
    reported: Reported
    archive: archive_mod.ArchiveTallies
    folder: Path
    ledger: Path | None
    ledger_expected: Path | None = None


def _project(project):  # noqa: ANN001, ANN202 - a directory or a toolkit.project.Project
    from toolkit.project import Project

    return project if isinstance(project, Project) else Project.open(project)


def read_archive(ev) -> tuple[archive_mod.ArchiveTallies, Path | None]:  # noqa: ANN001 - config.Evaluation
    """The archive's tallies of a project and the ledger file used (None when there is none)."""
    from toolkit.roster import read_roster

    roster_path = ev.path("roster")
    if not roster_path.exists():
        raise UserError("recon.no_roster", path=str(roster_path), setting="paths.roster")
    roster = read_roster(roster_path)
    ledger_path = ev.path("help_records")
    ledger, used = roster.help_records, roster_path if roster.help_records is not None else None
    if ledger is None and ledger_path.exists():
        ledger, used = _ledger(ledger_path), ledger_path
    counties = [(c.name, c.code) for c in ev.counties]
    return archive_mod.tallies(roster.frame, ledger, counties), used


def _ledger(path: Path) -> pd.DataFrame:
    """The help records at ``path`` (a private plain copy when encrypted at rest, toolkit.vault)."""
    from toolkit.roster import read_help_records
    from toolkit.vault import plain_copy

    with plain_copy(path) as q:
        return read_help_records(q)


def template(project, out: str | Path, *, lang: str | None = None,  # noqa: ANN001
             years: list[int] | None = None) -> tuple[Path, list[int]]:
    """Write the union's workbook for this project to ``out``; the years are
    ``years``, else the ledger's, else last year. Returns (path, years)."""
    from toolkit.reconcile import workbook

    p = _project(project)
    ev = p.evaluation
    if years is None:
        years = []
        ledger_path = ev.path("help_records")
        if ledger_path.exists():
            d = pd.to_datetime(_ledger(ledger_path)["date"], errors="coerce").dt.year.dropna()
            years = sorted(int(y) for y in d.unique())
        years = years or [date.today().year - 1]
    path = workbook.write(out, [c.name for c in ev.counties], years, lang or p.lang)
    return path, years


def check(project, report: str | Path, *, lang: str | None = None) -> CheckResult:  # noqa: ANN001
    """Read ``report``, reconcile it with the project's archive and write ``output/reconcile``."""
    p = _project(project)
    ev = p.evaluation
    lang = lang or p.lang
    settings = Settings.of(ev)
    counties = [(c.name, c.code) for c in ev.counties]
    names = [c.name for c in ev.counties]
    reported = read_report(report, counties)
    arch, ledger = read_archive(ev)
    rec = reconcile(reported, arch, names, settings)
    if ledger is None:   # no ledger: the payments sheet cannot be compared, said, not differences
        keep = rec.compared["kind"] != "payments"
        rec = Reconciliation(rec.compared[keep].reset_index(drop=True),
                             rec.differences[rec.differences["kind"] != "payments"].reset_index(drop=True),
                             _consistency(rec.compared[keep], names), rec.unreported_kinds, ())
    folder = p.paths.output / outputs.STAGE
    outputs.write(folder, rec, reported, arch.unplaced, names, settings, lang,
                  {"roster": str(ev.path("roster")), "ledger": str(ledger) if ledger else "",
                   "roster_rows": arch.roster_rows, "ledger_rows": arch.ledger_rows,
                   "rows_read": int(reported.sheets["read"].sum()),
                   "rows_accepted": int(reported.sheets["accepted"].sum()),
                   "rows_excluded": int(reported.sheets["excluded"].sum())})
    _refresh_leadership(p)
    return CheckResult(rec, reported, arch, folder, ledger, ev.path("help_records"))


def _refresh_leadership(p) -> None:  # noqa: ANN001 - toolkit.project.Project
    """The leadership extract carries the consistency per county: written again
    from the stored results when there are any (no results yet: verify writes it)."""
    from toolkit.errors import UserError
    from toolkit.project import leadership_extract

    if not (p.paths.verify / "meta.json").is_file():
        return
    try:
        leadership_extract.write(p.evaluation, p.results())
    except UserError:   # results unreadable here (e.g. no key): the next verify writes it
        pass


def _consistency(compared: pd.DataFrame, names: list[str]) -> pd.DataFrame:
    from toolkit.reconcile.compare import consistency

    return consistency(compared, names)


__all__ = ["CheckResult", "check", "template", "read_archive"]
