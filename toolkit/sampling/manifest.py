"""The sample manifest (JSON) and ``verify``: anyone can re-derive the sample.

Canonical roster snapshot (fingerprint ``fieldeval-snapshot/1``)
---------------------------------------------------------------
Independent of the file format (xlsx, csv, sav …) and of the row order:

1. Columns: for a roster, the canonical schema fields present
   (toolkit.roster.schema.FIELDS); for any other frame (a comparison frame),
   all columns. Derived helper columns (``*_derived``, ``*_excel_number``) and
   the row index are left out. Columns are taken in code-point order of name.
2. Rows are put in code-point order of the normalised id (see tickets.py).
3. Each value becomes text: missing or blank → ""; booleans → "true"/"false";
   whole numbers → decimal digits ("3", also for 3.0); other numbers →
   Python ``repr`` (shortest round-trip); dates → "YYYY-MM-DD" (with
   "THH:MM:SS" if there is a time); text → NFC, stripped.
4. column digest = SHA-256 of the UTF-8 of
   ``json.dumps([name, [v1, v2, …]], ensure_ascii=False, separators=(",", ":"))``.
5. snapshot digest = SHA-256 of the UTF-8 of
   ``json.dumps({"columns": {name: digest, …}, "rows": N}, sort_keys=True,
   separators=(",", ":"))``.

The per-column digests are kept in the manifest, so ``verify`` can say which
column changed.

Manifest (``manifest_version`` 1)
---------------------------------
``manifest`` "fieldeval-sample"; ``algorithm`` (tickets.ALGORITHM_VERSION);
``software`` {name, version}; ``created`` (UTC, informational, not verified);
``seed`` {value, source}; ``ticket_rule`` (text); ``roster`` / ``comparison``
fingerprints {sha256, rows, columns{name: sha256}, rule}; ``design``
(Design.as_dict() without seed and seed_source); ``allocation`` {method, n,
strata [{stratum, N_h, n_h}]}; ``psus`` (two-stage: [{stratum, psu,
households, size, pi1, certainty, selected, m}]) or null; ``selected``
[{archive_id, source, stratum, psu, rank, pi1, pi2, pi, weight, ticket}];
``reserves`` [{… reserve_rank instead of rank}]; ``counts`` {population,
selected, reserves}. Floats are written with ``repr`` so they round-trip exactly.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import polars as pl

import toolkit
from toolkit.errors import UserError
from toolkit.roster.schema import FIELDS
from toolkit.sampling.select import Design, Sample, _arrow_text, _id_series, _normalise_series, draw, plain_ascii
from toolkit.sampling.tickets import ALGORITHM_VERSION

MANIFEST_NAME = "fieldeval-sample"
MANIFEST_VERSION = 1
SNAPSHOT_RULE = "fieldeval-snapshot/1"
TICKET_RULE = ("ticket = first 8 bytes (big-endian) of SHA-256(UTF-8(seed) || 0x00 || UTF-8(archive_id)); "
               "ascending (ticket, archive_id) within stratum or PSU; systematic and PPS starts: "
               "u = ((first 8 bytes of SHA-256(UTF-8(seed) || 0x01 || UTF-8(purpose))) >> 11) + 1) / 2^53")
_CANONICAL = tuple(f.name for f in FIELDS)
UNIT_KEYS = ("archive_id", "source", "stratum", "psu", "pi1", "pi2", "pi", "weight", "ticket")
FLOAT_KEYS = ("pi1", "pi2", "pi", "weight", "size")


# --- snapshot --------------------------------------------------------------------------

# every character Python's str.strip() removes (str.isspace), as an RE2 class
_PY_SPACE = ("\\t\\n\\x{0b}\\x{0c}\\r\\x{1c}-\\x{1f} \\x{85}\\x{a0}\\x{1680}\\x{2000}-\\x{200a}"
             "\\x{2028}\\x{2029}\\x{202f}\\x{205f}\\x{3000}")
_EDGE_SPACE = f"^[{_PY_SPACE}]|[{_PY_SPACE}]$"


def _text_fast(s: pd.Series) -> list[str] | None:
    """Rule 3 for a column of text (str or missing only), on Arrow: the same
    strings as :func:`_value_text` value by value, without a Python call per
    value. A value whose NFC form differs from it (Arrow's Unicode tables may
    be newer than Python's) or with whitespace at an edge goes through
    ``_value_text`` itself, so the digest cannot change. None when the column
    holds anything but text (numbers, dates …): the caller goes value by value."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        arr = pa.array(s.to_numpy(dtype=object), type=pa.string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError):
        return None
    arr = pc.fill_null(arr, "")
    odd = pc.or_(pc.not_equal(pc.utf8_normalize(arr, form="NFC"), arr),
                 pc.match_substring_regex(arr, _EDGE_SPACE))
    out = arr.to_pylist()
    idx = np.flatnonzero(odd.to_numpy(zero_copy_only=False))
    if len(idx):
        vals = s.to_numpy(dtype=object)
        for i in idx:
            out[i] = _value_text(vals[i])
    return out


def _col_text(s: pd.Series) -> list[str]:
    """Canonical text of one column (module doc, rule 3)."""
    if pd.api.types.is_bool_dtype(s):
        b = s.astype("boolean")
        return np.where(b.isna().to_numpy(), "", np.where(b.fillna(False).to_numpy(dtype=bool),
                                                          "true", "false")).astype(object).tolist()
    if pd.api.types.is_signed_integer_dtype(s) or (pd.api.types.is_unsigned_integer_dtype(s)
                                                   and s.dtype.itemsize < 8):
        na = s.isna().to_numpy()
        digits = s.astype("Int64").to_numpy(dtype=np.int64, na_value=0).astype(str).astype(object)
        digits[na] = ""
        return digits.tolist()
    if pd.api.types.is_integer_dtype(s):
        return ["" if v is pd.NA or v is None else str(int(v)) for v in s.astype(object)]
    if pd.api.types.is_float_dtype(s):
        arr = s.to_numpy(dtype=float, na_value=np.nan)
        out = np.full(len(arr), "", dtype=object)
        ok = ~np.isnan(arr)
        whole = ok & (np.mod(arr, 1) == 0) & (np.abs(arr) < 1e15)
        out[whole] = arr[whole].astype(np.int64).astype(str)
        frac = ok & ~whole
        out[frac] = [repr(float(v)) for v in arr[frac]]
        return out.tolist()
    if pd.api.types.is_datetime64_any_dtype(s):
        fast = _dates_fast(s)
        if fast is not None:
            return fast.to_list()
        ts = pd.to_datetime(s)
        has_time = (ts.dt.normalize() != ts).fillna(False)
        txt = ts.dt.strftime("%Y-%m-%d").where(~has_time, ts.dt.strftime("%Y-%m-%dT%H:%M:%S"))
        return txt.fillna("").tolist()
    fast = _text_fast(s)
    if fast is not None:
        return fast
    return [_value_text(v) for v in s.astype(object)]


def _dates_fast(s: pd.Series) -> pl.Series | None:
    """Rule 3 for a timezone-free datetime column, in Rust (chrono): the
    date, or date and time when the value is not at midnight; missing → "".
    None (the caller goes through pandas) for a timezone or a year outside
    1000–9999, where chrono's zero-padded year and pandas' could differ."""
    if getattr(s.dtype, "tz", None) is not None:
        return None
    ps = pl.from_pandas(s.reset_index(drop=True))
    if not isinstance(ps.dtype, pl.Datetime):
        return None
    years = ps.dt.year()
    if len(ps) and years.null_count() < len(ps) and (years.min() < 1000 or years.max() > 9999):
        return None
    has_time = (ps != ps.dt.truncate("1d")).fill_null(False)
    if not has_time.any():                       # dates only (a roster's usual): one strftime
        return ps.dt.strftime("%Y-%m-%d").fill_null("").rename("v")
    out = pl.select(pl.when(pl.lit(has_time)).then(pl.lit(ps).dt.strftime("%Y-%m-%dT%H:%M:%S"))
                    .otherwise(pl.lit(ps).dt.strftime("%Y-%m-%d")).fill_null("")).to_series()
    return out.rename("v")


def _numbers_fast(s: pd.Series) -> pl.Series | None:
    """Rule 3 for a column of integers or floats, in Rust: the same strings
    as :func:`_col_text`. Integers: decimal digits. Floats: whole values
    below 1e15 as digits; a value below 1e12 whose text as polars writes it
    has one or two decimals, the last not 0, and reads back as the same
    float (an amount in yuan) keeps that text: it is then ``repr``'s
    shortest round-trip text, as floats there are closer than 0.01, so no
    other text of at most two decimals gives that float; any other value
    through ``repr``. None for any other column."""
    if pd.api.types.is_bool_dtype(s):
        return None
    if pd.api.types.is_signed_integer_dtype(s) or (pd.api.types.is_unsigned_integer_dtype(s)
                                                   and s.dtype.itemsize < 8):
        arr = s.astype("Int64")
        vals = pl.Series("v", arr.to_numpy(dtype=np.int64, na_value=0))
        return pl.select(pl.when(pl.lit(pl.Series(arr.isna().to_numpy()))).then(pl.lit(""))
                         .otherwise(pl.lit(vals).cast(pl.String))).to_series().rename("v")
    if not pd.api.types.is_float_dtype(s):
        return None
    arr = s.to_numpy(dtype=float, na_value=np.nan)
    ok = ~np.isnan(arr)
    with np.errstate(invalid="ignore"):          # inf mod 1
        whole = ok & (np.mod(arr, 1) == 0) & (np.abs(arr) < 1e15)
    # whole values as digits, every other value "" for now: one cast, no when/then over the column
    out = pl.Series("v", np.where(whole, arr, 0).astype(np.int64)).cast(pl.String)
    other = np.flatnonzero(~whole)
    if not len(other):
        return out
    out = out.scatter(other, "")
    frac = np.flatnonzero(ok & ~whole)           # fractional (or huge, or infinite) values only
    if not len(frac):
        return out
    x = pl.Series("x", arr[frac])
    two = x.cast(pl.String)                      # polars' text; kept only where it is the amount's text
    good = (two.str.contains(r"^-?[0-9]+\.[0-9]?[1-9]$") & (x.abs() < 1e12)
            & (two.cast(pl.Float64, strict=False) == x)).fill_null(False).to_numpy()
    out = out.scatter(frac, two)
    rest = frac[~good]
    if len(rest):
        out = out.scatter(rest, [repr(float(v)) for v in arr[rest]])
    return out


def _value_text(v: object) -> str:
    if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
        return ""
    if isinstance(v, bool | np.bool_):
        return "true" if v else "false"
    if isinstance(v, int | np.integer):
        return str(int(v))
    if isinstance(v, float | np.floating):
        f = float(v)
        return str(int(f)) if f.is_integer() and abs(f) < 1e15 else repr(f)
    if isinstance(v, dt.datetime | pd.Timestamp):
        return v.strftime("%Y-%m-%d") if (v.hour, v.minute, v.second) == (0, 0, 0) else v.strftime("%Y-%m-%dT%H:%M:%S")
    if isinstance(v, dt.date):
        return v.isoformat()
    return unicodedata.normalize("NFC", str(v)).strip()


def snapshot_columns(frame: pd.DataFrame, *, roster: bool = True) -> list[str]:
    """Columns entering the fingerprint (module doc, rule 1)."""
    cols = [c for c in frame.columns if isinstance(c, str)
            and not c.endswith(("_derived", "_excel_number")) and not c.startswith("__")]
    if roster:
        cols = [c for c in cols if c in _CANONICAL]
    return sorted(cols)


def _sorted_text(s: pd.Series, order: np.ndarray) -> pl.Series:
    """Canonical text (rule 3) of a column in id order, as a polars String
    series. Arrow-backed text is normalised in Rust (only values that could
    change go through Python)."""
    few = _few_values_text(s, order)
    if few is not None:
        return few
    arrow = _arrow_text(s)
    if arrow is not None:
        arrow = arrow.fill_null("")
        if plain_ascii(s):           # ids, ID numbers, phones: checked on the column's own buffers, no pass
            return arrow.rechunk().gather(order)
        # escaped for JSON while the values are still in file order (a sequential pass), and one
        # chunk: a gather across the reader's chunks costs ten times more
        return _normalise_series(arrow, json_inner=True).rechunk().gather(order)
    if pd.api.types.is_float_dtype(s):
        # amounts repeat: each distinct value written once, then gathered by code in id order
        codes, uniq = pd.factorize(s.to_numpy(dtype=float, na_value=np.nan))      # NaN: code -1
        fast = _numbers_fast(pd.Series(uniq, dtype=float)).extend(pl.Series("v", [""]))
        return fast.gather(np.where(codes < 0, len(uniq), codes)[order])
    fast = _numbers_fast(s)          # digits, signs, points, exponents: nothing JSON escapes
    if fast is not None:
        return fast.gather(order)
    if pd.api.types.is_datetime64_any_dtype(s) and getattr(s.dtype, "tz", None) is None:
        # a roster's dates repeat (a few thousand days): each distinct date written once, then
        # gathered by code in id order
        codes, uniq = pd.factorize(s.to_numpy())        # missing: code -1
        fast = _dates_fast(pd.Series(uniq))
        if fast is not None:
            fast = fast.extend(pl.Series("v", [""]))     # code -1 → the last entry, ""
            return fast.gather(np.where(codes < 0, len(uniq), codes)[order])
    return _json_inner(pl.Series("v", _col_text(s.iloc[order]), dtype=pl.String))


_FEW_HEAD = 20_000


def _few_values_text(s: pd.Series, order: np.ndarray) -> pl.Series | None:
    """Rule 3 (and JSON's escapes) for an Arrow-backed text column of few
    distinct values (a county, a status, a cause: at most one in ten of its
    first 20,000 values distinct) in id order: Arrow dictionary-encodes the
    reader's chunks in place, the distinct values are normalised and
    escaped, and the text is gathered from them by code, so neither the
    regex pass nor the gather reads the whole column's text. Same strings
    as the general path of :func:`_sorted_text`. None for any other column."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if len(s) <= _FEW_HEAD or not pd.api.types.is_string_dtype(s) or s.dtype == object:
        return None
    try:
        arr = s.array.__arrow_array__()
    except (AttributeError, TypeError, NotImplementedError):
        return None
    if isinstance(arr, pa.Array):
        arr = pa.chunked_array([arr])
    if not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)) or arr.num_chunks == 0:
        return None
    if pc.count_distinct(arr.slice(0, _FEW_HEAD), mode="all").as_py() > _FEW_HEAD // 10:
        return None
    enc = pc.dictionary_encode(arr).unify_dictionaries()
    words = pl.Series("v", enc.chunk(0).dictionary.cast(pa.large_string()), dtype=pl.String)
    texts = _normalise_series(words, json_inner=True).extend(pl.Series("id", [""]))   # missing: ""
    codes = pc.fill_null(pa.chunked_array([c.indices for c in enc.chunks]).cast(pa.int64()), len(words))
    return texts.gather(codes.to_numpy()[order]).rename("v")


def _json_inner(vals: pl.Series) -> pl.Series:
    """Each value as it stands between the quotes of its JSON string
    (``json.dumps(v, ensure_ascii=False)[1:-1]``): only values holding a
    character JSON escapes change."""
    vals = vals.fill_null("")
    odd = vals.str.contains(_JSON_ESCAPED).arg_true()
    if len(odd):
        vals = vals.clone().scatter(odd, [json.dumps(v, ensure_ascii=False)[1:-1]
                                          for v in vals.gather(odd).to_list()])
    return vals


# the characters json.dumps(..., ensure_ascii=False) escapes: '"', '\\' and U+0000–U+001F
_JSON_ESCAPED = r'[\x00-\x1f"\\]'
_BATCH = 1 << 20


def _column_digest(name: str, vals: pl.Series, *, json_inner: bool = False) -> str:
    """Rule 4 without building the JSON text of the whole column: SHA-256 of
    ``json.dumps([name, vals], ensure_ascii=False, separators=(",", ":"))``
    fed in batches of a million values. polars joins each batch's values
    with ``","`` into one contiguous string straight from its string views
    (one copy, read in place by SHA-256): ``"`` + batch 1 + ``","`` + batch 2
    … + ``"``. A value holding a character JSON escapes is replaced first
    by ``json.dumps(v)`` without its quotes (:func:`_json_inner`; already
    done when ``json_inner``), so the bytes (and the digest) are those of
    the rule."""
    h = hashlib.sha256()
    h.update(("[" + json.dumps(name, ensure_ascii=False) + ",[").encode("utf-8"))
    vals = (vals.fill_null("") if json_inner else _json_inner(vals)).rename("v")
    n = len(vals)
    for start in range(0, n, _BATCH):
        h.update(b'"' if start == 0 else b'","')
        joined = vals.slice(start, _BATCH).str.join('","').to_arrow()
        offsets = np.frombuffer(joined.buffers()[1], dtype=np.int64)
        lo, hi = int(offsets[joined.offset]), int(offsets[joined.offset + 1])
        if hi > lo:
            h.update(memoryview(joined.buffers()[2])[lo:hi])
    h.update(b'"]]' if n else b"]]")
    return h.hexdigest()


def fingerprint(frame: pd.DataFrame, *, id_column: str = "archive_id", roster: bool = True) -> dict:
    """{sha256, rows, columns{name: sha256}, rule} of the canonical snapshot.

    Rows go in code-point order of the id: a stable polars sort of the UTF-8
    strings (byte order of UTF-8 is code-point order), not a Python sort."""
    ids = _id_series(frame[id_column])
    order = (pl.DataFrame({"id": ids}).with_row_index("i").sort("id", maintain_order=True)
             .get_column("i").to_numpy().astype(np.intp))

    def digest(c: str) -> str:
        vals = _sorted_text(frame[c], order) if c != id_column else _json_inner(ids).rechunk().gather(order)
        return _column_digest(c, vals, json_inner=True)

    cols = snapshot_columns(frame, roster=roster)
    # two columns at a time: polars, Arrow and hashlib release the GIL (about two columns' text in memory)
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=2) as pool:
        digests = dict(zip(cols, pool.map(digest, cols)))
    top = json.dumps({"columns": digests, "rows": len(ids)}, sort_keys=True, separators=(",", ":"))
    return {"sha256": hashlib.sha256(top.encode("utf-8")).hexdigest(), "rows": len(ids),
            "columns": digests, "rule": SNAPSHOT_RULE}


# --- building --------------------------------------------------------------------------

def _plain(v: object) -> object:
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.floating):
        return float(v)
    if isinstance(v, np.bool_):
        return bool(v)
    return v


def _records(df: pd.DataFrame, keys: tuple[str, ...]) -> list[dict]:
    """Rows as dicts of Python values, built column by column (``tolist``
    gives Python ints, floats and bools; object columns are checked value by
    value for numpy scalars)."""
    cols = []
    for k in keys:
        s = df[k]
        vals = s.tolist()
        if s.dtype == object:
            vals = [_plain(v) for v in vals]
        cols.append(vals)
    return [dict(zip(keys, row)) for row in zip(*cols)]


def build(sample: Sample, frame: pd.DataFrame, *, comparison: pd.DataFrame | None = None,
          created: str | None = None, roster_fingerprint: Mapping | None = None,
          comparison_fingerprint: Mapping | None = None) -> dict:
    """The manifest (a JSON-ready dict) of ``sample`` drawn from ``frame``.
    ``roster_fingerprint`` / ``comparison_fingerprint``: :func:`fingerprint`
    of ``frame`` / ``comparison`` when already known (kept with the roster's
    snapshot, toolkit.project.draw.fingerprint_of); computed here otherwise."""
    d = sample.design
    design = d.as_dict()
    design.pop("seed")
    design.pop("seed_source")
    return {
        "manifest": MANIFEST_NAME,
        "manifest_version": MANIFEST_VERSION,
        "algorithm": ALGORITHM_VERSION,
        "software": {"name": "fieldeval", "version": toolkit.__version__},
        "created": created or dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "seed": {"value": d.seed, "source": d.seed_source},
        "ticket_rule": TICKET_RULE,
        "roster": dict(roster_fingerprint) if roster_fingerprint is not None
        else fingerprint(frame, id_column=d.id_column, roster=True),
        "comparison": None if comparison is None else dict(comparison_fingerprint) if comparison_fingerprint is not None
        else fingerprint(comparison, id_column=d.id_column, roster=False),
        "design": design,
        "allocation": sample.allocation.as_dict(),
        "psus": None if sample.psus is None else _records(sample.psus, tuple(sample.psus.columns)),
        "selected": _records(sample.units, UNIT_KEYS[:4] + ("rank",) + UNIT_KEYS[4:]),
        "reserves": _records(sample.reserves, UNIT_KEYS[:4] + ("reserve_rank",) + UNIT_KEYS[4:]),
        "counts": {"population": sample.population, "selected": len(sample.units),
                   "reserves": len(sample.reserves)},
    }


def dumps(manifest: Mapping) -> str:
    """The manifest as indented UTF-8 JSON text (floats round-trip exactly)."""
    from toolkit.sampling.manifest_text import dumps_indent1   # json.dumps(indent=1)'s bytes, column-wise

    return dumps_indent1(manifest) + "\n"


def load(path: str | Path) -> dict:
    """Read a manifest file; UserError if it is not one."""
    p = Path(path)
    if not p.exists():
        raise UserError("common.file_not_found", path=str(p))
    try:
        m = json.loads(p.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise UserError("sampling.manifest_bad", path=str(p), detail=str(e)) from None
    if not isinstance(m, dict) or m.get("manifest") != MANIFEST_NAME:
        raise UserError("sampling.manifest_bad", path=str(p), detail="not a fieldeval sample manifest")
    return m


def design_of(manifest: Mapping) -> Design:
    """The Design recorded in a manifest (with its seed)."""
    d = dict(manifest.get("design") or {})
    seed = manifest.get("seed") or {}
    d["seed"] = seed.get("value", "")
    d["seed_source"] = seed.get("source", "")
    return Design.from_dict(d)


# --- verifying -------------------------------------------------------------------------

@dataclass(frozen=True)
class Difference:
    """One way the manifest and the re-derivation disagree.

    what: "algorithm" | "roster_rows" | "roster_column" | "roster_sha256" |
    "comparison" | "design" | "draw" | "allocation" | "psu" | "selected_missing" |
    "selected_extra" | "selected_value" | "reserve_missing" | "reserve_extra" |
    "reserve_value" | "counts".
    """

    what: str
    key: str
    expected: object
    found: object

    def message(self, lang: str | None = None) -> str:
        from toolkit.i18n import t

        return t("sampling.diff_line", lang, what=t(f"sampling.what_{self.what}", lang),
                 key=self.key, expected=_show(self.expected), found=_show(self.found))


def _show(v: object) -> str:
    if v is None:
        return "—"
    return repr(v) if isinstance(v, float) else str(v)


@dataclass(frozen=True)
class Verification:
    """Result of ``verify``: ok when there is no difference."""

    differences: tuple[Difference, ...]
    sample: Sample | None

    @property
    def ok(self) -> bool:
        return not self.differences


def _same(a: object, b: object) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        try:
            return math.isclose(float(a), float(b), rel_tol=1e-12, abs_tol=1e-15)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return False
    return a == b


def _compare_units(kind: str, rank_key: str, expected: list[dict], found: list[dict],
                   out: list[Difference]) -> None:
    exp = {str(r.get("archive_id")): r for r in expected}
    got = {str(r["archive_id"]): r for r in found}
    for k in sorted(set(exp) - set(got)):
        out.append(Difference(f"{kind}_missing", k, exp[k].get("stratum"), None))
    for k in sorted(set(got) - set(exp)):
        out.append(Difference(f"{kind}_extra", k, None, got[k].get("stratum")))
    for k in sorted(set(exp) & set(got)):
        for f in ("source", "stratum", "psu", rank_key, "pi1", "pi2", "pi", "weight", "ticket"):
            if not _same(exp[k].get(f), got[k].get(f)):
                out.append(Difference(f"{kind}_value", f"{k}.{f}", exp[k].get(f), got[k].get(f)))


def verify(manifest: Mapping, frame: pd.DataFrame, *, comparison: pd.DataFrame | None = None,
           progress: Callable[[int], None] | None = None) -> Verification:
    """Re-derive everything in ``manifest`` from ``frame`` and list each difference.

    Checks the algorithm version, the roster (and comparison) fingerprint
    column by column, then draws again with the recorded design and seed and
    compares the allocation, PSUs, every selected and reserve unit (id,
    stratum, PSU, rank, π per stage, π, weight, ticket) and the counts.
    """
    diffs: list[Difference] = []
    if manifest.get("algorithm") != ALGORITHM_VERSION:
        diffs.append(Difference("algorithm", "algorithm", manifest.get("algorithm"), ALGORITHM_VERSION))
    design = design_of(manifest)
    fp = fingerprint(frame, id_column=design.id_column, roster=True)
    rec = manifest.get("roster") or {}
    if rec.get("rows") != fp["rows"]:
        diffs.append(Difference("roster_rows", "rows", rec.get("rows"), fp["rows"]))
    rc = rec.get("columns") or {}
    for c in sorted(set(rc) | set(fp["columns"])):
        if rc.get(c) != fp["columns"].get(c):
            diffs.append(Difference("roster_column", c, rc.get(c), fp["columns"].get(c)))
    if rec.get("sha256") != fp["sha256"] and not any(x.what.startswith("roster") for x in diffs):
        diffs.append(Difference("roster_sha256", "sha256", rec.get("sha256"), fp["sha256"]))
    crec = manifest.get("comparison")
    if (crec is None) != (comparison is None):
        diffs.append(Difference("comparison", "comparison", None if crec is None else crec.get("sha256"),
                                None if comparison is None else "given"))
    elif comparison is not None:
        cfp = fingerprint(comparison, id_column=design.id_column, roster=False)
        if crec.get("sha256") != cfp["sha256"]:
            diffs.append(Difference("comparison", "sha256", crec.get("sha256"), cfp["sha256"]))
    try:
        sample = draw(frame, design, comparison=comparison, progress=progress)
    except UserError as e:
        diffs.append(Difference("draw", e.key, None, e.message("en")))
        return Verification(tuple(diffs), None)
    new = build(sample, frame, comparison=comparison, created=manifest.get("created"))
    a_exp = manifest.get("allocation") or {}
    a_got = new["allocation"]
    if a_exp.get("method") != a_got["method"] or a_exp.get("n") != a_got["n"]:
        diffs.append(Difference("allocation", "method/n", f"{a_exp.get('method')}/{a_exp.get('n')}",
                                f"{a_got['method']}/{a_got['n']}"))
    s_exp = {s.get("stratum"): s for s in a_exp.get("strata") or []}
    s_got = {s["stratum"]: s for s in a_got["strata"]}
    for k in sorted(set(s_exp) | set(s_got), key=str):
        e, g = s_exp.get(k) or {}, s_got.get(k) or {}
        for f in ("N_h", "n_h"):
            if e.get(f) != g.get(f):
                diffs.append(Difference("allocation", f"{k}.{f}", e.get(f), g.get(f)))
    p_exp = {(p.get("stratum"), p.get("psu")): p for p in manifest.get("psus") or []}
    p_got = {(p["stratum"], p["psu"]): p for p in new["psus"] or []}
    for k in sorted(set(p_exp) | set(p_got), key=str):
        e, g = p_exp.get(k) or {}, p_got.get(k) or {}
        for f in ("households", "size", "pi1", "certainty", "selected", "m"):
            if not _same(e.get(f), g.get(f)):
                diffs.append(Difference("psu", f"{k[0]}/{k[1]}.{f}", e.get(f), g.get(f)))
    _compare_units("selected", "rank", manifest.get("selected") or [], new["selected"], diffs)
    _compare_units("reserve", "reserve_rank", manifest.get("reserves") or [], new["reserves"], diffs)
    c_exp = manifest.get("counts") or {}
    for f, v in new["counts"].items():
        if c_exp.get(f) != v:
            diffs.append(Difference("counts", f, c_exp.get(f), v))
    return Verification(tuple(diffs), sample)


__all__ = ["build", "dumps", "load", "verify", "fingerprint", "design_of", "Difference",
           "Verification", "MANIFEST_VERSION", "SNAPSHOT_RULE", "TICKET_RULE"]
