"""One read (and one validation) of an unchanged roster per process.

The chain reads the same roster export at every stage: the roster check, the
draw, ``verify`` (read + validate again) and the report (every name and
address of the roster, for the privacy guard). At national size one read of
a 5.5-million-household CSV takes minutes, so in one process (a notebook
kernel, the leadership server, ``bench/bench_scale.py``) the parsed roster
is kept and handed out again while the file is unchanged: same resolved
path, same size, same modification time (nanoseconds), same reading
options. A changed file is read again. Two rosters are kept at most (the
roster and a comparison frame); nothing is written to disk (the frames are
identifiable). A command run from the shell is its own process and reads
the file as before.

Each caller gets its own Roster whose frames are shallow copies of the kept
ones: with pandas' copy-on-write (the default from pandas 3) a caller's
change to its frame (a new column, a cell set) stays its own and costs only
the columns it touches.
``FIELDEVAL_ROSTER_ONCE=0`` turns the memo off.
"""
from __future__ import annotations

import dataclasses
import os
import weakref
from collections import OrderedDict
from pathlib import Path

import pandas as pd

_KEEP = 2
_READS: OrderedDict[tuple, object] = OrderedDict()
_CHECKS: dict[tuple, tuple[str, pd.DataFrame]] = {}     # read key -> (evaluation settings, problems)
_HANDED: dict[int, tuple[weakref.ref, tuple]] = {}       # id of a Roster handed out -> its read key


def _on() -> bool:
    return os.environ.get("FIELDEVAL_ROSTER_ONCE", "1") not in ("0", "false", "no")


def _key(path: Path, options: dict) -> tuple:
    st = path.stat()
    return (str(path.resolve()), st.st_size, st.st_mtime_ns, tuple(sorted((k, repr(v)) for k, v in options.items())))


def read_roster(path: str | Path, **options) -> object:
    """``toolkit.roster.read_roster(path, **options)``, or the same Roster
    again (its frames shallow copies, see the module doc) when this process
    read the unchanged file with the same options."""
    from toolkit.roster import read_roster as read

    p = Path(path)
    if not _on() or not p.is_file():
        return read(p, **options)
    key = _key(p, options)
    kept = _READS.get(key)
    if kept is None:
        kept = read(p, **options)
        for old in [k for k in _READS if k[0] == key[0] and k[1:3] != key[1:3]]:   # an older version
            _READS.pop(old)
            _CHECKS.pop(old, None)
        _READS[key] = kept
        while len(_READS) > _KEEP:
            _CHECKS.pop(_READS.popitem(last=False)[0], None)
    _READS.move_to_end(key)
    return _hand_out(kept, key)


def _hand_out(kept: object, key: tuple) -> object:
    copies = {f.name: getattr(kept, f.name).copy(deep=False) for f in dataclasses.fields(kept)
              if isinstance(getattr(kept, f.name), pd.DataFrame)}
    roster = dataclasses.replace(kept, **copies)
    rid = id(roster)
    _HANDED[rid] = (weakref.ref(roster, lambda _r, rid=rid: _HANDED.pop(rid, None)), key)
    return roster


def validate(roster: object, evaluation: object = None) -> pd.DataFrame:
    """``toolkit.roster.validate.validate(roster, evaluation)``, kept with a
    roster of :func:`read_roster` for the same evaluation settings."""
    from toolkit.roster.validate import validate as check

    handed = _HANDED.get(id(roster))
    key = handed[1] if handed is not None and handed[0]() is roster else None
    if not _on() or key is None or key not in _READS:
        return check(roster, evaluation)
    settings = repr(evaluation)
    hit = _CHECKS.get(key)
    if hit is not None and hit[0] == settings:
        return hit[1].copy(deep=False)
    problems = check(roster, evaluation)
    _CHECKS[key] = (settings, problems)
    return problems.copy(deep=False)


def forget() -> None:
    """Drop every kept roster (tests; a long-lived process short of memory)."""
    _READS.clear()
    _CHECKS.clear()
    _HANDED.clear()


__all__ = ["read_roster", "validate", "forget"]
