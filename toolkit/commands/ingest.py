"""``fieldeval ingest``: registered by toolkit.cli (being built)."""
from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    """No verbs yet."""
