"""One read (and one validation) of an unchanged roster per process.

The chain reads the same roster export at every stage: the roster check, the
draw, ``verify`` (read + validate again) and the report (every name and
address of the roster, for the privacy guard). At national size one read of
a 5.5-million-household CSV takes minutes, so in one process (a notebook
kernel, the leadership server, ``bench/bench_scale.py``) the parsed roster
is kept and handed out again while the file is unchanged: same resolved
path, same size, same modification time (nanoseconds), same reading
options. A changed file is read again. Two rosters are kept at most (the
roster and a comparison frame).

Across processes (each command of the chain, each kernel) a caller that
names its project (``project=``: the project folder or its Evaluation) is
served from the roster snapshot in the project's private area
(:mod:`toolkit.roster.snapshot`: encrypted with the project's key when it
has one; valid for the same file bytes, options and reader code): memory
memo, then snapshot, then the real read (which writes the snapshot). The
validation problems per evaluation settings and values a caller registers
(:func:`derived`) are kept with it. Without ``project`` nothing is written
to disk.

Each caller gets its own Roster whose frames are shallow copies of the kept
ones: with pandas' copy-on-write (the default from pandas 3) a caller's
change to its frame (a new column, a cell set) stays its own and costs only
the columns it touches.
``FIELDEVAL_ROSTER_ONCE=0`` turns the memo and the snapshots off.
"""
from __future__ import annotations

import dataclasses
import os
import weakref
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

import pandas as pd

_KEEP = 2
_READS: OrderedDict[tuple, object] = OrderedDict()
_CHECKS: dict[tuple, tuple[str, pd.DataFrame]] = {}     # read key -> (evaluation settings, problems)
_HANDED: dict[int, tuple[weakref.ref, tuple]] = {}       # id of a Roster handed out -> its read key
_DISK: dict[tuple, tuple[object, str]] = {}               # read key -> (Snapshots of its project, snapshot key)
_DERIVED: dict[tuple, dict[str, object]] = {}             # read key -> {name: value}


def _on() -> bool:
    return os.environ.get("FIELDEVAL_ROSTER_ONCE", "1") not in ("0", "false", "no")


def _key(path: Path, options: dict) -> tuple:
    st = path.stat()
    from toolkit.roster.snapshot import _option_text   # a long Series' repr is shortened: its values instead

    return (str(path.resolve()), st.st_size, st.st_mtime_ns, tuple(sorted((k, _option_text(v)) for k, v in options.items())))


def _options(options: dict) -> dict:
    """``options`` without those given as the reader's defaults (the roster
    check passes ``encoding="auto"``, the draw nothing: the same read)."""
    import inspect

    from toolkit.roster.read import read_roster as read

    params = inspect.signature(read).parameters
    return {k: v for k, v in options.items()
            if k not in params or params[k].default is inspect.Parameter.empty or repr(params[k].default) != repr(v)}


def _project_root(project: object) -> Path | None:
    """The project folder of ``project`` (a folder, an Evaluation with
    ``root``, a Project with ``evaluation``), or None."""
    if project is None:
        return None
    if hasattr(project, "evaluation"):
        project = project.evaluation
    root = getattr(project, "root", project)
    try:
        root = Path(root)
    except TypeError:
        return None
    return root if root.is_dir() else None


def read_roster(path: str | Path, *, project: object = None, **options) -> object:
    """``toolkit.roster.read_roster(path, **options)``, or the same Roster
    again (its frames shallow copies, see the module doc) when this process
    read the unchanged file with the same options, or when ``project``'s
    snapshot holds it (another process read it)."""
    from toolkit.roster import read_roster as read

    p = Path(path)
    if not _on() or not p.is_file():
        return read(p, **options)
    options = _options(options)
    key = _key(p, options)
    kept = _READS.get(key)
    root = _project_root(project)
    if kept is None:
        for old in [k for k in _READS if k[0] == key[0] and k[1:3] != key[1:3]]:   # an older version
            _forget(old)
        disk = _disk(key, root, p, options, lazy=True)
        kept = disk[0].load(disk[1]) if disk is not None and disk[1] is not None else None
        if kept is None:
            kept = read(p, **options)
            if disk is not None:
                disk = _disk(key, root, p, options)   # no snapshot of the file: hashed as the reader read it
                disk[0].save(disk[1], kept)
        _READS[key] = kept
        while len(_READS) > _KEEP:
            _forget(next(iter(_READS)))
    elif root is not None and key not in _DISK:      # read before without its project: keep it now
        disk = _disk(key, root, p, options)
        if disk is not None:
            disk[0].save(disk[1], kept)
    _READS.move_to_end(key)
    return _hand_out(kept, key)


def _disk(key: tuple, root: Path | None, path: Path, options: dict, lazy: bool = False
          ) -> tuple[object, str | None] | None:
    """(Snapshots, snapshot key) for a read key in ``root``'s project (hashes the file once);
    ``lazy``: the key None when no snapshot of the file is kept (``Snapshots.lookup``)."""
    if root is None:
        return _DISK.get(key)
    from toolkit.roster.snapshot import Snapshots

    snaps = Snapshots(root)
    snap_key = snaps.lookup(path, options) if lazy else snaps.key(path, options)
    if snap_key is None:
        return snaps, None
    _DISK[key] = (snaps, snap_key)
    return _DISK[key]


def _forget(key: tuple) -> None:
    _READS.pop(key, None)
    _CHECKS.pop(key, None)
    _DISK.pop(key, None)
    _DERIVED.pop(key, None)


def _hand_out(kept: object, key: tuple) -> object:
    copies = {f.name: getattr(kept, f.name).copy(deep=False) for f in dataclasses.fields(kept)
              if isinstance(getattr(kept, f.name), pd.DataFrame)}
    roster = dataclasses.replace(kept, **copies)
    rid = id(roster)
    _HANDED[rid] = (weakref.ref(roster, lambda _r, rid=rid: _HANDED.pop(rid, None)), key)
    return roster


def _read_key(roster: object) -> tuple | None:
    handed = _HANDED.get(id(roster))
    key = handed[1] if handed is not None and handed[0]() is roster else None
    return key if key is not None and key in _READS else None


def validate(roster: object, evaluation: object = None, *, lang: str | None = None) -> pd.DataFrame:
    """``toolkit.roster.validate.validate(roster, evaluation, lang=lang)``,
    kept with a roster of :func:`read_roster` for the same evaluation
    settings, language and day (in memory, and in the project's snapshot)."""
    import datetime as dt

    from toolkit.roster.validate import validate as check

    key = _read_key(roster)
    if not _on() or key is None:
        return check(roster, evaluation, lang=lang)
    from toolkit.i18n import check_lang

    try:   # the language the problems' words come out in (None: the default, as toolkit.i18n.t does)
        words = check_lang(lang)
    except ValueError:
        return check(roster, evaluation, lang=lang)
    settings = f"{evaluation!r} lang={words} today={dt.date.today().isoformat()}"
    hit = _CHECKS.get(key)
    if hit is not None and hit[0] == settings:
        return hit[1].copy(deep=False)
    disk = _DISK.get(key)
    problems = disk[0].problems(disk[1], settings) if disk is not None else None
    if problems is None:
        problems = check(roster, evaluation, lang=lang)
        if disk is not None:
            disk[0].save_problems(disk[1], settings, problems)
    _CHECKS[key] = (settings, problems)
    return problems.copy(deep=False)


def derived(roster: object, name: str, compute: Callable[[], object]) -> object:
    """A value derived from a roster of :func:`read_roster` (JSON: text,
    numbers, lists, dicts), e.g. the draw's roster fingerprint: ``compute()``
    once per unchanged file and reader, kept in memory and in the project's
    snapshot under ``name`` (which must say what was computed and how)."""
    key = _read_key(roster)
    if not _on() or key is None:
        return compute()
    mem = _DERIVED.setdefault(key, {})
    if name in mem:
        return mem[name]
    disk = _DISK.get(key)
    value = disk[0].derived(disk[1], name) if disk is not None else None
    if value is None:
        value = compute()
        if disk is not None:
            disk[0].save_derived(disk[1], name, value)
    mem[name] = value
    return value


def forget() -> None:
    """Drop every kept roster (tests; a long-lived process short of memory)."""
    _READS.clear()
    _CHECKS.clear()
    _HANDED.clear()
    _DISK.clear()
    _DERIVED.clear()


__all__ = ["read_roster", "validate", "derived", "forget"]
