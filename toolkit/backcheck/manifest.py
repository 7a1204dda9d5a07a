"""The back-check manifest: ``output/backcheck/manifest.json``, beside the main one.

One entry per draw of the round: seed (and the ticket seed derived from it),
share, minimum per interviewer, weights, back-checkers, the population as
drawn (records and their SHA-256), the picks with their back-checker, and
the SHA-256 of the main sample's manifest the back-checks belong to.
:func:`verify` re-derives every draw in order from what is recorded — a
changed seed, weight, population row, pick or back-checker is reported in
words. The file is written atomically, owner-only (0600), and encrypted when
the project has a key (toolkit.vault: the population records name
households and interviewers).
"""
from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from toolkit.backcheck.draw import ALGORITHM, PICK_COLUMNS, POPULATION_COLUMNS, draw, ticket_seed
from toolkit.errors import UserError
from toolkit.vault import read_bytes, write_bytes

FILE = "manifest.json"


def population_sha(records: list[dict]) -> str:
    """SHA-256 of the population records as canonical JSON (sorted keys, sorted by archive id)."""
    rows = sorted(records, key=lambda r: str(r["archive_id"]))
    text = json.dumps(rows, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _records(frame: pd.DataFrame, columns: tuple[str, ...]) -> list[dict]:
    f = frame[list(columns)].copy()
    for c in f.columns:
        if c == "finding":
            f[c] = f[c].astype(bool)
        elif c in ("weight", "key"):
            f[c] = f[c].astype(float)
        elif c in ("rank", "draw"):
            f[c] = f[c].astype(int)
        else:
            f[c] = f[c].astype(str)
    return f.to_dict(orient="records")


def entry(population: pd.DataFrame, picks: pd.DataFrame, *, seed: str, share: float, min_per: int,
          weight_finding: float, weight_nonresponse: float, backcheckers: list[str] | None, draw_no: int) -> dict:
    """The manifest entry of one draw."""
    pop = _records(population, POPULATION_COLUMNS)
    return {"draw": draw_no, "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "seed": str(seed), "ticket_seed": ticket_seed(seed), "share": share, "min_per_enumerator": min_per,
            "weight_finding": weight_finding, "weight_nonresponse": weight_nonresponse,
            "backcheckers": list(backcheckers) if backcheckers else None,
            "population": {"rows": len(pop), "sha256": population_sha(pop), "records": pop},
            "picks": _records(picks, PICK_COLUMNS)}


def load(folder: Path) -> dict | None:
    """The manifest in ``folder`` or None."""
    p = Path(folder) / FILE
    if not p.is_file():
        return None
    try:
        return json.loads(read_bytes(p).decode("utf-8"))
    except (OSError, ValueError):
        raise UserError("backcheck.manifest_unreadable", path=str(p)) from None


def save(folder: Path, manifest: dict) -> Path:
    """Write the manifest atomically, 0600, encrypted when the project has a key."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    p = folder / FILE
    write_bytes(p, json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8"))
    return p


def new(round_name: str, main_sha: str) -> dict:
    """An empty manifest for a round."""
    return {"algorithm": ALGORITHM, "round": round_name, "main_manifest_sha256": main_sha, "draws": []}


def picks_of(manifest: dict | None) -> pd.DataFrame:
    """Every pick of every draw (PICK_COLUMNS)."""
    rows = [p for d in (manifest or {}).get("draws", []) for p in d.get("picks", [])]
    return pd.DataFrame(rows, columns=list(PICK_COLUMNS))


def verify(manifest: dict, main_sha: str | None = None) -> list[tuple[str, dict]]:
    """Re-derive every draw (module doc); [] when everything matches, else
    [(i18n key, fields)] problems to print in words."""
    problems: list[tuple[str, dict]] = []
    if manifest.get("algorithm") != ALGORITHM:
        problems.append(("backcheck.verify_algorithm", {"found": manifest.get("algorithm")}))
        return problems
    if main_sha is not None and manifest.get("main_manifest_sha256") != main_sha:
        problems.append(("backcheck.verify_main", {}))
    earlier = None
    for d in manifest.get("draws", []):
        n = d.get("draw")
        recs = d.get("population", {}).get("records", [])
        if population_sha(recs) != d.get("population", {}).get("sha256"):
            problems.append(("backcheck.verify_population", {"draw": n}))
        if d.get("ticket_seed") != ticket_seed(d.get("seed", "")):
            problems.append(("backcheck.verify_seed", {"draw": n}))
        pop = pd.DataFrame(recs, columns=list(POPULATION_COLUMNS))
        try:
            again = draw(pop, seed=d["seed"], share=float(d["share"]), min_per=int(d["min_per_enumerator"]),
                         weight_finding=float(d["weight_finding"]), weight_nonresponse=float(d["weight_nonresponse"]),
                         backcheckers=d.get("backcheckers"), earlier=earlier, draw_no=int(n))
        except (KeyError, TypeError, ValueError, UserError):
            problems.append(("backcheck.verify_unreadable", {"draw": n}))
            break
        found = pd.DataFrame(d.get("picks", []), columns=list(PICK_COLUMNS))
        exp = again[["archive_id", "interviewer", "backchecker"]].astype(str).reset_index(drop=True)
        got = found[["archive_id", "interviewer", "backchecker"]].astype(str).reset_index(drop=True)
        if len(exp) != len(got) or not exp.equals(got):
            diff = sorted(set(map(tuple, exp.to_numpy())) ^ set(map(tuple, got.to_numpy())))
            first = diff[0] if diff else ("", "", "")
            problems.append(("backcheck.verify_picks", {"draw": n, "expected": len(exp), "found": len(got),
                                                        "id": first[0]}))
        earlier = again if earlier is None else pd.concat([earlier, again], ignore_index=True)
    return problems


__all__ = ["FILE", "entry", "load", "save", "new", "picks_of", "verify", "population_sha"]
