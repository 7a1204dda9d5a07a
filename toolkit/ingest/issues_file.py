"""The ingest issues in two files: ``issues.parquet`` for the toolkit, ``issues.csv`` for people.

``issues.parquet`` keeps the machine columns (key, field, value, rule,
severity, message, repeat_key: validate.ISSUE_COLUMNS) that the quality page
and verify read back. ``issues.csv`` is the same rows in words: headers from
the ``words2.col.*`` catalogue, the question by its label (labels.field_label),
the rule by its short name (``words2.ingest_rule.*``), the severity as 错误/警告;
the message is already words; submission ids are data. :func:`read_issues`
reads the parquet, or an older ingest folder's code-headed CSV.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from toolkit.i18n import catalog, t
from toolkit.labels import field_labels, map_words
from toolkit.vault import source
from toolkit.worded import codes_back, with_headers

MACHINE = "issues.parquet"
PEOPLE = "issues.csv"
COLUMNS = ("key", "field", "value", "rule", "severity", "message", "repeat_key")


def rule_name(rule: str, lang: str = "zh") -> str:
    """An ingest rule's short name in words (words2.ingest_rule.*)."""
    key = f"words2.ingest_rule.{rule}"
    return t(key, lang) if key in catalog() else str(rule).replace("_", " ")


def issues_words(issues: pd.DataFrame, lang: str = "zh", words: dict[str, str] | None = None) -> pd.DataFrame:
    """The issues table as a person reads it (module doc); ``words``: question
    name → label from the run's own form (a back-check form's questions are
    not the household form's), before toolkit.labels' field names."""
    out = issues[[c for c in COLUMNS if c in issues.columns]].copy()
    if "field" in out:
        blank = out["field"].isna() | (out["field"].astype(str) == "")
        named = field_labels(out["field"].fillna(""), lang)
        if words:
            named = out["field"].fillna("").astype(str).map(words).fillna(named)
        out["field"] = named.where(~blank, "")
    if "rule" in out:
        out["rule"] = map_words(out["rule"], {str(r): rule_name(str(r), lang) for r in pd.unique(out["rule"].dropna())})
    if "severity" in out:
        out["severity"] = map_words(out["severity"], {s: t(f"ingest.severity.{s}", lang) for s in ("error", "warning")})
    for c in ("value", "message", "repeat_key", "key"):
        if c in out:
            out[c] = out[c].astype(object).where(out[c].notna(), "")
    return with_headers(out, lang)


def write_issues(issues: pd.DataFrame, out: Path, lang: str = "zh", words: dict[str, str] | None = None) -> list[Path]:
    """Write both files (module doc); returns their paths."""
    from toolkit.ingest.pipeline import write_parquet
    from toolkit.tables import write_table

    frame = issues[list(COLUMNS)]
    return [write_parquet(frame, out / MACHINE), write_table(issues_words(frame, lang, words), out / PEOPLE)]


def read_issues(folder: str | Path) -> pd.DataFrame | None:
    """The issues with their machine columns, from ``issues.parquet`` or an
    older folder's ``issues.csv``; None when the folder has neither."""
    d = Path(folder)
    if (d / MACHINE).exists():
        return pd.read_parquet(source(d / MACHINE)).astype(object).fillna("").astype(str)
    if (d / PEOPLE).exists():
        return codes_back(pd.read_csv(source(d / PEOPLE), dtype=str, keep_default_na=False, encoding="utf-8-sig"), COLUMNS)
    return None


__all__ = ["COLUMNS", "issues_words", "read_issues", "rule_name", "write_issues"]
