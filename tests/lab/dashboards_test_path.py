"""tests/dashboards' helpers (free_port, launch_browser, ARTIFACTS) for the lab tests."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "dashboards"))
from dashboards_data import ARTIFACTS, free_port, launch_browser  # noqa: E402

__all__ = ["ARTIFACTS", "free_port", "launch_browser"]
