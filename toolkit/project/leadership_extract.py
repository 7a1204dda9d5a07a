"""The leadership extract: what the leadership dashboard reads, de-identified and plain (issue 20).

Under encryption (toolkit.vault) the results stage is sealed, apart from a
few aggregate files; the leadership dashboard must still open without the
project key (a union leader's server is not given it, see toolkit.hub.setup).
So at verify time :func:`write` puts everything that page shows into
``<output>/leadership/``, **plain** (leadership outputs stay plain) and
**allow-listed**: only the columns named in :data:`COLUMNS`, and in their
text columns only values from fixed vocabularies (indicators, aspects,
verdicts, finding types, satisfaction items, rounds) or the project's own
county names from ``evaluation.toml``. A row with any other text is left
out and counted in ``meta.json`` (``left_out``), never passed on. No table
has a row per household:

=========================  =====================================================
``scorecard.parquet``      per county and 全市: indicator, estimate, interval,
                           standard error, sample size, threshold, verdict
``rounds.parquet``         the same per round (the round comparison)
``findings.parquet``       households flagged per county and finding type;
                           counts 1 … k−1 stored as missing with
                           ``suppressed`` set (k: the project's small cell)
``satisfaction.parquet``   the design-weighted distribution of the
                           satisfaction items per county (shares only, no counts)
``change.parquet``         the change since the last round per indicator and
                           county (toolkit.project.rounds; estimates, intervals)
``consistency.parquet``    the system-data reconciliation's consistency per
                           county (toolkit.reconcile; counts of tallies)
``meta.json``              project name, round, the verification's fingerprint
                           and time, small cell, interval method, columns
=========================  =====================================================

The folder is replaced as a whole (written beside it, then renamed); files
0600 in a 0700 folder like every project output. :func:`load` reads it back
(no key needed); when it is missing or older than the stored verification
and the results can be read (a plain project, or the key at hand), it is
written again from them first.
"""
from __future__ import annotations

import io
import json
import os
import re
import shutil
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from toolkit.config import Evaluation, load as load_config
from toolkit.errors import UserError

FOLDER = "leadership"
META = "meta.json"
VERSION = 1
ALL = "全市"
ROUND_NAME = re.compile(r"[^<>&\"'\x00-\x1f]{0,60}")
"""What a round's name may look like in the extract (the evaluator's own words, no markup)."""
FINDINGS = ("wrong_inclusion", "missed_exit", "wrong_exit", "missed", "precision_error")
SCORE = ("aspect", "indicator", "county", "estimate", "ci_low", "ci_high", "se", "n", "threshold", "direction",
         "verdict", "method")
COLUMNS: dict[str, tuple[str, ...]] = {
    "scorecard": SCORE,
    "rounds": ("round", *SCORE),
    "findings": ("county", "finding", "households", "suppressed"),
    "satisfaction": ("item", "county", "answer", "share"),
    "change": ("before_round", "after_round", "indicator", "county", "before", "after", "change", "se", "ci_low",
               "ci_high", "df", "n_before", "n_after", "paired", "verdict"),
    "consistency": ("county", "compared", "agree", "differs", "not_reported", "consistency"),
}
"""The allow-list: the only columns the extract holds, per table."""


def folder(evaluation: Evaluation) -> Path:
    """``<output>/leadership/`` of the project."""
    from toolkit.project.paths import ProjectPaths

    return ProjectPaths.of(evaluation).output / FOLDER


def vocabulary(evaluation: Evaluation, rounds: list[str]) -> dict[str, frozenset[str] | re.Pattern]:
    """The text each allow-listed text column may hold: a fixed set, or (satisfaction
    items, named by the form's columns) a pattern of lower-case names."""
    from toolkit.project.rules import CI_METHODS
    from toolkit.verify.indicators import ASPECTS, INDICATORS

    counties = frozenset([ALL, *(str(c.name) for c in evaluation.counties)])
    methods = frozenset({"", "census", *CI_METHODS, *(f"design:{m}" for m in CI_METHODS),
                         *(f"design:ratio-{m}" for m in CI_METHODS)})
    return {"county": counties, "indicator": frozenset(i.name for i in INDICATORS), "aspect": frozenset(ASPECTS),
            "direction": frozenset({"min", "max"}),
            "verdict": frozenset({"pass", "fail", "inconclusive", "no_interval", "info", "no_data",
                                  "improved", "worsened", "no_change", "undetermined"}),   # the last four: change
            "method": methods, "finding": frozenset(FINDINGS), "round": frozenset(rounds),
            # round names are the evaluator's own ([project] round), never the union's text
            "before_round": ROUND_NAME, "after_round": ROUND_NAME,
            "item": re.compile(r"sat_[a-z0-9_]{1,40}")}


def _allowed(frame: pd.DataFrame, table: str, vocab: dict[str, frozenset[str]]) -> tuple[pd.DataFrame, int]:
    """``frame`` cut to the table's allow-listed columns (missing ones empty), rows
    whose text is outside the vocabulary left out; returns (frame, rows left out)."""
    cols = COLUMNS[table]
    f = frame.reindex(columns=list(cols)).reset_index(drop=True)
    keep = pd.Series(True, index=f.index)
    for c in cols:
        if c in vocab:
            f[c] = f[c].astype("string")   # missing stays missing
            text = f[c].fillna("")
            v = vocab[c]
            ok = text.str.fullmatch(v.pattern) if isinstance(v, re.Pattern) else text.isin(v)
            keep &= ok.fillna(False).astype(bool) | (text == "")
        elif c != "suppressed":
            f[c] = pd.to_numeric(f[c], errors="coerce")
    return f[keep].reset_index(drop=True), int((~keep).sum())


def finding_counts(households: pd.DataFrame, counties: list[str], k: int) -> pd.DataFrame:
    """Households flagged per county (and 全市) and finding type; 1 … k−1 stored as missing."""
    h = households
    flags = [f for f in FINDINGS if f in h.columns]
    m = h[flags].apply(pd.to_numeric, errors="coerce").eq(1)
    where = h["county"].astype(str) if "county" in h.columns else pd.Series("", index=h.index)
    per = m.groupby(where).sum().reindex(index=counties, columns=list(FINDINGS), fill_value=0)
    whole = m.sum().reindex(list(FINDINGS), fill_value=0).rename(ALL).to_frame().T
    per = pd.concat([whole, per.fillna(0)]).astype(int)
    long = per.rename_axis(index="county", columns="finding").stack().rename("n").reset_index()
    small = (long["n"] > 0) & (long["n"] < k)
    long["households"] = long["n"].astype("Int64").mask(small)
    long["suppressed"] = small
    return long[list(COLUMNS["findings"])]


def build(evaluation: Evaluation, results: object) -> tuple[dict[str, pd.DataFrame], dict]:
    """The extract's tables and meta from stored results (toolkit.project.results.Results)."""
    meta_in = getattr(results, "meta", {}) or {}
    k = int(meta_in.get("small_cell", 5) or 5)
    rounds = dict(getattr(results, "rounds", {}) or {})
    vocab = vocabulary(evaluation, [str(r) for r in rounds])
    counties = [str(c.name) for c in evaluation.counties]
    sat = (getattr(results, "satisfaction", {}) or {}).get("distribution", pd.DataFrame())
    round_frames = [sc.assign(round=str(name)) for name, sc in rounds.items() if len(sc)]
    raw = {"scorecard": results.scorecard,
           "rounds": pd.concat(round_frames, ignore_index=True) if round_frames else pd.DataFrame(),
           "findings": finding_counts(results.households, counties, k),
           "satisfaction": sat,
           "change": _change(evaluation), "consistency": _consistency(evaluation)}
    tables, left_out = {}, {}
    for name, frame in raw.items():
        tables[name], left_out[name] = _allowed(frame, name, vocab)
    meta = {"extract": VERSION, "created": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "project": evaluation.name, "round": str(meta_in.get("round", "current")),
            "fingerprint": meta_in.get("fingerprint", ""), "verified": meta_in.get("created", ""),
            "small_cell": k, "ci": meta_in.get("ci", ""), "rounds": list(map(str, rounds)),
            "columns": {n: list(c) for n, c in COLUMNS.items()}, "left_out": left_out}
    return tables, meta


def _change(evaluation: Evaluation) -> pd.DataFrame:
    """The stored change since the last round (toolkit.project.rounds), aggregates only."""
    from toolkit.project.rounds import read_change

    c = read_change(evaluation)
    return c if c is not None else pd.DataFrame()


def _consistency(evaluation: Evaluation) -> pd.DataFrame:
    """The system-data reconciliation's consistency per county (toolkit.reconcile), when checked."""
    from toolkit.reconcile import outputs

    try:
        tables, _ = outputs.read(evaluation.path("output") / outputs.STAGE)
    except (OSError, ValueError):
        return pd.DataFrame()
    return tables.get("consistency", pd.DataFrame())


def write(evaluation: Evaluation, results: object) -> Path:
    """Write the extract of ``results`` (module doc); returns its folder."""
    from toolkit.vault import write_private   # plain on purpose: leadership outputs stay plain

    tables, meta = build(evaluation, results)
    dest = folder(evaluation)
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.partial-{os.getpid()}")
    old = dest.with_name(f".{dest.name}.old-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(mode=0o700)
    try:
        for name, frame in tables.items():
            buf = io.BytesIO()
            frame.to_parquet(buf, index=False)
            write_private(tmp / f"{name}.parquet", buf.getvalue())
        write_private(tmp / META, json.dumps(meta, ensure_ascii=False, indent=2, default=str).encode("utf-8"))
        if dest.exists():
            dest.rename(old)
        tmp.rename(dest)
    except BaseException as e:
        shutil.rmtree(tmp, ignore_errors=True)
        if old.exists() and not dest.exists():
            old.rename(dest)
        if not (isinstance(e, OSError) and (dest / META).is_file()):
            raise
        # another kernel wrote the same extract at the same moment: theirs stands
    shutil.rmtree(old, ignore_errors=True)
    return dest


@dataclass(frozen=True, eq=False)
class Extract:
    """The leadership extract as the leadership dashboard reads it (the
    attributes it uses of toolkit.widgets.data.Results): ``scorecard``;
    ``households`` holds the flagged-household *counts* per county and finding
    (``findings.parquet``), never rows of households; ``satisfaction``
    {"distribution": shares}; ``rounds`` {round: scorecard}; ``small_cell``,
    ``ci``; ``meta`` (meta.json)."""

    evaluation: Evaluation
    scorecard: pd.DataFrame
    households: pd.DataFrame
    satisfaction: dict = field(default_factory=dict)
    rounds: dict = field(default_factory=dict)
    small_cell: int = 5
    ci: str = "wilson"
    meta: dict = field(default_factory=dict)
    change: pd.DataFrame | None = None
    consistency: pd.DataFrame | None = None


def _read_meta(d: Path) -> dict:
    try:
        return json.loads((d / META).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _verify_meta(evaluation: Evaluation) -> dict:
    from toolkit.project.paths import ProjectPaths

    try:
        return json.loads((ProjectPaths.of(evaluation).verify / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def current(evaluation: Evaluation) -> bool:
    """True when the extract exists and belongs to the stored verification."""
    mine, theirs = _read_meta(folder(evaluation)), _verify_meta(evaluation)
    return bool(mine) and (not theirs or (mine.get("fingerprint") == theirs.get("fingerprint")
                                          and mine.get("verified") == theirs.get("created")))


def ensure(root: str | Path) -> Path:
    """The extract's folder, written first from the stored results when it is
    missing or older than them and they can be read; a missing key only
    matters when there is no extract at all (then the key's own message)."""
    ev = load_config(root)
    d = folder(ev)
    if current(ev):
        return d
    from toolkit.project import Project

    try:
        p = Project.open(root)
        write(ev, p.results())
    except UserError:
        if not (d / META).is_file():
            if _verify_meta(ev).get("complete"):
                raise UserError("hubload.no_extract", path=str(d), project=str(Path(root))) from None
            raise
    return d


def load(root: str | Path) -> Extract:
    """The extract of the project ``root`` (module doc); needs no key."""
    ev = load_config(root)
    d = ensure(root)
    meta = _read_meta(d)

    def read(name: str) -> pd.DataFrame:
        p = d / f"{name}.parquet"
        return pd.read_parquet(p) if p.is_file() else pd.DataFrame(columns=list(COLUMNS[name]))

    sc, rd = read("scorecard"), read("rounds")
    rounds = {str(r): g.drop(columns="round").reset_index(drop=True) for r, g in rd.groupby("round", sort=False)} \
        if len(rd) else {}
    rounds = {r: rounds[r] for r in meta.get("rounds", []) if r in rounds} or {meta.get("round", "current"): sc}
    return Extract(ev, sc, read("findings"), {"distribution": read("satisfaction")}, rounds,
                   int(meta.get("small_cell", 5) or 5), str(meta.get("ci", "wilson") or "wilson"), meta,
                   read("change"), read("consistency"))


__all__ = ["COLUMNS", "Extract", "FOLDER", "build", "current", "ensure", "finding_counts", "folder", "load", "write"]
