"""``fieldeval roster check`` and ``fieldeval synth`` (being built)."""
from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    """No verbs yet."""
