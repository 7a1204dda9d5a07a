"""The evaluation project as one thing: its stages called as functions.

>>> # p = Project.open("my-eval")
>>> # p.draw(design, roster="档案.xlsx")        # output/sample
>>> # p.ingest(["export.zip"])                   # output/ingest (entry submissions included)
>>> # r = p.verify()                             # output/verify: the one stored result
>>> # p.results().scorecard                      # what the report and dashboards read

Each stage writes its folder as a whole (toolkit.project.stagefiles) and
records what it read; :meth:`Project.results` reads the stored verification
and, with ``refresh=True``, verifies again first when an input changed since.
The command line, the demo, the notebooks' steps, the report and the
dashboards are thin clients of this class.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from toolkit import config as config_mod
from toolkit.config import Evaluation
from toolkit.errors import UserError
from toolkit.project import rules, summaries
from toolkit.project.paths import ProjectPaths
from toolkit.project.results import Results, read_results, write_tables
from toolkit.project.sample import SampleFiles, population, read_sample
from toolkit.project.stagefiles import private, write_stage
from toolkit.vault import seal_file, source
from toolkit.verify.text_in import text_in   # Series.isin on Arrow text builds its value set slowly

DEFAULT_FORM = "household_visit.xlsx"


@dataclass(frozen=True, eq=False)
class FieldRecord:
    """The dispositions the verification uses (one row per released household:
    archive_id, code, visits, replaced_by, role, source) or None when the
    field has recorded none; ``problems`` found reconciling them (file,
    sheet, row, column, value, rule, message); ``sources`` the files read."""

    frame: pd.DataFrame | None
    problems: pd.DataFrame
    sources: tuple[str, ...] = ()
    set_aside: pd.DataFrame | None = None


def form_path(name: str = DEFAULT_FORM) -> Path:
    """A shipped questionnaire (package data): ``household_visit.xlsx`` or
    ``satisfaction.xlsx``."""
    from toolkit.questionnaires import path

    return path(name)


class Project:
    """One evaluation project directory (``evaluation.toml``)."""

    def __init__(self, evaluation: Evaluation) -> None:
        self.evaluation = evaluation
        self.paths = ProjectPaths.of(evaluation)

    @classmethod
    def open(cls, directory: str | Path) -> Project:
        """Load ``DIR/evaluation.toml`` (UserError naming key and line when bad)."""
        return cls(config_mod.load(directory))

    @property
    def root(self) -> Path:
        return self.paths.root

    @property
    def lang(self) -> str:
        return self.evaluation.language

    # --- settings (toolkit.project.rules) ---------------------------------------------

    def ci_method(self, override: str | None = None) -> str:
        """The interval method of this project (``[estimation] ci``, default Wilson)."""
        return rules.ci_method(self.evaluation, override)

    def small_cell(self) -> int:
        """k of small-cell suppression (``[privacy] small_cell``, default 5)."""
        return rules.small_cell(self.evaluation)

    # --- sample -------------------------------------------------------------------------

    def draw(self, design: object, *, roster: str | Path | None = None, comparison: str | Path | None = None,
             out: str | Path | None = None, teams: dict | None = None, mask: bool = True,
             progress: Callable[[int], None] | None = None) -> tuple[object, Path]:
        """Draw the sample (toolkit.sampling.select.draw with ``design``, a
        toolkit.sampling.select.Design) from the roster (default
        ``paths.roster``) and write the sample stage (manifest.json,
        sample.csv, reserves.csv, psus.csv, visit lists); refuses a non-empty
        folder. Returns (the Sample, the folder)."""
        from toolkit.project.draw import draw_into

        folder = Path(out) if out else self.paths.sample
        roster_path = Path(roster) if roster else self.evaluation.path("roster")
        if teams is None:
            s = self.evaluation.extra.get("sampling", {}) if isinstance(self.evaluation.extra, dict) else {}
            teams = s.get("teams") if isinstance(s, dict) and isinstance(s.get("teams"), dict) else None
        sample = draw_into(folder, roster_path, design, comparison=comparison, evaluation=self.evaluation,
                           teams=teams, mask=mask, progress=progress)
        return sample, folder

    def sample(self) -> SampleFiles:
        """The sample stage (UserError when nothing has been drawn yet)."""
        return read_sample(self.paths.sample)

    # --- ingest -------------------------------------------------------------------------

    def entry_exports(self, form: object = None) -> list[Path]:
        """The entry dashboard's saved submissions (``entry/submissions/``),
        assembled as ODK Central exports that ingest reads like any other
        (toolkit.ingest.entry_export); [] when there are none."""
        from toolkit.ingest.entry_export import entry_exports

        folder = self.paths.entry / "submissions"
        if not folder.is_dir():
            return []
        forms = [form] if form is not None else None
        return list(entry_exports(folder, forms, form_id=getattr(form, "form_id", None)))

    def ingest(self, exports: Iterable[str | Path], *, form: str | Path | None = None, out: str | Path | None = None,
               corrections: str | Path | None = None, platform: str = "auto", encoding: str = "auto",
               include_entry: bool = True, lang: str | None = None,
               progress: Callable[[str], None] | None = None, private_key: str | Path | None = None) -> object:
        """Read the field exports (and the entry dashboard's submissions) with
        the form, validate, run the quality checks and write the ingest stage
        as a whole. Returns toolkit.ingest.pipeline.IngestResult."""
        from toolkit.forms.reader import read_xlsform
        from toolkit.ingest.pipeline import run_ingest, write_outputs
        from toolkit.ingest.quality import QualitySettings, load_centroids

        lang = lang or self.lang
        fpath = Path(form) if form else form_path()
        if not fpath.exists():
            raise UserError("common.file_not_found", path=str(fpath))
        fm = read_xlsform(fpath)
        if not fm.ok:
            raise UserError("ingest.form_unusable", path=str(fpath), detail=fm.errors[0].message())
        table = self.evaluation.extra.get("quality", {}) if isinstance(self.evaluation.extra, dict) else {}
        settings = QualitySettings.from_mapping(table)
        centroids = load_centroids(self.root / settings.centroids) if settings.centroids else None
        inputs = [Path(p) for p in exports]
        if include_entry:
            inputs += [p for p in self.entry_exports(fm) if p not in inputs]
        if not inputs:
            raise UserError("project.no_exports", path=str(self.paths.entry))
        from toolkit.ingest.unseal import odk_private_key, plain_inputs

        with plain_inputs(inputs, self.paths.output, form=fm,   # encrypted inputs opened for this run only
                          private_key=private_key or odk_private_key(self.evaluation)) as inputs:
            result = run_ingest(inputs, fm, corrections=corrections, settings=settings, centroids=centroids,
                                lang=lang, platform=platform, encoding=encoding, form_path=str(fpath.resolve()),
                                progress=progress)
            from toolkit.maps.location import check_submissions   # location integrity (issue 22, toolkit/maps)
            result.quality["location"] = check_submissions(result.submissions.main, fm, table, self.root, lang)
            folder = Path(out) if out else self.paths.ingest   # photos are copied from the inputs here
            write_stage(folder, lambda tmp: write_outputs(result, tmp, lang),
                        {"stage": "ingest", "created": _now(), "read": result.read, "accepted": result.accepted,
                         "quarantined": result.quarantined,
                         "excluded_by_review": int(result.extra.get("excluded_by_review", 0))})
        return result

    # --- field dispositions ---------------------------------------------------------------

    def save_dispositions(self, frame: pd.DataFrame) -> Path:
        """Keep the field's dispositions table (``field/dispositions.csv``:
        archive_id, code, visits, replaced_by, role …), atomically, 0600."""
        from toolkit.tables import write_table

        p = self.paths.dispositions
        p.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_table(frame, p)
        private(p)
        seal_file(p)   # encrypted when the project has a key
        return p

    def field_record(self, sample: SampleFiles, submissions: pd.DataFrame) -> FieldRecord:
        """The dispositions from the field, reconciled
        (toolkit.sampling.field_dispositions.reconcile): the dispositions
        table (``field/dispositions.csv``), the returned visit lists
        (``field/visit_lists/*.xlsx``) and the questionnaire's visit result.
        ``frame`` is None when none of them records anything yet (then
        completed visits are taken as the respondents); reserves released
        against the rule are in ``set_aside`` and never counted."""
        from toolkit.sampling import field_dispositions as fd

        table_path = self.paths.dispositions_file()
        lists = sorted(p for p in self.paths.returned_lists.glob("*.xlsx") if not p.name.startswith("~$")) \
            if self.paths.returned_lists.exists() else []
        parts = [fd.read_visit_lists(lists)] if lists else []
        if table_path is not None:
            parts.append(_table_as_lines(pd.read_csv(source(table_path), dtype=str, keep_default_na=False), table_path))
        lines = pd.concat(parts, ignore_index=True) if parts else None
        rec = fd.reconcile(_units(sample), lines, submissions, lang=self.lang)
        sources = tuple(str(p) for p in ([table_path] if table_path else []) + lists)
        return FieldRecord(rec.frame if rec.any else None, rec.problems, sources, rec.set_aside)

    def progress(self) -> object:
        """Field progress against the drawn sample (toolkit.project.progress):
        per team and township assigned, released, completed, refused, not at
        home, outstanding; daily completions; outside visits listed. From the
        latest ingest and field record: no verification needed."""
        from toolkit.project.progress import field_progress
        from toolkit.verify.load import load_visits
        from toolkit.verify.run import split_outside

        sample = self.sample()
        if (self.paths.ingest / "submissions.parquet").exists():
            visits = load_visits(self.paths.ingest)
        else:
            from toolkit.verify.load import VisitData

            empty = pd.DataFrame(columns=["KEY", "archive_id", "visit_result", "today"])
            visits = VisitData(empty, pd.DataFrame(), pd.DataFrame())
        field = self.field_record(sample, visits.submissions)
        ids = visits.submissions["archive_id"] if "archive_id" in visits.submissions else pd.Series(dtype=str)
        units = population(sample, field.frame, ids, set_aside=field.set_aside)
        kept, outside = split_outside(visits, units["archive_id"])
        s = self.evaluation.extra.get("sampling", {}) if isinstance(self.evaluation.extra, dict) else {}
        teams = s.get("teams") if isinstance(s, dict) and isinstance(s.get("teams"), dict) else None
        return field_progress(sample.units, sample.reserves, field.frame, kept.submissions, outside, teams)

    # --- verify -------------------------------------------------------------------------

    def inputs_fingerprint(self) -> str:
        """SHA-256 over the verification's inputs (path, size, modification
        time) and the settings that change a number: a stored result with
        another fingerprint is out of date."""
        return hashlib.sha256(json.dumps(self.inputs_stamp()).encode()).hexdigest()

    def inputs_stamp(self) -> list:
        """What :meth:`inputs_fingerprint` hashes: [path, size, mtime_ns] per
        input file, then the review decisions' and the document review's
        fingerprints. Stored in the results' meta.json beside the hash, so
        that a result judged out of date can say which input changed."""
        p = self.paths
        files = [self.root / config_mod.CONFIG_NAME, self.evaluation.path("roster"),
                 *sorted(p.sample.glob("*.csv")), p.sample / "manifest.json",
                 *sorted(p.ingest.glob("*.parquet")), p.ingest / "meta.json"]
        d = p.dispositions_file()
        if d:
            files.append(d)
        if p.returned_lists.exists():
            files += sorted(p.returned_lists.glob("*.xlsx"))
        stamp = [(str(f), f.stat().st_size, f.stat().st_mtime_ns) if f.exists() else (str(f), -1, 0) for f in files]
        stamp.append(("review decisions", self.decisions().fingerprint(), 0))   # a new decision makes results stale
        from toolkit.checklist import fingerprint as documents   # so does a document review entry (issue 19)

        docs = documents(self)
        # no document review entry yet reads the same before and after the store's round exists: the first
        # verification creates that round (record), and "none" → the hash of zero entries made every first
        # result out of date at once (the report then verified everything again)
        stamp.append(("document review", "none" if docs == _NO_DOCUMENTS else docs, 0))
        return [list(x) for x in stamp]

    def decisions(self, round_name: str | None = None) -> object:
        """The evaluators' review decisions of this round in the store
        (toolkit.project.review.Decisions; none before the store exists)."""
        from toolkit.project.review import load_decisions

        return load_decisions(self.evaluation, round_name or self.current_round())

    def verify(self, *, ci: str | None = None, record: bool = True, out: str | Path | None = None,
               round_name: str | None = None, lang: str | None = None) -> Results:
        """Verify the sampled visits against the roster, estimate every
        indicator with the sample's design and write the results stage; the
        run is also kept in the evaluation store (``record``). The drawn
        sample is the population: visits to other households are listed in
        ``Results.outside``. ``lang``: language of the people's copies
        (scorecard.csv/xlsx; default the project's). UserError (in words)
        when a stage is missing or nobody in the sample has been interviewed yet."""
        from toolkit.verify.load import load_visits
        from toolkit.verify.roster_once import read_roster, validate   # the draw's read, when unchanged
        from toolkit.project import review as rv
        from toolkit.verify.run import apply_review, evaluate, split_outside

        ev = self.evaluation
        method = self.ci_method(ci)
        k = self.small_cell()
        stamp = self.inputs_stamp()
        fingerprint = hashlib.sha256(json.dumps(stamp).encode()).hexdigest()
        roster_path = ev.path("roster")
        if not roster_path.exists():
            raise UserError("verify.no_roster", path=str(roster_path))
        sample = self.sample()
        if not (self.paths.ingest / "submissions.parquet").exists():
            raise UserError("project.no_visits_yet", path=str(self.paths.ingest))
        visits = load_visits(self.paths.ingest)
        roster = read_roster(roster_path, project=ev)   # the project's snapshot when another process read it
        problems = validate(roster, ev)
        field = self.field_record(sample, visits.submissions)
        ids = visits.submissions["archive_id"] if "archive_id" in visits.submissions else pd.Series(dtype=str)
        units = population(sample, field.frame, ids, set_aside=field.set_aside)
        visits, outside = split_outside(visits, units["archive_id"])
        res = evaluate(roster.frame, visits, units, ev, psus=sample.psus, strata_sizes=sample.sizes,
                       problems=problems, ci=method)
        res = replace(res, outside_visits=outside)
        rname = round_name or self.current_round()
        dec = self.decisions(rname)
        as_found = res
        res = apply_review(res, units, ev, overturned=dec.overturned, rejected=dec.rejected_keys, psus=sample.psus,
                           strata_sizes=sample.sizes, ci=method)
        if len(res.frame) == 0:
            raise UserError("project.no_respondents", path=str(self.paths.ingest), outside=res.outside)
        counties = [c.name for c in ev.counties]
        households = summaries.satisfaction_answers(res.frame, visits.submissions)
        sat = summaries.satisfaction_tables(households)
        fb = summaries.findings_by_type(res.findings.evidence, res.findings.households)
        rejected_ids = set(visits.submissions.loc[text_in(visits.submissions["KEY"].astype(str), dec.rejected_keys),
                                                  "archive_id"].astype(str))
        disp = field.frame   # a rejected submission's household is no longer completed: undisposed (unknown);
        # the stored dispositions are these too, so RR1 and every table of them agree
        if disp is not None and rejected_ids:
            disp = disp[~text_in(disp["archive_id"].astype(str), rejected_ids)].reset_index(drop=True)
        response = summaries.response_rates(sample.manifest, disp, counties)
        seed = str((sample.manifest.get("seed") or {}).get("value", ""))
        fraction = rv.share(ev)
        qsheets = rv.quality_sheets(self.paths.ingest)   # one read of quality.xlsx for the queue and the counts
        queue = rv.queue(as_found.findings.evidence, visits.submissions, dec, seed=seed, fraction=fraction,
                         quality=rv.quality_keys(self.paths.ingest, visits.submissions["KEY"], qsheets))
        done, total = rv.progress(queue)
        by_type = rv.summary(as_found.findings.evidence, queue, dec)
        overturned = dec.findings[dec.findings["decision"] == "overturned"].merge(
            as_found.findings.households[["archive_id", "county"]].astype(str), on="archive_id", how="left")
        in_sample = set(res.frame["archive_id"].astype(str)) | set(units["archive_id"].astype(str))
        rframe = roster.frame
        roster_rows = rframe[text_in(rframe["archive_id"].astype(str), in_sample)].reset_index(drop=True)
        prob = problems.groupby(["column", "rule", "severity"]).size().rename("count").reset_index() \
            if len(problems) else pd.DataFrame(columns=["column", "rule", "severity", "count"])
        ingest_meta = _json(self.paths.ingest / "ingest.json")
        from toolkit.ingest.issues_file import read_issues

        issues = read_issues(self.paths.ingest)
        quality = {k: int(len(v)) for k, v in qsheets.items()}   # quality.xlsx read once (above)
        ct = res.findings.comparison.table.copy()
        for c in ("archive_value", "visit_value"):
            ct[c] = ct[c].astype("string")
        tables = {"scorecard": res.scorecard, "households": households, "findings": res.findings.evidence,
                  "findings_by_type": fb, "payments": res.findings.payments, "comparison": ct,
                  "outside": res.outside_visits, "response": response, "roster": roster_rows,
                  "roster_problems": prob, "visits_submissions": visits.submissions,
                  "visits_member": visits.members, "visits_payment": visits.payments,
                  "dispositions": disp, "issues": issues, "review_queue": queue,
                  "review_by_type": by_type, "review_overturned": overturned,
                  "review_submissions": dec.submissions if len(dec.submissions) else None,
                  "field_problems": field.problems if len(field.problems) else None}
        from toolkit.verify import interviewers as iv   # issue 18: interviewer effects, ICC and deff

        tables.update(iv.tables(households, visits.submissions, res.scorecard))
        from toolkit.project import rounds as rounds_mod   # issue 19: change since the last round

        tables["change"] = rounds_mod.change_table(self, households)
        from toolkit.sampling.reserves import RR_DEFINITION
        meta = {"stage": "verify", "created": _now(), "fingerprint": fingerprint, "inputs": stamp, "ci": method, "small_cell": k,
                "round": rname, "rr_definition": RR_DEFINITION, "roster": str(roster_path),
                "roster_rows": len(rframe), "interviewed": len(res.frame), "outside": res.outside,
                "released": int(len(units)), "dispositions": bool(field.frame is not None),
                "field_sources": list(field.sources), "field_problems": len(field.problems), "manifest": sample.manifest, "ingest": ingest_meta,
                "quality": quality, "timings": res.timings,
                "review": {"share": fraction, "queue": total, "reviewed": done, "decisions": len(dec.findings),
                           "overturned": int((dec.findings["decision"] == "overturned").sum()),
                           "rejected": len(dec.rejected_keys), "fingerprint": dec.fingerprint()}}
        folder = Path(out) if out else self.paths.verify

        def write(tmp: Path) -> None:
            from toolkit.verify import scorecard as sc
            from toolkit.tables import write_table

            write_tables(tmp, tables, sat)
            sc.write(res.scorecard, tmp, lang or self.lang)
            from toolkit.checklist.scorecard import write_beside   # document review beside (issue 19)

            write_beside(self, res.scorecard, tmp, lang or self.lang)
            from toolkit.verify.compare_words import comparison_words

            cmp_lang = lang or self.lang
            write_table(comparison_words(res.findings.comparison.by_field(), cmp_lang), tmp / "comparison_by_field.csv")
            write_table(comparison_words(res.findings.comparison.by_enumerator(), cmp_lang),
                        tmp / "comparison_by_enumerator.csv")
            if len(field.problems):
                write_table(field.problems, tmp / "field_problems.csv")

        write_stage(folder, write, meta)
        if out is None:
            self._keep_round(rname, res.scorecard)
        results = read_results(folder, ev, self.earlier_rounds())
        if out is None:   # what the leadership dashboard reads: de-identified, plain, no key needed
            from toolkit.project.leadership_extract import write as write_leadership

            write_leadership(ev, results)
        if record:
            self.record(results)
        return results

    def results(self, *, refresh: bool = False) -> Results:
        """The stored verification. ``refresh``: verify again first when there is
        none or an input changed since (the fingerprint differs)."""
        if refresh and self.is_stale():
            return self.verify()
        return read_results(self.paths.verify, self.evaluation, self.earlier_rounds())

    def is_stale(self) -> bool:
        """True when there are no stored results or their inputs changed."""
        meta = _json(self.paths.verify / "meta.json")
        return not meta.get("complete") or meta.get("fingerprint") != self.inputs_fingerprint()

    def stale_inputs(self) -> list[str]:
        """The inputs whose stamp differs from the stored result's (names as
        :meth:`inputs_stamp` gives them; empty when none changed or the
        result predates stored stamps)."""
        meta = _json(self.paths.verify / "meta.json")
        old = {str(x[0]): x[1:] for x in meta.get("inputs") or []}
        new = {str(x[0]): x[1:] for x in self.inputs_stamp()}
        return sorted(k for k in old.keys() | new.keys() if old.get(k) != new.get(k)) if old else []

    # --- rounds and the store -------------------------------------------------------------

    def current_round(self) -> str:
        """This round's name: ``[project] round`` of evaluation.toml, else "current"."""
        p = self.evaluation.extra.get("project", {}) if isinstance(self.evaluation.extra, dict) else {}
        return str(p.get("round", "") if isinstance(p, dict) else "") or "current"

    def earlier_rounds(self) -> dict[str, pd.DataFrame]:
        """{round name: raw scorecard} of earlier rounds (``rounds/<name>/scorecard.parquet``)."""
        d = self.paths.rounds
        files = sorted(d.glob("*/scorecard.parquet")) if d.exists() else []
        return {p.parent.name: pd.read_parquet(p) for p in files if p.parent.name != self.current_round()}

    def _keep_round(self, name: str, scorecard: pd.DataFrame) -> Path:
        """This round's scorecard where :meth:`earlier_rounds` reads it
        (``rounds/<name>/scorecard.parquet``, written atomically, 0600), so
        that once the project moves to its next round the comparison reads
        what verify wrote."""
        from toolkit.tables import atomic_path

        safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in name).strip(".") or "current"
        d = self.paths.rounds / safe
        d.mkdir(parents=True, exist_ok=True, mode=0o700)
        p = d / "scorecard.parquet"
        with atomic_path(p) as tmp:
            scorecard.to_parquet(tmp, index=False)
        private(p)
        return p

    def record(self, results: Results) -> int:
        """Keep the verification in the evaluation store (toolkit.store): roster
        snapshot hash, manifest and units, dispositions, submission keys and
        findings, in this round (the one review notes attach to). Idempotent;
        a re-run with changed values goes to the audit log. Returns the round id."""
        from toolkit.store import open_store

        m = results.manifest
        subs = results.submissions
        e = results.evidence
        findings = pd.DataFrame({"archive_id": e["archive_id"], "finding_type": e["finding"],
                                 "verdict": e["flagged"].map({True: "flagged", False: "clear"}).astype(str),
                                 "rule": e["rule"].astype(str), "value_archive": e["archive_value"].astype(str),
                                 "value_visit": e["visit_value"].astype(str)})
        keys = pd.DataFrame({"key": subs["KEY"].astype(str), "archive_id": subs["archive_id"].astype(str),
                             "form_id": "household_visit", "status": "accepted"})
        if "form_version" in subs:
            keys["form_version"] = subs["form_version"].astype(str)
        if "_review_state" in subs:
            keys["review_state"] = subs["_review_state"].astype(str)
        keys = pd.concat([keys, self._excluded_keys()], ignore_index=True).drop_duplicates("key")
        with open_store(self.evaluation) as st:
            rid = st.ensure_round(str(results.meta.get("round", "current")))
            st.save_snapshot(m["roster"], source_name=Path(str(results.meta.get("roster", "roster"))).name)
            st.save_manifest(m, round_id=rid)
            d = results.dispositions
            if d is not None and len(d):
                cols = [c for c in ("archive_id", "code", "visits", "replaced_by") if c in d]
                st.save_dispositions(d[cols].astype({"archive_id": str}), rid, by="fieldeval verify")
            st.save_submission_keys(keys, rid)
            st.save_findings(findings, rid)
        return rid

    def _excluded_keys(self) -> pd.DataFrame:
        """Submissions the platform's reviewer rejected (ingest ``_status =
        excluded``), kept in the store as quarantined with the state as the reason."""
        p = self.paths.ingest / "submissions.parquet"
        cols = ["key", "archive_id", "form_id", "status", "reason", "review_state"]
        if not p.exists():
            return pd.DataFrame(columns=cols)
        m = pd.read_parquet(source(p), columns=None)
        if "_status" not in m:
            return pd.DataFrame(columns=cols)
        x = m[m["_status"].astype(str) == "excluded"]
        ids = x["archive_id"].astype(str) if "archive_id" in x else pd.Series("", index=x.index)
        state = x["_review_state"].astype(str) if "_review_state" in x else pd.Series("rejected", index=x.index)
        return pd.DataFrame({"key": x["KEY"].astype(str), "archive_id": ids, "form_id": "household_visit",
                             "status": "quarantined", "reason": "platform review state: " + state,
                             "review_state": state})

    def store_location(self) -> str:
        """Where the store is, in words a person can check: the database URL
        with any password removed, or the SQLite file."""
        from toolkit.store.connect import resolve_url, shown

        url = resolve_url(self.evaluation)
        return url.database if url.drivername.startswith("sqlite") and url.database else shown(url)


def _units(sample: SampleFiles) -> pd.DataFrame:
    keep = ["archive_id", "stratum", "psu", "role", "reserve_rank"]
    sel = sample.units.assign(role="selected", reserve_rank=float("nan"))
    res = sample.reserves.assign(role="reserve")
    if "reserve_rank" not in res:
        res["reserve_rank"] = float("nan")
    return pd.concat([sel[keep], res[keep]], ignore_index=True)


def _table_as_lines(table: pd.DataFrame, path: Path) -> pd.DataFrame:
    """A dispositions table (archive_id, code, visits, replaced_by, role) as
    the lines of a returned visit list, so that one reconciliation reads both."""
    t = table.copy()
    role = t.get("role", pd.Series("selected", index=t.index)).astype(str).str.strip()
    t["role"] = role.replace({"selected": "sample"})
    rep = t.get("replaced_by", pd.Series("", index=t.index)).astype(str).str.strip()
    replaces = dict(zip(rep[rep != ""], t.loc[rep != "", "archive_id"].astype(str)))
    t["replaces"] = t["archive_id"].astype(str).map(replaces).fillna("")
    t["released"] = t["role"].eq("reserve")
    t["code_text"] = t.get("code", pd.Series("", index=t.index)).astype(str)
    t["visits"] = pd.to_numeric(t.get("visits", pd.Series(index=t.index, dtype=float)), errors="coerce")
    t["reserve_rank"] = float("nan")
    t["file"], t["sheet"], t["row"] = str(path), "", range(2, len(t) + 2)
    from toolkit.sampling.field_dispositions import LIST_COLUMNS, normalise_codes

    t["code"] = normalise_codes(t["code_text"])
    for c in LIST_COLUMNS:
        if c not in t:
            t[c] = pd.NA
    return t[list(LIST_COLUMNS)]


#: toolkit.checklist.fingerprint of a round with no document review entry and no statement
_NO_DOCUMENTS = hashlib.sha256(json.dumps([[0, None], [0, None]]).encode()).hexdigest()


def _json(path: Path) -> dict:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


__all__ = ["Project", "FieldRecord", "form_path", "DEFAULT_FORM"]
