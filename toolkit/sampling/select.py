"""Selection: stratified SRSWOR by hash tickets, systematic, and two-stage PPS.

``draw(frame, design)`` returns a :class:`Sample`. Every random choice comes
from ``design.seed`` through :mod:`toolkit.sampling.tickets`; nothing depends
on the row order of the frame or on any global random state.

Methods (``design.method``)
---------------------------
``srswor``  In each stratum h the n_h units with the smallest tickets
            (ticket order: see tickets.py) are selected. π = n_h / N_h.
``systematic``
            Units of each stratum are sorted by ``design.sort_by`` then the id
            (ascending; missing values last); with the fractional interval
            k = N_h/n_h and start u = uniform(seed, "systematic|<stratum>"),
            positions ⌈(j + u)k⌉, j = 0 … n_h − 1 are taken. π = n_h / N_h.
``two_stage``
            Stage 1: in each stratum, PSUs (``design.psu``, e.g. township) are
            drawn by PPS-systematic on their household counts M_i (or
            ``design.psu_sizes``): π1_i = inclusion_probabilities(M, K), so a
            PSU whose π would exceed 1 is a certainty PSU and the rest is
            re-spread; PSUs are ordered by label (``psu_order="label"``: code
            point order) or by ticket of "<stratum>|<psu>" (``"ticket"``), the
            start is u = uniform(seed, "pps|<stratum>").
            Stage 2: in each selected PSU the m_i = min(per_psu, M_i) households
            with the smallest tickets; π2 = m_i / M_i (frame households).
            Overall π = π1 · π2.

Every selected unit carries pi1, pi2 (1 for one-stage designs), pi and
weight = 1/pi. Reserves are the next ``design.reserves`` units in ticket
order after the selected ones, per stratum (one-stage) or per selected PSU
(two-stage); they are released strictly in that order (see reserves.py).

Strata are the distinct value combinations of ``design.strata``, labelled by
their values joined with "|" ("全部" when there are no strata). Sub-populations
(在档 / 已脱困 / 已解困 / 注销) are sampled as their own strata by putting
``status`` in the strata; a comparison frame of non-registered households
(``comparison=``) adds the implicit first stratum variable ``frame``
(roster | comparison), and rows missing ``status`` get "非建档".
"""
from __future__ import annotations

import functools
import json
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field, fields

import numpy as np
import pandas as pd
import polars as pl

from toolkit.errors import UserError
from toolkit.sampling.sample_files import StratumWords
from toolkit.sampling import tickets as tk
from toolkit.sampling.allocation import Allocation, StratumAllocation, allocate, per_stratum
from toolkit.sampling.pps import inclusion_probabilities, systematic, systematic_equal

METHODS = ("srswor", "systematic", "two_stage")
ALL_LABEL = "全部"
COMPARISON_STATUS = "非建档"
SEP = "|"


@dataclass(frozen=True)
class Design:
    """What to draw. Mappings are stored as sorted tuples of pairs so a design
    is hashable and serialises to JSON unchanged (see ``as_dict``)."""

    seed: str = ""
    strata: tuple[str, ...] = ("county",)
    method: str = "srswor"
    n: int | None = None
    per_stratum: int | None = None
    allocation: str = "proportional"
    min_per_stratum: int = 2
    max_per_stratum: int | None = None
    anticipated_p: tuple[tuple[str, float], ...] = ()
    stratum_sd: tuple[tuple[str, float], ...] = ()
    reserves: int = 0
    sort_by: tuple[str, ...] = ()
    psu: str = "township"
    psus_per_stratum: int | None = None
    per_psu: int | None = None
    psu_order: str = "label"
    psu_sizes: tuple[tuple[str, int], ...] = ()
    required_strata: tuple[str, ...] = ()
    id_column: str = "archive_id"
    seed_source: str = ""

    def as_dict(self) -> dict:
        d = asdict(self)
        for k, v in d.items():
            if isinstance(v, tuple):
                d[k] = [list(x) if isinstance(x, tuple) else x for x in v]
        return d

    @classmethod
    def from_dict(cls, d: Mapping) -> "Design":
        kw = {}
        for f in fields(cls):
            if f.name not in d:
                continue
            v = d[f.name]
            if isinstance(v, list):
                v = tuple(tuple(x) if isinstance(x, list) else x for x in v)
            kw[f.name] = v
        return cls(**kw)


@dataclass(frozen=True)
class Sample:
    """A drawn sample.

    units: one row per selected unit: archive_id, source, row, stratum, psu,
        pi1, pi2, pi, weight, rank (1-based ticket rank in its stratum or PSU),
        ticket (16 hex digits). Sorted by stratum, psu, rank.
    reserves: archive_id, source, row, stratum, psu, reserve_rank (1, 2, …
        the release order in its stratum/PSU), pi1, pi2, pi, weight, ticket.
    psus: two-stage only: stratum, psu, size, pi1, certainty, selected, m.
    allocation: households per stratum (for two-stage, n_h is the realised
        Σ m_i over selected PSUs).
    """

    design: Design
    allocation: Allocation
    units: pd.DataFrame
    reserves: pd.DataFrame
    psus: pd.DataFrame | None
    population: int
    strata_sizes: dict[str, int] = field(default_factory=dict)


# --- frame preparation -------------------------------------------------------------

def normalise_ids(values: pd.Series | list) -> list[str]:
    """Id strings, NFC-normalised and stripped; a missing id becomes "".

    Numbers that are whole (an id read as 12345.0) become "12345". The common
    case (plain ASCII, no edge spaces) is checked over the whole column in C
    and costs no per-id Python call.
    """
    arrow = _arrow_ids(values)
    if arrow is not None:
        return _normalise_series(arrow).to_list()
    if isinstance(values, pd.Series) and pd.api.types.is_string_dtype(values) \
            and not values.isna().any():
        raw = values.tolist()
        if values.dtype != object or all(isinstance(v, str) for v in raw):
            return _normalise_where_needed(raw)
    # pd.NA / NaT / None / NaN are all "no id" (str(pd.NA) would be drawn as a household "<NA>")
    return ["" if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and np.isnan(v))
            else tk.normalise_text(_num_text(v)) for v in values]


_NEEDS_NFC = r"^[\x00-\x20]|[\x00-\x20]$|[^\x00-\x7f]"


def _arrow_ids(values: object) -> pl.Series | None:
    """The id column as a polars String series without a Python string per
    id, when it is Arrow-backed text with no missing value (pandas'
    ``string[pyarrow]``, the roster readers' type); else None."""
    if not isinstance(values, pd.Series) or values.isna().any():
        return None
    return _arrow_text(values)


def _arrow_text(values: pd.Series) -> pl.Series | None:
    """An Arrow-backed text column as a polars String series (missing stays
    null), without a Python string per value; None for any other column."""
    if not pd.api.types.is_string_dtype(values) or values.dtype == object:
        return None
    try:
        arr = values.array.__arrow_array__()
    except (AttributeError, TypeError, NotImplementedError):
        return None
    s = pl.from_arrow(arr)
    return s.cast(pl.String) if isinstance(s, pl.Series) else None


# every character Python's str.strip() removes (str.isspace), as a regex class (RE2 and Rust syntax)
PY_SPACE = ("\\t\\n\\x{0b}\\x{0c}\\r\\x{1c}-\\x{1f} \\x{85}\\x{a0}\\x{1680}\\x{2000}-\\x{200a}"
            "\\x{2028}\\x{2029}\\x{202f}\\x{205f}\\x{3000}")
PY_EDGE_SPACE = f"^[{PY_SPACE}]|[{PY_SPACE}]$"


# blocks that hold only ideographs, Hangul syllables, surrogates or private use: every
# character there is its own NFC, combines with nothing after it and has combining class 0
_NFC_INERT = ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xAC00, 0xD7A4), (0xD800, 0xF900), (0x20000, 0x2A6E0),
              (0x2A700, 0x2EBF0))


@functools.cache
def nfc_risky_class() -> str:
    """A regex class (RE2 / Rust syntax) of every character that can make
    NFC change a string, from this Python's own Unicode tables: a character
    whose NFC differs from it (singletons, excluded compositions), a
    character with a non-zero combining class (reordering), the second
    character of a canonical two-character decomposition (it may compose
    with what precedes it) and the Hangul vowel and trailing jamo. A string
    with none of them is NFC already (UAX #15 quick check: all characters
    NFC_QC=Yes with combining class 0). Built once per process (~0.3 s)."""
    import unicodedata

    risky = set(range(0x1161, 0x1176)) | set(range(0x11A8, 0x11C3))
    lo, spans = 0x80, []
    for a, b in _NFC_INERT:
        spans.append(range(lo, a))
        lo = b
    spans.append(range(lo, 0x30000))
    comb, norm, dec = unicodedata.combining, unicodedata.normalize, unicodedata.decomposition
    for span in spans:
        for cp in span:
            ch = chr(cp)
            if comb(ch) or norm("NFC", ch) != ch:
                risky.add(cp)
            d = dec(ch)
            if d and d[0] != "<":
                parts = d.split()
                if len(parts) == 2:
                    risky.add(int(parts[1], 16))
    runs: list[list[int]] = []
    for cp in sorted(risky):
        if runs and cp == runs[-1][1] + 1:
            runs[-1][1] = cp
        else:
            runs.append([cp, cp])
    return "[" + "".join(f"\\x{{{a:x}}}" if a == b else f"\\x{{{a:x}}}-\\x{{{b:x}}}" for a, b in runs) + "]"


_JSON_ESCAPED = r'[\x00-\x1f"\\]'   # what json.dumps(..., ensure_ascii=False) escapes


def _printable_ascii(s: pl.Series) -> bool:
    """True when every byte of every value is printable ASCII other than
    space, '"' and '\\' (0x21–0x7E): such a value is its own NFC, has no
    whitespace to strip and nothing JSON escapes (ID numbers, phones, bank
    cards, archive ids). Checked with numpy on the column's UTF-8 buffer,
    the largest byte first (a column of Chinese text stops there)."""
    import pyarrow as pa

    arr = s.to_arrow(compat_level=pl.CompatLevel.oldest())
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    if arr.type != pa.large_string() or not len(arr):
        return False
    off = np.frombuffer(arr.buffers()[1], dtype=np.int64)[arr.offset:arr.offset + len(arr) + 1]
    data = np.frombuffer(arr.buffers()[2], dtype=np.uint8)[int(off[0]):int(off[-1])]
    if not len(data) or data.max() > 0x7E or data.min() < 0x21:
        return False
    return not (np.count_nonzero(data == 0x22) or np.count_nonzero(data == 0x5C))


def _normalise_series(s: pl.Series, *, json_inner: bool = False) -> pl.Series:
    """NFC + strip of a String series (``tickets.normalise_text`` value by
    value), applied in Python only to the values that could change: a value
    with a whitespace character at an edge (Python's str.isspace set), or
    one holding a character that can make NFC change it
    (:func:`nfc_risky_class`). One regex pass in Rust, so a column of
    Chinese names costs no Python call per value (the roster fingerprint's
    35 columns at 5.5M rows). ``json_inner``: each value then as it
    stands between the quotes of its JSON string (``json.dumps(v,
    ensure_ascii=False)[1:-1]``, the roster fingerprint's text), found by
    the same pass."""
    if _printable_ascii(s):          # digits, codes: nothing to normalise or escape, no regex pass
        return s.rename("id")
    pattern = f"{PY_EDGE_SPACE}|{nfc_risky_class()}" + (f"|{_JSON_ESCAPED}" if json_inner else "")
    need = s.str.contains(pattern).fill_null(False)
    idx = need.arg_true()
    if len(idx):
        vals = [tk.normalise_text(v) for v in s.gather(idx).to_list()]
        if json_inner:
            vals = [json.dumps(v, ensure_ascii=False)[1:-1] for v in vals]
        s = s.clone().scatter(idx, vals)
    return s.rename("id")


def _pandas_arrow(values: pd.Series) -> object | None:
    """The pyarrow ChunkedArray behind an Arrow-backed pandas text column (shared by
    its shallow copies, so it identifies the column's values), or None."""
    import pyarrow as pa

    if not isinstance(values, pd.Series) or not pd.api.types.is_string_dtype(values) or values.dtype == object:
        return None
    try:
        arr = values.array.__arrow_array__()
    except (AttributeError, TypeError, NotImplementedError):
        return None
    return arr if isinstance(arr, pa.ChunkedArray) else None


def plain_ascii(values: pd.Series) -> bool:
    """:func:`_printable_ascii` read on an Arrow-backed pandas column's own
    buffers, chunk by chunk (no copy into polars first: at 5.5 million ids
    the copy cost more than the check). False for any other column, or
    when in doubt (the caller then normalises as before)."""
    import pyarrow as pa

    arr = _pandas_arrow(values)
    if arr is None or not len(arr):
        return False
    total = 0
    for c in arr.chunks:
        if not len(c):
            continue
        if c.type == pa.large_string():
            width = np.int64
        elif c.type == pa.string():
            width = np.int32
        else:
            return False
        bufs = c.buffers()
        off = np.frombuffer(bufs[1], dtype=width)[c.offset:c.offset + len(c) + 1]
        lo, hi = int(off[0]), int(off[-1])
        if hi == lo:
            continue
        data = np.frombuffer(bufs[2], dtype=np.uint8)[lo:hi]
        if data.max() > 0x7E or data.min() < 0x21 or np.count_nonzero(data == 0x22) or np.count_nonzero(data == 0x5C):
            return False
        total += hi - lo
    return total > 0


# normalised ids kept per id column (its pyarrow ChunkedArray, weakly): the blank-id split, the draw and
# the fingerprint ask for the same 5.5 million ids; each normalised them again
_IDS: dict[int, tuple[object, pl.Series]] = {}


def remember_ids(values: pd.Series, ids: pl.Series) -> None:
    """Keep ``ids`` as the normalised ids of ``values`` (an Arrow-backed column
    without missing values: :func:`_id_series` gives exactly these) until
    the column's values are freed."""
    import weakref

    arr = _pandas_arrow(values)
    if arr is None or len(ids) != len(values) or values.isna().any():
        return
    key = id(arr)
    _IDS[key] = (weakref.ref(arr, lambda _r, key=key: _IDS.pop(key, None)), ids.rename("id"))


def _id_series(values: pd.Series) -> pl.Series:
    """Normalised ids (see ``normalise_ids``) as a polars String series
    (kept for the column by :func:`remember_ids`)."""
    arr = _pandas_arrow(values)
    hit = _IDS.get(id(arr)) if arr is not None else None
    if hit is not None and hit[0]() is arr:
        return hit[1]
    arrow = _arrow_ids(values)
    if arrow is not None:
        ids = arrow.rename("id") if plain_ascii(values) else _normalise_series(arrow)
        remember_ids(values, ids)
        return ids
    return pl.Series("id", normalise_ids(values), dtype=pl.String)


def _normalise_where_needed(raw: list[str]) -> list[str]:
    """Normalise (NFC + strip) only the ids that could change: any non-ASCII
    character, or a control/space character at an edge. The test runs over
    the whole column in Rust (polars); the rest are returned as they are."""
    if not raw:
        return raw
    need = pl.Series("id", raw, dtype=pl.String).str.contains(_NEEDS_NFC).to_numpy()
    for i in np.flatnonzero(need).tolist():
        raw[i] = tk.normalise_text(raw[i])
    return raw


def _header(column: str) -> str:
    """The roster's own header for a canonical field (档案编号 for archive_id), for messages."""
    from toolkit.roster.schema import BY_NAME

    f = BY_NAME.get(column)
    return f.header if f is not None else column


def _num_text(v: object) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _coded_text(s: pd.Series) -> tuple[np.ndarray, list[str]]:
    """(codes, texts) for a stratum / PSU column: ``texts`` are the distinct
    normalised values in code-point order (missing and blank → ""), and
    ``texts[codes[i]]`` is unit i's value. Only distinct values are normalised."""
    codes, uniq = pd.factorize(s.reset_index(drop=True), use_na_sentinel=True)
    texts = [tk.normalise_text(_num_text(v)) for v in uniq] + [""]
    ntext, remap = np.unique(np.array(texts, dtype=object), return_inverse=True)
    codes = np.where(codes < 0, len(texts) - 1, codes)
    return remap.reshape(-1)[codes], [str(x) for x in ntext]


_SOURCE_NAMES = np.array(["roster", "comparison"], dtype=object)


@dataclass(frozen=True)
class _Sources:
    """Which frame each unit came from, kept as 0/1 codes (one byte a unit,
    not a Python string); indexing gives the names."""

    codes: np.ndarray

    def __getitem__(self, idx: object) -> object:
        return _SOURCE_NAMES[self.codes[idx]]

    def __len__(self) -> int:
        return len(self.codes)


@dataclass(frozen=True)
class _Coded:
    """A text column kept as codes into its distinct texts; indexing gives the texts."""

    codes: np.ndarray
    texts: np.ndarray

    def __getitem__(self, idx: object) -> object:
        return self.texts[self.codes[idx]]


@dataclass(frozen=True)
class _Work:
    ids: pl.Series            # normalised ids (String)
    rows: np.ndarray          # spreadsheet row numbers (frame index)
    source: "_Sources"        # "roster" | "comparison"
    codes: np.ndarray         # stratum code per unit: index into labels
    labels: list[str]         # stratum labels in code-point order
    frame: pd.DataFrame       # the design's columns (roster rows first, then comparison)


def _check_columns(frame: pd.DataFrame, cols: list[str], source: str) -> None:
    for c in cols:
        if c not in frame.columns:
            raise UserError("sampling.missing_column", column=c, source=source)


def prepare(frame: pd.DataFrame, design: Design, comparison: pd.DataFrame | None = None) -> _Work:
    """Check the frame(s) for the design and compute id, row, source, stratum."""
    if not design.seed or not str(design.seed).strip():
        raise UserError("sampling.seed_missing")
    try:
        tk.seed_bytes(design.seed)
    except ValueError:
        raise UserError("sampling.seed_bad", seed=design.seed) from None
    if design.method not in METHODS:
        raise UserError("sampling.bad_method", method=design.method, choices=", ".join(METHODS))
    need = [design.id_column, *design.strata]
    if design.method == "systematic":
        need += list(design.sort_by)
    if design.method == "two_stage":
        need.append(design.psu)
    frames = [("roster", frame)]
    if comparison is not None:
        comp = comparison.copy()
        if "status" in design.strata and "status" not in comp.columns:
            comp["status"] = COMPARISON_STATUS
        frames.append(("comparison", comp))
    need = list(dict.fromkeys(need))
    parts, sources = [], []
    for source_name, f in frames:
        _check_columns(f, need, source_name)
        parts.append(f[need])   # only the columns the design uses: no copy of the whole roster
        sources.append(np.full(len(f), len(sources), dtype=np.int8))   # 0 roster, 1 comparison
    allf = pd.concat(parts, axis=0) if len(parts) > 1 else parts[0]
    # Arrow strings: checks in Rust, no per-id Python; per frame, so the roster's ids normalised by the
    # blank-id split are not normalised again (remember_ids)
    ids = pl.concat([_id_series(p[design.id_column]).rename("id") for p in parts], rechunk=False)
    rows = np.asarray(allf.index)
    source = _Sources(np.concatenate(sources) if sources else np.empty(0, dtype=np.int8))
    blank = (ids.str.len_bytes() == 0).arg_true().to_numpy()
    if len(blank):
        # refused, never drawn: a household without an id cannot be visited or traced
        raise UserError("sampling.blank_id", row=rows[blank[0]], source=source[blank[0]],
                        column=_header(design.id_column))
    # duplicates: distinct 64-bit hashes prove distinct ids; only an equal hash is checked exactly
    if len(ids) and ids.hash().n_unique() < len(ids):
        dup = ids.is_duplicated().to_numpy()
        if dup.any():
            first = ids[int(np.flatnonzero(dup)[0])]
            where = (ids == first).arg_true().to_numpy()
            raise UserError("sampling.duplicate_id", id=first,
                            rows=", ".join(f"{source[i]}:{rows[i]}" for i in where[:5]))
    parts_codes: list[tuple[np.ndarray, list[str]]] = []
    if comparison is not None:
        parts_codes.append(((source.codes == 0).astype(np.int64), ["comparison", "roster"]))
    for c in design.strata:
        cc, texts = _coded_text(allf[c])
        if texts and texts[0] == "":
            bad = np.flatnonzero(cc == 0)
            if len(bad):
                raise UserError("sampling.blank_stratum", column=c, row=rows[bad[0]], id=ids[int(bad[0])])
        parts_codes.append((cc.astype(np.int64), texts))
    if not parts_codes:
        codes, labels = np.zeros(len(ids), dtype=np.int64), [ALL_LABEL]
    else:
        combined = np.zeros(len(ids), dtype=np.int64)
        for cc, texts in parts_codes:
            combined = combined * len(texts) + cc
        inv, ucomb = pd.factorize(combined, sort=False)   # hashing: no sort of N values
        raw_labels = []
        for v in ucomb.tolist():
            vals = []
            for cc, texts in reversed(parts_codes):
                v, r = divmod(v, len(texts))
                vals.append(texts[r])
            raw_labels.append(SEP.join(reversed(vals)))
        order = sorted(range(len(raw_labels)), key=raw_labels.__getitem__)
        rank = np.empty(len(order), dtype=np.int64)
        rank[order] = np.arange(len(order))
        codes = rank[inv.reshape(-1)]
        labels = [raw_labels[i] for i in order]
    return _Work(ids, rows, source, codes, labels, allf)


# --- drawing ------------------------------------------------------------------------

def _group_rank(order: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """0-based rank of each unit within its group, given an order sorted by group.

    Positions not in ``order`` get −1.
    """
    rank = np.full(len(codes), -1, dtype=np.int64)
    if len(order) == 0:
        return rank
    g = codes[order]
    start = np.r_[0, np.flatnonzero(g[1:] != g[:-1]) + 1]
    lengths = np.diff(np.r_[start, len(order)])
    rank[order] = np.arange(len(order)) - np.repeat(start, lengths)
    return rank


def _hex(t: np.ndarray) -> list[str]:
    return [f"{int(x):016x}" for x in t]


def _allocation(design: Design, sizes: dict[str, int]) -> Allocation:
    if design.per_stratum is not None and design.n is not None:
        raise UserError("sampling.size_both")
    if design.per_stratum is not None:
        return per_stratum(sizes, design.per_stratum)
    if design.n is None:
        raise UserError("sampling.size_missing")
    return allocate(sizes, design.n, design.allocation,
                    sd=dict(design.stratum_sd) or None, p=dict(design.anticipated_p) or None,
                    min_per_stratum=design.min_per_stratum, max_per_stratum=design.max_per_stratum)


def _sizes(design: Design, work: _Work) -> tuple[dict[str, int], np.ndarray, list[str]]:
    counts = np.bincount(work.codes, minlength=len(work.labels))
    sizes = {lab: int(c) for lab, c in zip(work.labels, counts)}
    for req in design.required_strata:
        if req not in sizes:
            raise UserError("sampling.stratum_too_small", stratum=req, size=0)
    return sizes, work.codes, work.labels


def draw(frame: pd.DataFrame, design: Design, *, comparison: pd.DataFrame | None = None,
         progress: Callable[[int], None] | None = None) -> Sample:
    """Draw the sample described by ``design`` from ``frame`` (see module doc).

    ``frame`` is a roster frame (index = spreadsheet row); ``comparison`` an
    optional frame of non-registered households with the same id column.
    ``progress(k)`` is called as k more units have been ticketed.
    Raises UserError (exit code 2) for any unusable input, naming the stratum,
    PSU or unit.
    """
    work = prepare(frame, design, comparison)
    sizes, codes, labels = _sizes(design, work)
    if design.reserves < 0:
        raise UserError("sampling.bad_number", name="reserves", value=design.reserves)
    if design.method == "two_stage":
        return _two_stage(work, design, sizes, codes, labels, progress)
    alloc = _allocation(design, sizes)
    n_by_code = np.array([alloc.sizes()[lab] for lab in labels], dtype=np.int64)
    big_n_by_code = np.array([sizes[lab] for lab in labels], dtype=np.int64)
    tix = tk.tickets(work.ids, design.seed, progress=progress)
    if design.method == "srswor":
        # only the n_h + reserves smallest tickets of each stratum matter: sort those (one
        # sort by stratum, ticket, id over the candidates), rank within stratum
        t_order = _smallest(tix, work.ids, codes, n_by_code + int(design.reserves), big_n_by_code)
        t_rank = _group_rank(t_order, codes)          # −1: not among the candidates
        n_u = n_by_code[codes]
        selected = (t_rank >= 0) & (t_rank < n_u)
        res_mask = (t_rank >= n_u) & (t_rank < n_u + int(design.reserves))
        res_rank = np.where(res_mask, t_rank - n_u + 1, 0)
        pi = n_by_code[codes] / big_n_by_code[codes]
        return _assemble(work, design, alloc, sizes, tix, selected, t_rank, res_mask, res_rank,
                         pi1=pi, pi2=np.ones(len(codes)), psu=None, psus=None, groups=codes)
    t_order = tk.ticket_order(tix, work.ids, codes)
    t_rank = _group_rank(t_order, codes)
    # systematic
    keys = [work.frame[c].reset_index(drop=True) for c in design.sort_by]
    df = pd.DataFrame({f"k{i}": k for i, k in enumerate(keys)})
    df["__id"] = work.ids.to_list()
    df["__code"] = codes
    order = df.sort_values(["__code", *[f"k{i}" for i in range(len(keys))], "__id"],
                           kind="mergesort", na_position="last").index.to_numpy()
    selected = np.zeros(len(codes), dtype=bool)
    starts = np.r_[0, np.cumsum(big_n_by_code)]
    for h, lab in enumerate(labels):
        u = tk.uniform(design.seed, f"systematic{SEP}{lab}")
        pos = systematic_equal(int(big_n_by_code[h]), int(n_by_code[h]), u)
        selected[order[starts[h] + pos]] = True
    rank_sel = t_rank
    # reserves: next tickets among the units not selected
    unsel_rank = _group_rank(t_order[~selected[t_order]], codes) if (~selected).any() else None
    res_mask = np.zeros(len(codes), dtype=bool)
    res_rank = np.zeros(len(codes), dtype=np.int64)
    if design.reserves and unsel_rank is not None:
        idx = t_order[~selected[t_order]]
        rr = unsel_rank[idx]
        take = rr < design.reserves
        res_mask[idx[take]] = True
        res_rank[idx[take]] = rr[take] + 1
    pi = n_by_code[codes] / big_n_by_code[codes]
    return _assemble(work, design, alloc, sizes, tix, selected, rank_sel, res_mask, res_rank,
                     pi1=pi, pi2=np.ones(len(codes)), psu=None, psus=None, groups=codes)


_U64_MAX = np.iinfo(np.uint64).max


def _smallest(tix: np.ndarray, ids: pl.Series, codes: np.ndarray, need: np.ndarray,
              sizes: np.ndarray) -> np.ndarray:
    """Positions of (at least) the ``need[h]`` smallest tickets of each stratum
    h, sorted by (stratum, ticket, id): what ``ticket_order`` gives for the
    whole frame, cut to its head in each stratum.

    Tickets are uniform on [0, 2⁶⁴), so in a stratum of N_h units about
    p·N_h fall below p·2⁶⁴. With p = (k + 8 + 4√(k + 8)) / N_h for
    k = need[h], a stratum falls short only by a 4-standard-deviation chance;
    then the whole frame is sorted. A stratum with p ≥ ½ is taken whole.
    Exact either way: every unit whose ticket is at most the threshold is a
    candidate, so the k smallest (and any ticket tied with them) are among
    the candidates."""
    n = len(tix)
    k = np.minimum(need, sizes).astype(np.float64)
    p = (k + 8 + 4 * np.sqrt(k + 8)) / np.maximum(sizes, 1)
    if n == 0:
        return tk.ticket_order(tix, ids, codes)
    thr = np.where(p >= 0.5, _U64_MAX, (np.minimum(p, 0.5) * 2.0 ** 64).astype(np.uint64))
    cand = np.flatnonzero(tix <= thr[codes])
    got = np.bincount(codes[cand], minlength=len(sizes))
    if np.any(got < k) or len(cand) > n // 2:
        return tk.ticket_order(tix, ids, codes)
    sub = tk.ticket_order(tix[cand], ids.gather(cand), codes[cand])
    return cand[sub]


def _assemble(work: _Work, design: Design, alloc: Allocation, sizes: dict[str, int],
              tix: np.ndarray, selected: np.ndarray, rank: np.ndarray, res_mask: np.ndarray,
              res_rank: np.ndarray, *, pi1: np.ndarray, pi2: np.ndarray, psu: "np.ndarray | _Coded | None",
              psus: pd.DataFrame | None, groups: np.ndarray) -> Sample:
    """Unit and reserve tables, sorted by stratum (and PSU: ``groups`` are
    codes in label order) then rank. ``psu`` None: each unit is its own PSU."""
    def table(mask: np.ndarray, extra: dict[str, np.ndarray]) -> pd.DataFrame:
        idx = np.flatnonzero(mask)
        key = next(iter(extra.values()))
        idx = idx[np.lexsort((key[idx], groups[idx]))]   # stratum (, PSU), then rank
        p1, p2 = pi1[idx], pi2[idx]
        aid = work.ids.gather(idx).to_list()
        d = pd.DataFrame({
            "archive_id": aid,
            "source": work.source[idx], "row": work.rows[idx],
            "stratum": np.array(work.labels, dtype=object)[work.codes[idx]],
            "psu": aid if psu is None else psu[idx],
            **{k: v[idx] for k, v in extra.items()},
            "pi1": p1, "pi2": p2, "pi": p1 * p2, "weight": 1.0 / (p1 * p2),
            "ticket": _hex(tix[idx]),
        })
        return d

    units = table(selected, {"rank": rank + 1})
    reserves = table(res_mask, {"reserve_rank": res_rank})
    return Sample(design, alloc, units, reserves, psus, len(work.ids), sizes)


def _two_stage(work: _Work, design: Design, sizes: dict[str, int], codes: np.ndarray,
               labels: list[str], progress: Callable[[int], None] | None) -> Sample:
    k = design.psus_per_stratum
    m = design.per_psu
    if k is None or m is None:
        raise UserError("sampling.two_stage_sizes")
    if int(k) < 1 or int(m) < 1:
        raise UserError("sampling.bad_number", name="psus_per_stratum/per_psu", value=f"{k}/{m}")
    for lab, size in sizes.items():
        if size < 2:
            raise UserError("sampling.stratum_too_small", stratum=StratumWords(lab), size=size)
    # PSUs: (stratum code, PSU text) pairs in (stratum, code-point) order, found on integer codes
    pcodes, ptexts = _coded_text(work.frame[design.psu])     # ptexts[0] == "": missing or blank
    bad = np.flatnonzero(pcodes == 0) if ptexts[0] == "" else np.empty(0, dtype=np.int64)
    if len(bad):
        raise UserError("sampling.blank_stratum", column=design.psu, row=work.rows[bad[0]],
                        id=work.ids[int(bad[0])])
    ptext_arr = np.array(ptexts, dtype=object)
    size_table = {str(a): b for a, b in design.psu_sizes}
    combined = codes.astype(np.int64) * len(ptexts) + pcodes
    inv, uniq = pd.factorize(combined, sort=False)
    order = np.argsort(uniq, kind="stable")
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    psu_codes = rank[inv.reshape(-1)]
    uniq = uniq[order]
    psu_h = uniq // len(ptexts)
    psu_names = ptext_arr[uniq % len(ptexts)]
    counts = np.bincount(psu_codes, minlength=len(uniq))
    size = (np.array([float(size_table.get(p, c)) for p, c in zip(psu_names.tolist(), counts.tolist())])
            if size_table else counts.astype(np.float64))
    psus = pd.DataFrame({"code": psu_h.astype(np.int64),
                         "stratum": np.array(labels, dtype=object)[psu_h], "psu": psu_names,
                         "households": counts.astype(np.int64), "size": size.astype(np.float64)})
    if size_table:
        present = set(psu_names.tolist())
        for p, v in size_table.items():
            if float(v) <= 0:
                raise UserError("sampling.psu_empty", psu=p, stratum="*")
            if p not in present:
                raise UserError("sampling.psu_empty", psu=p, stratum="*")
        missing = sorted(present - set(size_table))
        if missing:
            raise UserError("sampling.psu_no_size", psu=missing[0])
    pi1_all = np.zeros(len(uniq), dtype=np.float64)
    sel_all = np.zeros(len(uniq), dtype=bool)
    starts = np.searchsorted(psu_h, np.arange(len(labels) + 1))   # each stratum's PSUs are one block
    for h, lab in enumerate(labels):
        lo, hi = int(starts[h]), int(starts[h + 1])
        if int(k) > hi - lo:
            raise UserError("sampling.psus_exceed", stratum=StratumWords(lab), k=int(k), available=hi - lo)
        names = psu_names[lo:hi].tolist()
        if design.psu_order == "ticket":
            keyt = tk.tickets([f"{lab}{SEP}{p}" for p in names], design.seed)
            ordered = lo + np.asarray(tk.ticket_order(keyt, names), dtype=np.int64)
        elif design.psu_order == "label":
            ordered = np.arange(lo, hi)       # the block is in code-point order of the PSU already
        else:
            raise UserError("sampling.bad_method", method=design.psu_order, choices="label, ticket")
        pi1 = inclusion_probabilities(size[ordered], int(k))
        sel = systematic(pi1, tk.uniform(design.seed, f"pps{SEP}{lab}"))
        pi1_all[ordered] = pi1
        sel_all[ordered] = sel
    psus["pi1"] = pi1_all
    psus["selected"] = sel_all
    psus["certainty"] = psus["pi1"] >= 1 - 1e-6
    psus["m"] = np.where(psus["selected"], np.minimum(int(m), psus["households"]), 0)
    m_u = psus["m"].to_numpy()[psu_codes]
    sel_psu = psus["selected"].to_numpy()[psu_codes]
    # stage 2 ranks households only inside the selected PSUs: only they need a ticket
    inside = np.flatnonzero(sel_psu)
    inside_ids = work.ids.gather(inside)
    tix = np.zeros(len(codes), dtype=np.uint64)
    tix[inside] = tk.tickets(inside_ids, design.seed, progress=progress)
    if progress is not None and len(codes) > len(inside):
        progress(len(codes) - len(inside))   # the rest need none: the count still ends at N
    t_order = inside[tk.ticket_order(tix[inside], inside_ids, psu_codes[inside])]
    t_rank = _group_rank(t_order, psu_codes)   # −1 outside the selected PSUs
    selected = sel_psu & (t_rank < m_u)
    res_mask = sel_psu & (t_rank >= m_u) & (t_rank < m_u + int(design.reserves))
    res_rank = np.where(res_mask, t_rank - m_u + 1, 0)
    pi1_u = psus["pi1"].to_numpy()[psu_codes]
    pi2_u = m_u / psus["households"].to_numpy()[psu_codes]
    pi2_u = np.where(sel_psu, pi2_u, 0.0)
    n_real = np.bincount(codes[selected], minlength=len(labels))
    alloc = Allocation("two_stage", int(selected.sum()), tuple(
        StratumAllocation(lab, sizes[lab], 1.0, float(n_real[h]), int(n_real[h]), int(n_real[h]), int(n_real[h]))
        for h, lab in enumerate(labels)))
    psus_out = psus.drop(columns=["code"])[["stratum", "psu", "households", "size", "pi1",
                                            "certainty", "selected", "m"]]
    return _assemble(work, design, alloc, sizes, tix, selected, t_rank, res_mask, res_rank,
                     pi1=pi1_u, pi2=pi2_u, psu=_Coded(pcodes, ptext_arr), psus=psus_out.reset_index(drop=True),
                     groups=psu_codes)


__all__ = ["Design", "Sample", "draw", "prepare", "normalise_ids", "METHODS", "ALL_LABEL",
           "COMPARISON_STATUS", "SEP"]
