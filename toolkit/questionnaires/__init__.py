"""The questionnaires fieldeval ships (package data, so an installed wheel has them):
``household_visit.xlsx`` (入户核查表, sections A–H) and ``satisfaction.xlsx``
(满意度问卷). They are built by ``questionnaires/build.py`` in the source
tree; ``questionnaires/README.md`` maps each item to its indicator."""
from __future__ import annotations

from importlib import resources
from pathlib import Path

FORMS = ("household_visit.xlsx", "satisfaction.xlsx", "backcheck.xlsx")


def path(name: str = "household_visit.xlsx") -> Path:
    """The file of a shipped questionnaire."""
    if name not in FORMS:
        raise ValueError(f"unknown questionnaire {name!r}; one of {FORMS}")
    return Path(str(resources.files(__name__).joinpath(name)))


__all__ = ["FORMS", "path"]
