"""What the dashboards read from an evaluation project, in one place.

Every dashboard reads through these functions, so the contract with the
other stages lives here and nowhere else:

* **Visits** (``fieldeval ingest --out DIR``): ``submissions.parquet`` (one
  row per submission, ``KEY``, question columns, ``_status``) and
  ``repeat_member.parquet`` / ``repeat_payment.parquet``. Searched in
  ``output/ingest``, ``output/visits``, then anywhere under ``output/``.
* **Verification**: the dashboards run the very call ``fieldeval verify``
  runs (:func:`toolkit.verify.project.evaluate_project`: roster, ``output/sample``, the
  visits) with its files going to ``output/.voila/verify`` (the evaluator's
  ``output/verify`` is left alone); the result is cached per process, keyed
  by the input files' modification times, in memory and on disk
  (``output/.voila/results-*.pickle``, so that each dashboard kernel loads
  in a fraction of a second). ``fieldeval verify``'s
  ``scorecard.csv`` therefore holds the same numbers the leadership page
  shows (a browser test checks it).
* **Earlier rounds** (for the leadership comparison): raw scorecards at
  ``output/rounds/<round name>/scorecard.parquet``; the current round is
  named by ``evaluation.toml``'s ``[project] round`` if set, else "current".
* **Quality** (``toolkit.ingest.quality``): ``issues.csv`` beside the
  submissions when present.

Privacy: :class:`Results` keeps archive ids (evaluator side). Anything for
leadership goes through :func:`toolkit.widgets.leadership` functions, which
take only the scorecard and aggregates.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from toolkit.config import Evaluation, load
from toolkit.errors import UserError

ENV_PROJECT = "FIELDEVAL_PROJECT"


def resolve_project(project: str | os.PathLike | None) -> Path:
    """The project directory: ``project`` if given, else ``$FIELDEVAL_PROJECT``, else '.'."""
    p = str(project or "") or os.environ.get(ENV_PROJECT, "") or "."
    return Path(p).expanduser().resolve()


def query_params() -> dict[str, str]:
    """The page's query string as a dict (Voilà's ``QUERY_STRING``), after
    waiting for the request when the kernel was preheated."""
    from urllib.parse import parse_qs

    try:
        from voila.utils import wait_for_request

        wait_for_request()
    except Exception:  # noqa: BLE001 - outside Voilà (nbclient, tests): no request to wait for
        pass
    qs = os.environ.get("QUERY_STRING", "")
    return {k: v[-1] for k, v in parse_qs(qs).items() if v}


def visits_dir(root: Path) -> Path | None:
    """The directory holding ``submissions.parquet`` (module doc), or None."""
    out = root / "output"
    for d in (out / "ingest", out / "visits"):
        if (d / "submissions.parquet").exists():
            return d
    found = sorted(out.glob("**/submissions.parquet")) if out.exists() else []
    return found[0].parent if found else None


@dataclass(frozen=True, eq=False)
class Results:
    """One project's verification, for the dashboards.

    ``scorecard``: raw (aspect, indicator, county, estimate, ci_low, ci_high,
    se, n, threshold, direction, verdict, method); ``households``: findings per
    household; ``evidence``: finding × household (archive_value, visit_value,
    rule, flagged); ``payments``: ledger payments checked; ``submissions``,
    ``members``, ``payment_rows``: accepted visits; ``roster``: canonical
    roster (identified: evaluator side only); ``rounds``: {round name: raw
    scorecard} including the current one.
    """

    evaluation: Evaluation
    scorecard: pd.DataFrame
    households: pd.DataFrame
    evidence: pd.DataFrame
    payments: pd.DataFrame
    submissions: pd.DataFrame
    members: pd.DataFrame
    payment_rows: pd.DataFrame
    roster: pd.DataFrame
    rounds: dict
    issues: pd.DataFrame


_CACHE: dict[tuple, Results] = {}


def _stamp(paths: list[Path]) -> tuple:
    return tuple((str(p), p.stat().st_mtime_ns if p.exists() else 0) for p in paths)


def load_results(project: str | os.PathLike | None = None) -> Results:
    """Everything the dashboards show for ``project`` (see the module doc).
    UserError when the project has no visits yet."""
    root = resolve_project(project)
    ev = load(root)
    vdir = visits_dir(root)
    if vdir is None:
        raise UserError("widgets.no_visits", path=str(root / "output"))
    vfiles = sorted(vdir.glob("*.parquet"))
    rounds_dir = root / "output" / "rounds"
    round_files = sorted(rounds_dir.glob("*/scorecard.parquet")) if rounds_dir.exists() else []
    key = (str(root), _stamp([*vfiles, ev.path("roster"), *sorted((root / "output" / "sample").glob("*")), *round_files]))
    if key in _CACHE:
        return _CACHE[key]
    import hashlib
    import pickle

    cache = root / "output" / ".voila" / f"results-{hashlib.sha256(repr(key).encode()).hexdigest()[:16]}.pickle"
    if cache.exists():
        try:
            out = pickle.loads(cache.read_bytes())  # noqa: S301 - our own file, written below
            _CACHE.clear()
            _CACHE[key] = out
            return out
        except Exception:  # noqa: BLE001 - a stale or partial cache is recomputed
            pass
    out = _compute(root, ev, vdir, round_files)
    cache.parent.mkdir(parents=True, exist_ok=True)
    for old in cache.parent.glob("results-*.pickle"):
        old.unlink(missing_ok=True)
    tmp = cache.with_suffix(".tmp")
    tmp.write_bytes(pickle.dumps(out))
    tmp.replace(cache)
    _CACHE.clear()
    _CACHE[key] = out
    return out


def _compute(root: Path, ev: Evaluation, vdir: Path, round_files: list[Path]) -> Results:
    """Run the verification (module doc) and gather everything the dashboards show."""
    from toolkit.verify.project import evaluate_project

    run = evaluate_project(root, visits=vdir)
    res, visits = run.result, run.visits
    roster = run.roster.frame.reset_index(drop=True)
    households, scorecard = res.findings.households, res.scorecard
    evidence, payments = res.findings.evidence, res.findings.payments
    current = str(ev.extra.get("project", {}).get("round", "") if isinstance(ev.extra.get("project"), dict)
                  else "") or "current"
    rounds = {p.parent.name: pd.read_parquet(p) for p in round_files}
    rounds[current] = scorecard
    issues = pd.read_csv(vdir / "issues.csv") if (vdir / "issues.csv").exists() else pd.DataFrame()
    return Results(ev, scorecard, households, evidence, payments, visits.submissions, visits.members,
                   visits.payments, roster, rounds, issues)


__all__ = ["ENV_PROJECT", "Results", "load_results", "query_params", "resolve_project", "visits_dir"]
