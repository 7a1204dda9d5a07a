"""One ingest run: read -> duplicate decisions -> corrections -> validate -> quality -> files.

``run_ingest`` returns an :class:`IngestResult`; ``write_outputs`` lays it out
in a directory::

    OUTDIR/submissions.parquet       every submission read, with _status accepted|quarantined
    OUTDIR/repeat_<name>.parquet     one per repeat group (PARENT_KEY, KEY, index, answers, _status)
    OUTDIR/issues.parquet            key, field, value, rule, severity, message, repeat_key
    OUTDIR/issues.csv                the same in words, for people (toolkit.ingest.issues_file)
    OUTDIR/quality.xlsx              one sheet per high-frequency check
    OUTDIR/corrections_audit.csv     what each corrections/duplicates row did (when a log is given)
    OUTDIR/media/, media.parquet     photos of accepted submissions (toolkit.ingest.media), 0600
    OUTDIR/interviewer_*.parquet,    fabrication signals per interviewer, audit-log paradata
      paradata.parquet, interviewers.xlsx   (toolkit.ingest.fabrication, toolkit.ingest.paradata)
    OUTDIR/ingest.json               counts, form path and version, inputs (for `fieldeval export`)

Counts: read = accepted + quarantined + excluded by review (a submission the
platform's reviewer rejected, toolkit.ingest.review_state), always (a copy dropped by a duplicate
decision stays in submissions.parquet, quarantined, with its reason); the same
holds for each repeat table (an orphan row, whose parent is not in the data,
counts as quarantined). Tables an export held but that could not be read (a
root table of another form, a repeat file no name, KEY or header places) are
``not_read`` with their row counts: rows found = read + not read.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from toolkit.forms.model import Form
from toolkit.i18n import t
from toolkit.ingest import corrections as corr
from toolkit.ingest import fabrication
from toolkit.ingest import media
from toolkit.ingest import quality as qc
from toolkit.ingest import review_state
from toolkit.ingest.model import Submissions
from toolkit.ingest.read import read_submissions
from toolkit.ingest.validate import ISSUE_COLUMNS, validate
from toolkit.tables import atomic_path, write_table
from toolkit.vault import source


@dataclass(frozen=True)
class IngestResult:
    """Everything one run produced."""

    submissions: Submissions
    issues: pd.DataFrame
    quality: Mapping[str, pd.DataFrame]
    audit: pd.DataFrame
    read: int
    accepted: int
    quarantined: int
    inputs: tuple[str, ...] = ()
    form_path: str = ""
    form_version: str = ""
    extra: dict = field(default_factory=dict)
    #: {repeat name: {"read", "accepted", "quarantined"}} (orphan rows are quarantined)
    repeat_counts: Mapping[str, Mapping[str, int]] = field(default_factory=dict)

    @property
    def not_read(self) -> pd.DataFrame:
        """Tables seen but not read: file, rows, reason, level (see toolkit.ingest.model)."""
        return self.submissions.not_read

    @property
    def excluded(self) -> int:
        """Main-table rows in tables that were not read."""
        nr = self.not_read
        return int(nr.loc[nr["level"] == "", "rows"].sum()) if len(nr) else 0

    @property
    def incomplete(self) -> bool:
        """Anything quarantined or not read, at any level (the CLI exits 1)."""
        return bool(self.quarantined or len(self.not_read)
                    or any(c["quarantined"] for c in self.repeat_counts.values()))

    def issues_by_rule(self) -> pd.DataFrame:
        """rule, severity, count (most frequent first)."""
        if not len(self.issues):
            return pd.DataFrame(columns=["rule", "severity", "count"])
        return (self.issues.groupby(["rule", "severity"]).size().rename("count").reset_index()
                .sort_values(["count", "rule"], ascending=[False, True]).reset_index(drop=True))


def run_ingest(paths: str | Path | Iterable[str | Path], form: Form, *,
               corrections: str | Path | None = None, settings: qc.QualitySettings | None = None,
               centroids: pd.DataFrame | None = None, lang: str = "zh", platform: str = "auto",
               encoding: str = "auto", form_path: str = "",
               progress: Callable[[str], None] | None = None) -> IngestResult:
    """Read, correct, validate and check; see the module doc."""
    paths = [Path(paths)] if isinstance(paths, (str, Path)) else [Path(p) for p in paths]
    data_paths, _media_zips = media.split_inputs(paths)   # a Kobo media download is not data
    subs = read_submissions(data_paths, form, platform=platform, encoding=encoding, progress=progress)
    n_read = len(subs.main)
    audit_parts = []
    dropped = subs.main.iloc[0:0]
    if corrections:
        log, dups = corr.read_log(corrections)
        subs, dropped, a1 = corr.apply_duplicates(subs, dups, lang)
        subs, a2 = corr.apply_corrections(subs, form, log, lang)
        audit_parts += [a1, a2]
    if progress:
        progress(t("ingest.progress_validate", lang))
    checked, issues = validate(subs, form, lang)
    checked, issues = review_state.apply(checked, issues, lang)  # platform review states (issue 17)
    if len(dropped):
        d = dropped.copy()
        d["_status"] = "quarantined"
        reasons = _drop_reasons(audit_parts[0], d)
        extra = pd.DataFrame({"key": d["KEY"].to_numpy(), "field": "KEY", "value": d["KEY"].to_numpy(),
                              "rule": "duplicate_dropped", "severity": "error",
                              "message": [t("ingest.rule.duplicate_dropped", lang, reason=r) for r in reasons],
                              "repeat_key": ""})
        issues = pd.concat([issues, extra], ignore_index=True)[list(ISSUE_COLUMNS)]
        checked = Submissions(checked.form_id, pd.concat([checked.main, d], ignore_index=True),
                              checked.repeats, checked.problems, checked.not_read)
    if progress:
        progress(t("ingest.progress_quality", lang))
    quality = qc.run_all(checked, form, settings, issues=issues, centroids=centroids)
    signals = fabrication.at_ingest(paths, checked, form, settings, form_path)   # issue 18: audit logs in any zip
    photos = media.collect(paths, checked.main, form, lang)   # photos of accepted submissions (media.py)
    issues = pd.concat([issues, photos.issues], ignore_index=True) if len(photos.issues) else issues
    status = checked.main["_status"]
    accepted = int((status == "accepted").sum())
    audit = (pd.concat([a for a in audit_parts if len(a)], ignore_index=True)
             if any(len(a) for a in audit_parts) else pd.DataFrame(columns=list(corr.AUDIT_COLUMNS)))
    excluded = review_state.excluded(checked.main)
    return IngestResult(checked, issues, quality, audit, n_read, accepted, n_read - accepted - excluded,
                        tuple(str(p) for p in paths), form_path, form.version,
                        extra={"media": photos, "excluded_by_review": excluded, "interviewers": signals, "form": form},
                        repeat_counts=repeat_counts(checked))


def repeat_counts(subs: Submissions) -> dict[str, dict[str, int]]:
    """Rows read, accepted and quarantined per repeat table (read = accepted + quarantined)."""
    out = {}
    for name, frame in subs.repeats.items():
        st = frame["_status"] if "_status" in frame else pd.Series("accepted", index=frame.index)
        acc = int((st == "accepted").sum())
        out[name] = {"read": len(frame), "accepted": acc, "quarantined": len(frame) - acc}
    return out


def _drop_reasons(audit: pd.DataFrame, dropped: pd.DataFrame) -> list[str]:
    applied = audit[(audit["status"] == "applied") & (audit["new_value"] == "drop")]
    by_key = dict(zip(applied["key"], applied["reason"].fillna("").astype(str)))
    return [by_key.get(k, "") for k in dropped["KEY"]]


def _parquet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for c in out.columns:
        if out[c].dtype == object:
            out[c] = out[c].astype(object).where(out[c].notna(), None)
            out[c] = out[c].map(lambda v: v if v is None or isinstance(v, str) else str(v)) \
                if pd.api.types.infer_dtype(out[c], skipna=True) not in ("string", "empty") else out[c]
    return out


def write_parquet(frame: pd.DataFrame, path: Path) -> Path:
    with atomic_path(path) as tmp:
        _parquet_safe(frame).to_parquet(tmp, index=False)
    return path


def write_outputs(result: IngestResult, outdir: str | Path, lang: str = "zh") -> list[Path]:
    """Write the run's files (see the module doc); returns the paths written."""
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    written = [write_parquet(result.submissions.main, out / "submissions.parquet")]
    for name, frame in result.submissions.repeats.items():
        written.append(write_parquet(frame, out / f"repeat_{name}.parquet"))
    from toolkit.ingest.issues_file import write_issues
    from toolkit.ingest.quality_words import field_words, write_quality

    words = field_words(result.extra.get("form"), lang)   # the run's own form's labels
    written += write_issues(result.issues[list(ISSUE_COLUMNS)], out, lang, words)
    written += write_quality(result.quality, out, lang, words)
    if len(result.audit):
        written.append(write_table(result.audit, out / "corrections_audit.csv"))
    written += media.write(result.extra.get("media"), out)
    written += fabrication.write(result.extra.get("interviewers"), out, lang)
    manifest = {"form": result.form_path, "form_id": result.submissions.form_id,
                "form_version": result.form_version, "inputs": list(result.inputs),
                "read": result.read, "accepted": result.accepted, "quarantined": result.quarantined,
                "excluded_by_review": int(result.extra.get("excluded_by_review", 0)),
                "not_read": result.excluded,
                "repeats": sorted(result.submissions.repeats),
                "repeat_counts": {k: dict(v) for k, v in result.repeat_counts.items()},
                "tables_not_read": [{"file": r.file, "rows": int(r.rows), "reason": r.reason,
                                     "level": r.level} for r in result.not_read.itertuples()],
                "issues_by_rule": {f"{r.rule}/{r.severity}": int(r.count)
                                   for r in result.issues_by_rule().itertuples()}}
    p = out / "ingest.json"
    with atomic_path(p) as tmp:
        tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    written.append(p)
    return written


def load_outputs(outdir: str | Path) -> tuple[Submissions, dict]:
    """Submissions (with _status) and the manifest back from an ingest directory."""
    from toolkit.errors import UserError

    d = Path(outdir)
    main_p = d / "submissions.parquet"
    if not main_p.exists():
        raise UserError("ingest.export.no_data", path=str(d))
    manifest = json.loads((d / "ingest.json").read_text(encoding="utf-8")) if (d / "ingest.json").exists() else {}
    main = pd.read_parquet(source(main_p))
    reps = {p.stem.removeprefix("repeat_"): pd.read_parquet(source(p)) for p in sorted(d.glob("repeat_*.parquet"))}
    return Submissions(manifest.get("form_id", ""), main, reps), manifest


__all__ = ["IngestResult", "load_outputs", "run_ingest", "write_outputs"]
