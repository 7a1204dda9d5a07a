"""Everything the report reads from an evaluation project, in one frozen object.

:func:`from_project` reads the project's stored verification
(:meth:`toolkit.project.Project.results`, verifying again first when an
input changed since), so every number in the report is the number in
``scorecard.csv``, the notebooks and the dashboards: one stored result, over
the drawn sample only (visits outside it are listed in their own table,
never counted). Identifiable frames stay in this object; toolkit.report.content
turns them into de-identified tables.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from toolkit.config import Evaluation


@dataclass(frozen=True, eq=False)
class ReportInputs:
    """What the report is built from (all from one stored verification).

    ``scorecard``: toolkit.verify.scorecard.build columns (shares 0–1).
    ``households``/``frame``: the sampled households interviewed, with
    verdicts, design columns (_stratum, _psu, _w, _fpc) and satisfaction
    answers; ``evidence``: finding × household (archive ids: pseudonymised
    by content). ``findings_table``: checked / flagged per finding and county.
    ``response``: AAPOR RR1 per county (empty without dispositions).
    ``satisfaction``: reliability, items, weighted estimates and answer
    distribution. ``outside``: visits outside the sample (not counted).
    ``roster_problems``: roster problems counted by column, rule, severity.
    ``ingest``: ingest.json (counts) or {}; ``issues``: issues.csv;
    ``quality``: rows per quality check; ``key``: the pseudonym key;
    ``ci``: the interval method; ``small_cell``: k of suppression.
    ``private_names`` / ``private_addresses``: the roster's names and
    addresses (toolkit.roster.privacy.private_terms, over the whole roster),
    scrubbed from free text and looked for by the privacy guard; never shown.
    """

    evaluation: Evaluation
    scorecard: pd.DataFrame
    households: pd.DataFrame
    evidence: pd.DataFrame
    frame: pd.DataFrame
    manifest: dict
    key: bytes
    dispositions: pd.DataFrame | None = None
    roster_problems: pd.DataFrame | None = None
    ingest: dict = field(default_factory=dict)
    issues: pd.DataFrame | None = None
    quality: dict[str, int] = field(default_factory=dict)
    roster_rows: int = 0
    paths: dict[str, str] = field(default_factory=dict)
    findings_table: pd.DataFrame = field(default_factory=pd.DataFrame)
    response: pd.DataFrame = field(default_factory=pd.DataFrame)
    satisfaction: dict[str, pd.DataFrame] = field(default_factory=dict)
    outside: pd.DataFrame = field(default_factory=pd.DataFrame)
    ci: str = "wilson"
    small_cell: int = 5
    private_names: tuple[str, ...] = ()
    private_addresses: tuple[str, ...] = ()
    #: county and township names the report shows by right; a roster name that is also a place
    #: name (a person called 长丰) cannot be told apart from it, so the guard does not flag it
    place_names: tuple[str, ...] = ()
    #: the evaluators' review (toolkit.project.results.Results.review; toolkit.report.review)
    review: dict = field(default_factory=dict)


def from_results(results) -> ReportInputs:  # noqa: ANN001 - toolkit.project.Results
    """The report's inputs from a stored verification."""
    from toolkit.roster.privacy import private_terms
    from toolkit.verify.roster_once import read_roster   # verify's read, when the file is unchanged

    ev = results.evaluation
    meta = results.meta
    roster_path = Path(str(meta.get("roster", "")))   # names of the whole roster, for the privacy guard
    frame = read_roster(roster_path, project=ev).frame if roster_path.is_file() else results.roster
    names, addresses = private_terms(frame)
    places = {str(v).strip() for c in ("county", "township") if c in frame for v in frame[c].dropna().unique()}
    places |= {c.name for c in getattr(ev, "counties", None) or ()}
    return ReportInputs(
        evaluation=ev, scorecard=results.scorecard, households=results.households, evidence=results.evidence,
        frame=results.households, manifest=results.manifest, key=ev.key(), dispositions=results.dispositions,
        roster_problems=results.roster_problems, ingest=results.ingest,
        issues=results.issues if len(results.issues.columns) else None, quality=results.quality,
        roster_rows=int(meta.get("roster_rows", 0)),
        paths={"roster": str(meta.get("roster", "")), "sources": ", ".join(meta.get("field_sources", []))},
        findings_table=results.findings, response=results.response, satisfaction=results.satisfaction,
        outside=results.outside, ci=results.ci, small_cell=results.small_cell,
        private_names=names, private_addresses=addresses, place_names=tuple(sorted(p for p in places if p)), review=getattr(results, "review", {}))


def from_project(project: str | Path) -> ReportInputs:
    """The project's stored verification (refreshed when out of date) as
    report inputs. UserError (in words) when a stage is missing."""
    from toolkit.project import Project

    return from_results(Project.open(project).results(refresh=True))


__all__ = ["ReportInputs", "from_project", "from_results"]
