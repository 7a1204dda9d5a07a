"""Evaluation rounds of one project: a baseline, then follow-ups after the fix period.

A project's current round is ``[project] round`` of evaluation.toml
(``Project.current_round``). ``fieldeval round start`` (:func:`start`)
closes it and opens the next:

1. **Close.** The stored verification must be current (verify first). What
   the comparison needs is kept under ``output/rounds/<name>/``:
   ``households.parquet`` (the unit-level estimation frame: archive_id,
   county, the design columns _stratum, _psu, _w, _fpc and every indicator's
   values; identifiable, so encrypted when the project has a key, through
   toolkit.vault), ``scorecard.parquet`` and ``round.json``. The round's
   stage folders (sample, field, entry, ingest, verify, backcheck, the demo's
   visits) move to ``output/rounds/<name>/stages/`` — nothing is deleted;
   sealed files are re-sealed for their new path.
2. **Open.** ``[project] round`` becomes the new name, and its sample is drawn:

   * ``--fresh``: a new independent sample with the project's sampler and the
     previous draw's design (toolkit.sampling), seed S;
   * ``--panel SHARE``: a verifiable subsample of the previous round's
     interviewed households (algorithm ``fieldeval-panel/1``). Within each
     PSU (township, or stratum for a one-stage draw) the households are
     ranked by their SHA-256 ticket under the seed text ``panel/1|S``
     (toolkit.sampling.tickets, as the main draw); the first
     ``max(1, ⌈SHARE·n_psu⌉)`` are re-visited, the rest are that PSU's
     reserves in ticket order. The manifest's units are the panel's (the
     response rates read them) and ``panel`` records the algorithm, seed
     text, share, previous round and the pool of ids; ``fieldeval sample
     verify`` re-derives main draws only (the baseline's manifest, kept under
     ``rounds/<name>/stages/sample/``), ``round verify`` the panel. The PSUs and their first-stage probabilities
     are the previous round's, so the follow-up's weights are
     ``M_i / (π1_i · r_i)`` over the r_i households re-interviewed in the PSU
     (toolkit.verify.indicators.design_weights); the panel is taken from the
     interviewed households, so it inherits the baseline's
     missing-at-random-within-PSU assumption. ``round verify``
     (:func:`verify_panel`) re-derives the picks and names any that differ.

At every verification of a round with a previous one, :func:`change_table`
compares the two frames with toolkit.survey.change (independent samples for
a fresh draw, the paired design for a panel) and the results stage keeps it
as ``change.parquet``; the report and the leadership dashboard read it
(:func:`read_change`).
"""
from __future__ import annotations

import json
import shutil
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd

from toolkit.errors import UserError
from toolkit.survey.change import Measure, change

PANEL_ALGORITHM = "fieldeval-panel/1"
PANEL_PREFIX = "panel/1|"
ROUND_STAGES = ("sample", "field", "entry", "ingest", "verify", "backcheck", "visits")
DESIGN_COLUMNS = ["_stratum", "_psu", "_w", "_fpc"]


@dataclass(frozen=True)
class RoundInfo:
    """One round: ``kind`` baseline / panel / fresh, the round it follows,
    the seed of its draw and (panel) the share re-visited."""

    name: str
    kind: str = "baseline"
    previous: str = ""
    seed: str = ""
    share: float | None = None
    created: str = ""


def measures() -> tuple[Measure, ...]:
    """The sample indicators (toolkit.verify.indicators.INDICATORS) as
    measures of change; the census indicator (数据完整率) has no sampling
    variance and is compared in the scorecard only."""
    from toolkit.verify.indicators import INDICATORS

    out = []
    for ind in INDICATORS:
        if ind.kind == "proportion":
            out.append(Measure(ind.name, ind.var, None, ind.direction == "max"))
        elif ind.kind == "ratio":
            out.append(Measure(ind.name, ind.num, ind.den, ind.direction == "max"))
    return tuple(out)


def frame_columns(frame: pd.DataFrame) -> list[str]:
    """The columns of a households frame the comparison needs."""
    want = ["archive_id", "county", *DESIGN_COLUMNS]
    for m in measures():
        want += [m.num] + ([m.den] if m.den else [])
    seen: list[str] = []
    for c in want:
        if c in frame and c not in seen:
            seen.append(c)
    return seen


def _safe(name: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in str(name)).strip(".") or "current"


def round_dir(project, name: str) -> Path:  # noqa: ANN001 - toolkit.project.Project
    """``output/rounds/<name>/``."""
    return project.paths.rounds / _safe(name)


def info(project, name: str | None = None) -> RoundInfo:  # noqa: ANN001
    """The round's record (``round.json``); a round without one is a baseline."""
    name = name or project.current_round()
    p = round_dir(project, name) / "round.json"
    try:
        d = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return RoundInfo(name)
    keep = {k: d[k] for k in RoundInfo.__dataclass_fields__ if k in d}
    return RoundInfo(**{**keep, "name": name})


def _write_info(project, r: RoundInfo) -> Path:  # noqa: ANN001
    from toolkit.vault import write_private

    d = round_dir(project, r.name)
    d.mkdir(parents=True, exist_ok=True, mode=0o700)
    return write_private(d / "round.json", (json.dumps(asdict(r), ensure_ascii=False, indent=1) + "\n").encode())


def keep_frame(project, households: pd.DataFrame, name: str | None = None) -> Path:  # noqa: ANN001
    """Keep a round's estimation frame (``households.parquet``, see the
    module doc), atomically, 0600, encrypted when the project has a key."""
    import io

    from toolkit.vault import write_bytes

    d = round_dir(project, name or project.current_round())
    d.mkdir(parents=True, exist_ok=True, mode=0o700)
    buf = io.BytesIO()
    f = households[frame_columns(households)].copy()
    for c in ("archive_id", "county", "_stratum", "_psu"):
        if c in f:
            f[c] = f[c].astype(str)
    f.to_parquet(buf, index=False)
    return write_bytes(d / "households.parquet", buf.getvalue())


def read_frame(project, name: str) -> pd.DataFrame | None:  # noqa: ANN001
    """A closed round's estimation frame, or None when it has none."""
    from toolkit.vault import source

    p = round_dir(project, name) / "households.parquet"
    return pd.read_parquet(source(p)) if p.exists() else None


def change_table(project, households: pd.DataFrame) -> pd.DataFrame | None:  # noqa: ANN001
    """The change of every indicator per county and 全市 since the previous
    round (toolkit.survey.change; paired when this round is a panel), with
    ``before_round`` and ``after_round``; None in a first round."""
    r = info(project)
    if not r.previous:
        return None
    before = read_frame(project, r.previous)
    if before is None:
        return None
    out = change(before, households, paired=r.kind == "panel", measures=measures())
    out.insert(0, "after_round", r.name)
    out.insert(0, "before_round", r.previous)
    return out


def read_change(evaluation) -> pd.DataFrame | None:  # noqa: ANN001 - toolkit.config.Evaluation
    """The change table the last verification stored (``verify/change.parquet``), or None."""
    from toolkit.project.paths import ProjectPaths
    from toolkit.vault import source

    p = ProjectPaths.of(evaluation).verify / "change.parquet"
    return pd.read_parquet(source(p)) if p.exists() else None


# --- opening a round ------------------------------------------------------------------

def set_round_name(root: Path, name: str) -> None:
    """Write ``[project] round = "name"`` into evaluation.toml (the rest of
    the file unchanged; checked by reading it back)."""
    import re
    import tomllib

    from toolkit.config import CONFIG_NAME
    from toolkit.vault import write_private

    p = Path(root) / CONFIG_NAME
    text = p.read_text(encoding="utf-8")
    line = f"round = {json.dumps(name, ensure_ascii=False)}"
    head = re.search(r"(?m)^\[project\]\s*$", text)
    if head:
        nxt = re.search(r"(?m)^\[", text[head.end():])
        end = head.end() + (nxt.start() if nxt else len(text[head.end():]))
        body = text[head.end():end]
        if re.search(r"(?m)^round\s*=.*$", body):
            body = re.sub(r"(?m)^round\s*=.*$", lambda _m: line, body, count=1)
        else:
            body = "\n" + line + body
        text = text[:head.end()] + body + text[end:]
    else:
        text = text.rstrip("\n") + f"\n\n[project]\n{line}\n"
    if tomllib.loads(text).get("project", {}).get("round") != name:
        raise UserError("rounds.config_edit", path=str(p))
    write_private(p, text.encode("utf-8"))


def _move_tree(src: Path, dst: Path, root: Path) -> None:
    """Move a stage folder; a sealed file is re-sealed for its new path."""
    from toolkit.vault import is_sealed, read_bytes, write_bytes

    sealed = [f for f in src.rglob("*") if f.is_file() and is_sealed(f)]
    if not sealed:
        dst.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        shutil.move(str(src), str(dst))
        return
    for f in src.rglob("*"):
        if not f.is_file():
            continue
        out = dst / f.relative_to(src)
        out.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if is_sealed(f):
            write_bytes(out, read_bytes(f))
        else:
            shutil.copy2(f, out)
    shutil.rmtree(src)


def panel_picks(pool: pd.DataFrame, share: float, seed: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(re-visited, reserves) from ``pool`` (the previous sample's rows of
    its interviewed households: archive_id, stratum, psu, …), per the module
    doc: ranked by ticket under ``panel/1|seed`` within each PSU."""
    from toolkit.sampling.tickets import tickets

    ids = pool["archive_id"].astype(str).tolist()
    tix = tickets(ids, PANEL_PREFIX + str(seed))
    f = pool.assign(_t=tix, ticket=[f"{int(x):016x}" for x in tix])
    grp = f["stratum"].astype(str) + "\x1f" + f["psu"].fillna("").astype(str)
    f = f.assign(_g=grp).sort_values(["_g", "_t", "archive_id"], kind="stable")
    f["_rank"] = f.groupby("_g").cumcount() + 1
    n = f.groupby("_g")["archive_id"].transform("size")
    k = np.maximum(1, np.ceil(share * n.to_numpy(dtype=float) - 1e-9)).astype(int)
    take = f["_rank"].to_numpy() <= k
    scale = k / n.to_numpy(dtype=float)
    for c in ("pi2", "pi"):
        if c in f:
            f[c] = pd.to_numeric(f[c], errors="coerce") * scale
    if "weight" in f:
        f["weight"] = pd.to_numeric(f["weight"], errors="coerce") / scale
    picks = f[take].assign(rank=f.loc[take, "_rank"]).drop(columns=["_t", "_g", "_rank"])
    rest = f[~take].copy()
    rest["reserve_rank"] = rest["_rank"] - k[~take]
    return picks.reset_index(drop=True), rest.drop(columns=["_t", "_g", "_rank"]).reset_index(drop=True)


def _panel_pool(previous_units: pd.DataFrame, interviewed: pd.Series) -> pd.DataFrame:
    ids = set(interviewed.astype(str))
    return previous_units[previous_units["archive_id"].astype(str).isin(ids)].drop_duplicates("archive_id")


def _write_panel(folder: Path, manifest: dict, picks: pd.DataFrame, reserves: pd.DataFrame,
                 psus: pd.DataFrame | None, lang: str) -> None:
    from toolkit.project.draw import RESERVE_COLUMNS, SAMPLE_COLUMNS, _seal
    from toolkit.sampling import manifest as mf
    from toolkit.sampling.sample_files import write_sample_table

    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = folder.parent / ".panel-tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(mode=0o700)
    for c in SAMPLE_COLUMNS + RESERVE_COLUMNS + ["ticket"]:
        for f in (picks, reserves):
            if c not in f:
                f[c] = np.nan if c not in ("source", "ticket") else "roster"
    m = dict(manifest)
    m["selected"] = mf._records(picks, mf.UNIT_KEYS[:4] + ("rank",) + mf.UNIT_KEYS[4:])
    m["reserves"] = mf._records(reserves, mf.UNIT_KEYS[:4] + ("reserve_rank",) + mf.UNIT_KEYS[4:])
    m["counts"] = {**dict(m.get("counts") or {}), "selected": len(picks), "reserves": len(reserves)}
    (tmp / "manifest.json").write_text(mf.dumps(m), encoding="utf-8")
    write_sample_table(picks[SAMPLE_COLUMNS], tmp / "sample.csv", lang)
    write_sample_table(reserves[RESERVE_COLUMNS], tmp / "reserves.csv", lang)
    if psus is not None:
        write_sample_table(psus, tmp / "psus.csv", lang)
    _seal(tmp, folder)
    tmp.rename(folder)


def start(project, name: str, *, seed: str, panel: float | None = None, fresh: bool = False,  # noqa: ANN001
          comparison: str | Path | None = None, now: str | None = None) -> RoundInfo:
    """Close the current round and open ``name`` (module doc). Exactly one of
    ``panel`` (a share in (0, 1]) and ``fresh`` (``comparison``: the
    comparison frame for the fresh draw, as ``sample draw --comparison``).
    Returns the new round."""
    from toolkit.project.sample import read_sample

    if (panel is None) == (not fresh):
        raise UserError("rounds.panel_or_fresh")
    if panel is not None and not (0 < float(panel) <= 1):
        raise UserError("rounds.bad_share", value=panel)
    if not str(seed).strip():
        raise UserError("rounds.no_seed")
    old = project.current_round()
    if _safe(name) == _safe(old) or (round_dir(project, name) / "households.parquet").exists():
        raise UserError("rounds.name_used", name=name)
    if project.is_stale():
        raise UserError("rounds.verify_first", name=old)
    res = project.results()
    keep_frame(project, res.households, old)
    project._keep_round(old, res.scorecard)
    prev_info = info(project, old)
    if not (round_dir(project, old) / "round.json").exists():
        _write_info(project, prev_info)
    sample = read_sample(project.paths.sample)
    units = pd.concat([sample.units, sample.reserves.drop(columns=["reserve_rank"], errors="ignore")],
                      ignore_index=True)
    manifest, psus = dict(sample.manifest), sample.psus
    stages = round_dir(project, old) / "stages"
    root = project.root
    for s in ROUND_STAGES:
        src = project.paths.output / s
        if src.exists():
            _move_tree(src, stages / s, root)
    set_round_name(root, name)
    from toolkit.project import Project

    nxt = Project.open(root)
    when = now or datetime.now(timezone.utc).isoformat(timespec="seconds")
    if fresh:
        from toolkit.sampling.manifest import design_of
        from dataclasses import replace

        design = replace(design_of(manifest), seed=str(seed))
        nxt.draw(design, comparison=comparison)
        r = RoundInfo(name, "fresh", old, str(seed), None, when)
    else:
        pool = _panel_pool(units, res.households["archive_id"])
        picks, reserves = panel_picks(pool, float(panel), str(seed))
        manifest["seed"] = {"value": str(seed), "source": (manifest.get("seed") or {}).get("source", "")}
        manifest["panel"] = {"algorithm": PANEL_ALGORITHM, "seed_text": PANEL_PREFIX + str(seed),
                             "share": float(panel), "previous_round": old,
                             "pool": sorted(pool["archive_id"].astype(str))}
        _write_panel(nxt.paths.sample, manifest, picks, reserves, psus, nxt.lang)
        r = RoundInfo(name, "panel", old, str(seed), float(panel), when)
    _write_info(nxt, r)
    try:
        from toolkit.store import open_store

        with open_store(nxt.evaluation) as st:
            st.ensure_round(name, note=f"{r.kind} after {old}")
    except UserError:
        pass
    return r


@dataclass(frozen=True)
class PanelCheck:
    """The panel re-derived: households picked by the rule but not in the
    sample (``missing``), in the sample but not picked (``extra``) and
    reserves out of ticket order (``reordered``)."""

    missing: tuple[str, ...]
    extra: tuple[str, ...]
    reordered: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not (self.missing or self.extra or self.reordered)


def verify_panel(project) -> PanelCheck:  # noqa: ANN001
    """Re-derive the current panel round's picks from its manifest (the
    previous round's interviewed households, the share and the seed text)
    and compare with ``sample/sample.csv`` and ``reserves.csv``."""
    from toolkit.project.sample import read_sample

    s = read_sample(project.paths.sample)
    p = s.manifest.get("panel")
    if not isinstance(p, dict):
        raise UserError("rounds.not_panel", name=project.current_round())
    prev = round_dir(project, str(p["previous_round"])) / "stages" / "sample"
    ps = read_sample(prev)
    units = pd.concat([ps.units, ps.reserves.drop(columns=["reserve_rank"], errors="ignore")], ignore_index=True)
    pool = _panel_pool(units, pd.Series(p["pool"], dtype=str))
    seed = str(p["seed_text"])[len(PANEL_PREFIX):]
    picks, reserves = panel_picks(pool, float(p["share"]), seed)
    want, got = set(picks["archive_id"].astype(str)), set(s.units["archive_id"].astype(str))
    order_want = reserves.sort_values(["stratum", "psu", "reserve_rank"])["archive_id"].astype(str).tolist()
    r = s.reserves.assign(reserve_rank=pd.to_numeric(s.reserves["reserve_rank"], errors="coerce"))
    order_got = r.sort_values(["stratum", "psu", "reserve_rank"])["archive_id"].astype(str).tolist()
    reordered = tuple(a for a, b in zip(order_want, order_got) if a != b)
    if len(order_want) != len(order_got):
        reordered += tuple(sorted(set(order_want) ^ set(order_got)))
    return PanelCheck(tuple(sorted(want - got)), tuple(sorted(got - want)), reordered)


def rounds_of(project) -> list[RoundInfo]:  # noqa: ANN001
    """Every round of the project, closed ones first, oldest first, then the current one."""
    d = project.paths.rounds
    closed = [info(project, p.parent.name) for p in sorted(d.glob("*/households.parquet"))] if d.exists() else []
    closed.sort(key=lambda r: r.created or "")
    cur = project.current_round()
    return [r for r in closed if r.name != cur] + [info(project, cur)]


__all__ = ["RoundInfo", "start", "verify_panel", "PanelCheck", "change_table", "read_change", "keep_frame",
           "read_frame", "measures", "panel_picks", "set_round_name", "info", "rounds_of", "PANEL_PREFIX"]
