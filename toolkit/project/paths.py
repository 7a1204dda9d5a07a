"""Where an evaluation project keeps each stage's files: defined once.

Every path below is relative to the project's output directory
(``evaluation.toml`` ``[paths] output``, default ``output``); no other module
decides where a stage writes or reads. Evaluator-side (identifiable) stages
are written with mode 0600 files in 0700 directories.

=================  ============================================  ==========================
stage              folder                                        written by
=================  ============================================  ==========================
sample             ``sample/`` (manifest.json, sample.csv,       ``Project.draw``
                   reserves.csv, psus.csv, visit_lists/)
field              ``field/`` (dispositions.csv, returned        the field team / demo
                   visit lists in ``field/visit_lists/``)
entry              ``entry/`` (entry-dashboard submissions)      the entry dashboard
ingest             ``ingest/`` (submissions.parquet, repeats,    ``Project.ingest``
                   issues.csv, quality.xlsx, ingest.json)
verify (results)   ``verify/`` (scorecard, households,           ``Project.verify``
                   findings, outside visits, response rates,
                   satisfaction, meta.json)
report             ``report/``                                   ``fieldeval report``
notebooks          ``notebooks/``                                ``fieldeval notebooks run``
rounds             ``rounds/<name>/scorecard.parquet``           earlier rounds, kept
=================  ============================================  ==========================
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from toolkit.config import Evaluation

SAMPLE, FIELD, ENTRY, INGEST, VERIFY, REPORT, NOTEBOOKS, ROUNDS = (
    "sample", "field", "entry", "ingest", "verify", "report", "notebooks", "rounds")
LEGACY_DISPOSITIONS = ("visits/dispositions.csv",)
"""Where earlier versions (and the demo before the project layer) wrote the
field's dispositions; still read when ``field/dispositions.csv`` is absent."""


@dataclass(frozen=True)
class ProjectPaths:
    """Absolute paths of one project's stages (see the module doc)."""

    root: Path
    output: Path

    @classmethod
    def of(cls, evaluation: Evaluation) -> ProjectPaths:
        """The paths of a loaded project."""
        return cls(evaluation.root, evaluation.path("output"))

    def stage(self, name: str) -> Path:
        """The folder of stage ``name`` (one of the module constants)."""
        return self.output / name

    @property
    def sample(self) -> Path:
        return self.stage(SAMPLE)

    @property
    def field(self) -> Path:
        return self.stage(FIELD)

    @property
    def entry(self) -> Path:
        return self.stage(ENTRY)

    @property
    def ingest(self) -> Path:
        return self.stage(INGEST)

    @property
    def verify(self) -> Path:
        return self.stage(VERIFY)

    @property
    def report(self) -> Path:
        return self.stage(REPORT)

    @property
    def notebooks(self) -> Path:
        return self.stage(NOTEBOOKS)

    @property
    def rounds(self) -> Path:
        return self.stage(ROUNDS)

    @property
    def dispositions(self) -> Path:
        """The field's dispositions table (``field/dispositions.csv``)."""
        return self.field / "dispositions.csv"

    @property
    def returned_lists(self) -> Path:
        """Filled visit-list workbooks returned by the teams."""
        return self.field / "visit_lists"

    def dispositions_file(self) -> Path | None:
        """The dispositions table to read: ``field/dispositions.csv``, else a
        legacy location, else None."""
        for p in (self.dispositions, *(self.output / q for q in LEGACY_DISPOSITIONS)):
            if p.is_file():
                return p
        return None


__all__ = ["ProjectPaths", "SAMPLE", "FIELD", "ENTRY", "INGEST", "VERIFY", "REPORT", "NOTEBOOKS", "ROUNDS"]
