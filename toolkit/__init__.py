"""fieldeval: survey and field-evaluation toolkit for third-party checks of
trade-union hardship relief (roster -> sample -> visits -> estimates -> report)."""

__version__ = "0.1.0"
