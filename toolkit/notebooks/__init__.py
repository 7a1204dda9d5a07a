"""The six evaluation notebooks as package data: copies of the checkout's
``notebooks/`` (``python -m toolkit.report.notebooks sync``), so an installed
fieldeval runs them (toolkit.report.notebooks)."""
