"""Progress of a long notebook step as one line of text, updated in place.

In a Jupyter kernel the line is a display with an id (IPython
``display(..., display_id=True)``) that is updated at most every
:data:`EVERY` seconds and once more when the step ends, so JupyterLab shows
it moving and a notebook saved by papermill / nbclient (which apply display
updates to the saved output) shows the final state — "读取档案 1/1（100%）✓
0.4 s" — never a widget stuck at "0%". Outside a kernel (a terminal, the
commands) it is tqdm on stderr that disappears when done (``leave=False``).
"""
from __future__ import annotations

import sys
import time

EVERY = 0.25   # seconds between updates of the line


def _in_kernel() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with ipykernel
        return False
    ip = get_ipython()
    return ip is not None and hasattr(ip, "kernel")


class Line:
    """A progress line: ``update(n)`` steps forward, ``close()`` (or leaving the
    ``with`` block) writes the final state."""

    def __init__(self, total: int, desc: str) -> None:
        self.total, self.desc, self.n = max(int(total), 0), desc, 0
        self.started = self._shown = time.monotonic()
        self._handle = self._bar = None
        if _in_kernel():
            from IPython.display import display

            self._handle = display({"text/plain": self.text()}, raw=True, display_id=True)
        else:
            from tqdm import tqdm

            self._bar = tqdm(total=self.total, desc=desc, leave=False, file=sys.stderr, disable=None)

    def text(self, done: bool = False) -> str:
        """The line: description, count of total, percent; when done a tick and the time taken."""
        n = self.total if done else min(self.n, self.total)   # a finished step is complete, whatever it counted
        pct = 100 if self.total == 0 else round(100 * n / self.total)
        line = f"{self.desc} {n:,}/{self.total:,}（{pct}%）"
        return line + (f" ✓ {time.monotonic() - self.started:.1f} s" if done else "")

    def update(self, n: int = 1) -> None:
        self.n += int(n)
        if self._bar is not None:
            self._bar.update(n)
        elif self._handle is not None and time.monotonic() - self._shown >= EVERY:
            self._shown = time.monotonic()
            self._handle.update({"text/plain": self.text()}, raw=True)

    def close(self, done: bool = True) -> None:
        """The final line: complete with a tick when ``done``, else where it stopped."""
        if self._bar is not None:
            self._bar.close()
        elif self._handle is not None:
            self._handle.update({"text/plain": self.text(done=done)}, raw=True)
            self._handle = None

    def __enter__(self) -> "Line":
        return self

    def __exit__(self, kind: object, *exc: object) -> None:
        self.close(done=kind is None)


__all__ = ["Line", "EVERY"]
