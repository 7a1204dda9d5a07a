"""The blank union report templates shipped as package data
(``union_report_zh.xlsx``, ``union_report_en.xlsx``), built by
``python -m toolkit.reconcile.workbook``."""
from __future__ import annotations

from pathlib import Path


def path(lang: str = "zh") -> Path:
    """The shipped blank template in ``lang`` (zh or en)."""
    return Path(__file__).parent / f"union_report_{'en' if lang == 'en' else 'zh'}.xlsx"


__all__ = ["path"]
