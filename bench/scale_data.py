"""National-size synthetic roster for bench/bench_scale.py (not used by the toolkit).

``national_counties(n)``: ``n`` made-up counties spread over the 31 provincial
units (6-digit area codes: 2-digit province + 2-digit prefecture + 2-digit
county; 低保 and minimum wage vary by province). The households come from
``toolkit.synthetic.make_city`` (vectorised; its planted roster damage:
bad id checksums, blanks, duplicates, money written as text), so a national
roster is the same generator at a larger size.

``write_roster_files(city, folder, xlsx_rows)`` writes one project folder:
roster.csv (UTF-8 with BOM), roster_gbk.csv (GBK), roster.parquet,
roster.xlsx (the first ``xlsx_rows`` households: Excel's limit is 1,048,575
data rows), comparison.csv, truth.parquet and evaluation.toml with
``paths.roster = roster.csv``. Files are cached: a folder whose ``done``
marker exists is reused.
"""
from __future__ import annotations

import hashlib
import time
from pathlib import Path

import numpy as np
import pandas as pd

from toolkit import config
from toolkit.config import County, Evaluation, Paths
from toolkit.roster.idcard import check_chars
from toolkit.roster.schema import FIELDS
from toolkit.synthetic import City, _frame_columns, _write_parquet, make_city, write_xlsx

PROVINCES = ("11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
             "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65")
_SYL = "安宁平和兴盛长丰东西南北新城永定清河泉山阳湖江临川德昌顺庆华林"


def national_counties(n: int = 300, seed: int = 31) -> tuple[County, ...]:
    """``n`` counties over the 31 provinces (about n/31 each), distinct names and codes."""
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n):
        p = PROVINCES[i % len(PROVINCES)]
        k = i // len(PROVINCES)
        code = f"{p}{1 + k // 20:02d}{1 + k % 20:02d}"
        name = _SYL[rng.integers(len(_SYL))] + _SYL[rng.integers(len(_SYL))] + f"{i:03d}" + "县"
        dibao = float(600 + 20 * (PROVINCES.index(p) % 12) + rng.integers(0, 5) * 10)
        out.append(County(name, code, dibao, float(round(dibao * 2.6, -1))))
    return tuple(out)


def _csv_frame(frame: pd.DataFrame, extra: dict | None = None) -> pd.DataFrame:
    """The frame under the roster's Chinese headers (what an export holds)."""
    cols = _frame_columns(frame, FIELDS, extra or {})
    return pd.DataFrame({header: values for header, _, values in cols})


def _new_ids(ids: pd.Series, rng: np.random.Generator) -> pd.Series:
    """Fresh 3-digit sequence numbers with a recomputed check character; an id
    whose check character was wrong (planted damage) stays wrong."""
    s = ids.astype("string")
    ok18 = s.str.fullmatch(r"\d{17}[\dX]").fillna(False).to_numpy(dtype=bool)
    out = s.to_numpy(dtype=object).copy()
    if ok18.any():
        good = s[ok18]
        seq = pd.Series(rng.integers(0, 1000, len(good)), index=good.index).map("{:03d}".format)
        first17 = good.str.slice(0, 14) + seq
        right = check_chars(good.str.slice(0, 17)) == good.str.slice(17, 18)
        chk = check_chars(first17)
        bad = pd.Series(np.where(chk == "0", "1", "0"), index=good.index)
        out[ok18] = (first17 + chk.where(right, bad)).to_numpy(dtype=object)
    return pd.Series(out, index=ids.index, dtype="string")


def tile_city(base: City, households: int, seed: int = 7) -> City:
    """``base`` repeated to ``households`` rows (tile k > 0: archive and
    comparison ids get "-k", ID numbers fresh sequence digits): national size
    from a city of a few hundred thousand, in seconds. Help records stay the
    base tile's (a tiled household has none on file)."""
    import dataclasses

    rng = np.random.default_rng(seed)
    nb = len(base.roster)
    reps = -(-households // nb)

    def tiled(frame: pd.DataFrame, id_col: str, total: int, id_numbers: bool) -> pd.DataFrame:
        parts = []
        for k in range(reps):
            f = frame.copy()
            if k:
                f[id_col] = f[id_col].astype("string") + f"-{k:02d}"
                if id_numbers:
                    f["id_number"] = _new_ids(f["id_number"], rng)
            parts.append(f)
        return pd.concat(parts, ignore_index=True).iloc[:total].reset_index(drop=True)

    ncmp = int(round(len(base.comparison) * households / nb))
    return dataclasses.replace(
        base,
        roster=tiled(base.roster, "archive_id", households, True),
        truth=tiled(base.truth, "archive_id", households, False),
        comparison=tiled(base.comparison, "comparison_id", ncmp, True),
        truth_comparison=tiled(base.truth_comparison, "comparison_id", ncmp, False))


def spread_comparison(city: City) -> City:
    """The comparison frame spread over every township of its county.

    ``make_city`` places non-registered households where its people happen to
    live, so a small county's comparison frame may touch only 2 of its 6–12
    townships, and a two-stage draw asking 4 townships per county refuses
    (层 … 只有 2 个一级抽样单元). A real comparison frame (the civil-affairs list
    of low-income households that are not on the union's register) covers the
    whole county, so each county's comparison households are dealt round-robin
    over the townships its roster has (sorted), in their existing order; the
    address's township part follows. Truth rows are keyed by comparison id and
    do not name the township, so they stay as they are.
    """
    import dataclasses

    cmp = city.comparison
    if cmp.empty:
        return city
    towns = (city.roster[["county", "township"]].astype(str).drop_duplicates()
             .sort_values(["county", "township"], kind="mergesort"))
    by_county = towns.groupby("county", sort=False)["township"].agg(tuple)
    county = cmp["county"].astype(str)
    rank = county.groupby(county, sort=False).cumcount().to_numpy()
    ntown = county.map(by_county.map(len)).fillna(0).astype(int).to_numpy()
    has = ntown > 0
    old = cmp["township"].astype(str).to_numpy(dtype=object)
    new = old.copy()
    pool = county.map(by_county).to_numpy(dtype=object)
    idx = np.where(has, rank % np.maximum(ntown, 1), 0)
    new[has] = [p[i] for p, i in zip(pool[has], idx[has])]
    addr = cmp["address"].astype(str).to_numpy(dtype=object)
    head = "合肥市" + county.to_numpy(dtype=object)
    out_addr = [h + n + a[len(h) + len(o):] if a.startswith(h + o) else a
                for a, h, o, n in zip(addr, head, old, new)]
    cmp = cmp.copy()
    cmp["township"] = pd.Series(new, index=cmp.index, dtype=cmp["township"].dtype)
    cmp["address"] = pd.Series(out_addr, index=cmp.index, dtype=cmp["address"].dtype)
    return dataclasses.replace(city, comparison=cmp)


def build(folder: Path, households: int, *, seed: int = 2026, counties: int = 300,
          base: int = 110_000, xlsx_rows: int = 1_048_575, roster_from: Path | None = None,
          log=print) -> Path:
    """Write (or reuse) the national project for ``households`` into ``folder``.

    ``roster_from``: a folder already holding this size's roster.csv and
    roster_gbk.csv (written earlier by this generator, e.g. a read-only shared
    cache): they are linked, not rewritten (minutes at 5.5M); the rest (truth,
    comparison frame, evaluation.toml) is built here as usual.
    """
    folder.mkdir(parents=True, exist_ok=True)
    if (folder / "done").exists():
        return folder
    t = time.perf_counter()
    city = make_city(min(base, households), seed, national_counties(counties))
    log(f"  base city of {len(city.roster):,} households in {time.perf_counter() - t:.1f} s")
    t = time.perf_counter()
    city = spread_comparison(tile_city(city, households))
    log(f"  tiled to {households:,} households in {time.perf_counter() - t:.1f} s")
    _write(city, folder, xlsx_rows, log, roster_from)
    (folder / "done").write_text("ok\n")
    return folder


def load_city(folder: Path, seed: int = 2026, counties: int = 300, base: int = 110_000) -> City:
    """The City written by ``build`` (the truth the simulated visits play out)."""
    import dataclasses

    city = make_city(min(base, 10), seed, national_counties(counties))   # evaluation, as_of, seed
    return dataclasses.replace(
        city,
        roster=pd.read_parquet(folder / "roster_canonical.parquet"),
        truth=pd.read_parquet(folder / "truth.parquet"),
        comparison=pd.read_parquet(folder / "comparison_canonical.parquet"),
        truth_comparison=pd.read_parquet(folder / "truth_comparison.parquet"),
        truth_help=pd.read_parquet(folder / "truth_help.parquet"),
        help_records=pd.read_parquet(folder / "truth_help.parquet").iloc[:0])


def _write_csv_utf8(frame: pd.DataFrame, path: Path) -> None:
    """UTF-8 CSV with a BOM, written by Arrow (multi-threaded, no per-row Python)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    table = pa.Table.from_pandas(frame.astype("string"), preserve_index=False)
    with open(path, "wb") as fh:
        fh.write("\ufeff".encode())
        pacsv.write_csv(table, fh)


def _transcode(src: Path, dst: Path, encoding: str) -> None:
    """Re-encode a UTF-8 file in 64 MB pieces (GBK cannot say everything: replaced)."""
    with open(src, encoding="utf-8-sig", newline="") as fi, \
            open(dst, "w", encoding=encoding, errors="replace", newline="") as fo:
        while True:
            piece = fi.read(1 << 26)
            if not piece:
                break
            fo.write(piece)


def _write(city: City, d: Path, xlsx_rows: int, log, roster_from: Path | None = None) -> None:
    if roster_from is not None and (roster_from / "roster.csv").exists():
        for name in ("roster.csv", "roster_gbk.csv"):
            (d / name).unlink(missing_ok=True)
            (d / name).symlink_to((roster_from / name).resolve())
        log(f"  roster.csv and roster_gbk.csv linked from {roster_from}")
    else:
        t = time.perf_counter()
        frame = _csv_frame(city.roster)
        _write_csv_utf8(frame, d / "roster.csv")
        log(f"  roster.csv in {time.perf_counter() - t:.1f} s")
        t = time.perf_counter()
        _transcode(d / "roster.csv", d / "roster_gbk.csv", "gbk")
        log(f"  roster_gbk.csv in {time.perf_counter() - t:.1f} s")
        frame.astype("string").to_parquet(d / "roster.parquet", index=False)
        del frame
    _write_csv_utf8(_csv_frame(city.comparison, {"comparison_id": ("对照户编号", "id")}), d / "comparison.csv")
    _write_parquet(city.truth, d / "truth.parquet")
    city.roster.to_parquet(d / "roster_canonical.parquet", index=False)
    city.comparison.to_parquet(d / "comparison_canonical.parquet", index=False)
    city.truth_comparison.to_parquet(d / "truth_comparison.parquet", index=False)
    city.truth_help.to_parquet(d / "truth_help.parquet", index=False)
    t = time.perf_counter()
    k = min(xlsx_rows, len(city.roster))
    if k:   # 0: no workbook (bench_xlsx.py writes the full one with a streaming writer)
        write_xlsx(d / "roster.xlsx", "困难职工档案", _frame_columns(city.roster.iloc[:k], FIELDS),
                   when=city.as_of, title="困难职工档案")
        log(f"  roster.xlsx ({k:,} rows) in {time.perf_counter() - t:.1f} s")
    key = hashlib.sha256(f"fieldeval synthetic pseudonym key {city.seed}".encode()).digest()
    ev = city.evaluation
    toml = config.init(d, name=ev.name, language=ev.language, counties=ev.counties, overwrite=True, key=key)
    ev2 = Evaluation(ev.name, ev.language, ev.counties, ev.thresholds,
                     Paths(roster="roster.csv"), ev.root, ev.extra)
    toml.write_text(config.to_toml(ev2), encoding="utf-8")
