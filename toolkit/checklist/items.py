"""The document-review checklist as data (查阅档案资料).

The list ships as ``toolkit/checklist/items.toml``; a project may keep its
own edited copy as ``DIR/checklist.toml`` (same layout), which is then used
instead. Each item: ``id`` (short and unique, e.g. ``T2``), ``aspect`` (one
of the six aspects of the inspection: targeting, needs, mechanism, funds,
data, outcomes), the item in words (``zh``, ``en``) and where the evidence is
usually found (``evidence_zh``, ``evidence_en``, optional).
"""
from __future__ import annotations

import tomllib
from pathlib import Path

import pandas as pd

from toolkit.errors import UserError

SHIPPED = Path(__file__).with_name("items.toml")
PROJECT_FILE = "checklist.toml"
ASPECT_KEYS = ("targeting", "needs", "mechanism", "funds", "data", "outcomes")
"""The six aspects of the inspection, in the seed's order (toolkit.verify.indicators.ASPECTS)."""
STATUSES = ("met", "partly", "not_met", "not_applicable")
"""符合 / 部分符合 / 不符合 / 不适用 (words: i18n ``checklist.status.*``)."""
ITEM_COLUMNS = ["item_id", "aspect", "item_zh", "item_en", "evidence_zh", "evidence_en", "order"]


def as_project(project: object):  # noqa: ANN201 - toolkit.project.Project
    """A toolkit.project.Project from a Project, an Evaluation or a project directory."""
    from toolkit.config import Evaluation
    from toolkit.project import Project

    if isinstance(project, Project):
        return project
    if isinstance(project, Evaluation):
        return Project(project)
    return Project.open(Path(str(project)))


def round_words(project: object, lang: str = "zh") -> str:
    """The current round's name as a reader sees it ("current", the default, → 本轮 / this round)."""
    from toolkit.i18n import t

    name = as_project(project).current_round()
    return t("checklist.round_current", lang) if name == "current" else name


def items_path(project: object = None) -> Path:
    """The checklist file in use: the project's ``checklist.toml`` when it
    has one, else the shipped list."""
    if project is not None:
        own = as_project(project).root / PROJECT_FILE
        if own.is_file():
            return own
    return SHIPPED


def load_items(project: object = None) -> pd.DataFrame:
    """The checklist items (columns :data:`ITEM_COLUMNS`, in file order).
    UserError naming the file and the item when an item lacks a field, has an
    unknown aspect or repeats an id."""
    path = items_path(project)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise UserError("checklist.items_unreadable", path=str(path), detail=str(e).splitlines()[0]) from None
    items = raw.get("item")
    if not isinstance(items, list) or not items:
        raise UserError("checklist.items_empty", path=str(path))
    rows = []
    seen: set[str] = set()
    for n, it in enumerate(items, 1):
        if not isinstance(it, dict):
            raise UserError("checklist.items_bad", path=str(path), n=n, field="item")
        for f in ("id", "aspect", "zh", "en"):
            if not str(it.get(f, "")).strip():
                raise UserError("checklist.items_bad", path=str(path), n=n, field=f)
        iid = str(it["id"]).strip()
        if it["aspect"] not in ASPECT_KEYS:
            raise UserError("checklist.items_aspect", path=str(path), n=n, value=str(it["aspect"]),
                            choices=", ".join(ASPECT_KEYS))
        if iid in seen:
            raise UserError("checklist.items_duplicate", path=str(path), n=n, item=iid)
        seen.add(iid)
        rows.append({"item_id": iid, "aspect": it["aspect"], "item_zh": str(it["zh"]).strip(),
                     "item_en": str(it["en"]).strip(), "evidence_zh": str(it.get("evidence_zh", "")).strip(),
                     "evidence_en": str(it.get("evidence_en", "")).strip(), "order": n})
    return pd.DataFrame(rows, columns=ITEM_COLUMNS)


__all__ = ["as_project", "round_words", "ASPECT_KEYS", "STATUSES", "ITEM_COLUMNS", "SHIPPED", "PROJECT_FILE", "items_path", "load_items"]
