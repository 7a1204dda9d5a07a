"""The evaluator's review: the queue, its decisions, and how they reach the numbers.

The queue of a round (:func:`queue`) holds

* every household with a finding (one item per flagged finding),
* every submission held by a quality check (its KEY appears in a sheet of
  ``output/ingest/quality.xlsx``) or by its platform state (has issues, on
  hold, an unrecognised state: toolkit.ingest.review_state),
* a random share of the rest, ``[review] share`` of evaluation.toml
  (default 10 %), drawn with the sample's hash tickets
  (toolkit.sampling.tickets, seed = the manifest's seed + ``"|review"``), so
  the same project always draws the same households;

held and random households come with every finding in their denominators
(flagged or not), so a reviewer can confirm a clear verdict too. Each item
carries its evidence in words and an evidence hash (SHA-256 of household,
finding, verdict, archive value, visit value and rule; 16 hex digits): an
xlsx row whose hash no longer matches the current evidence is refused on
import.

Decisions (store: ``Store.decide`` / ``Store.decisions``): per household ×
finding confirmed / overturned / unclear, with who, when and why in the
append-only audit log; the latest counts. Submission statuses
(``Store.set_submission_status``): to review, approved, rejected, sent back.
:func:`apply_decisions` (toolkit.verify.run.apply_review) is what
``Project.verify`` does with them: an overturned finding no longer counts in
its indicator, a rejected submission leaves the sample as a non-response.
"""
from __future__ import annotations

import getpass
import hashlib
import math
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from toolkit.vault import source

from toolkit.errors import UserError
from toolkit.i18n import t
from toolkit.verify.text_in import text_in

DEFAULT_SHARE = 0.10
QUEUE_COLUMNS = ["archive_id", "KEY", "county", "finding", "flagged", "archive_value", "visit_value", "rule",
                 "why", "platform_state", "evidence_hash", "decision", "decided_by", "decided_at", "reason", "status"]
WHY = ("finding", "platform", "quality", "random")


@dataclass(frozen=True, eq=False)
class Decisions:
    """What the store holds for a round: ``findings`` (archive_id,
    finding_type, decision, who, why, at; the latest per household ×
    finding) and ``submissions`` (key, archive_id, status, comment, who, why,
    at; the latest per key)."""

    findings: pd.DataFrame
    submissions: pd.DataFrame

    @property
    def overturned(self) -> pd.DataFrame:
        """archive_id, finding_type of the findings overturned."""
        f = self.findings
        return f.loc[f["decision"] == "overturned", ["archive_id", "finding_type"]].reset_index(drop=True)

    @property
    def rejected_keys(self) -> set[str]:
        """Submission KEYs an evaluator rejected."""
        s = self.submissions
        return set(s.loc[s["status"] == "rejected", "key"].astype(str)) if len(s) else set()

    def fingerprint(self) -> str:
        """SHA-256 over the decisions and statuses (a new one makes results stale)."""
        cols_f = ["archive_id", "finding_type", "decision", "who", "why", "at"]
        cols_s = ["key", "status", "comment", "who", "why", "at"]
        text = self.findings.reindex(columns=cols_f).astype(str).to_csv(index=False) + \
            self.submissions.reindex(columns=cols_s).astype(str).to_csv(index=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    @property
    def count(self) -> int:
        return len(self.findings) + len(self.submissions)


def empty_decisions() -> Decisions:
    return Decisions(pd.DataFrame(columns=["archive_id", "finding_type", "decision", "who", "why", "at"]),
                     pd.DataFrame(columns=["key", "archive_id", "status", "comment", "who", "why", "at"]))


def load_decisions(evaluation: object, round_name: str) -> Decisions:
    """The decisions of round ``round_name`` in the project's store; none
    when the store does not exist yet (a SQLite file not yet written) or has
    no such round. Never creates the store."""
    from toolkit.store import open_store
    from toolkit.store.connect import resolve_url

    url = resolve_url(evaluation)
    if url.drivername.startswith("sqlite") and url.database and not Path(url.database).exists():
        return empty_decisions()
    with open_store(evaluation) as st:
        rid = st.round_id(round_name)
        if rid is None:
            return empty_decisions()
        d = st.decisions(rid)
        s = st.submission_reviews(rid)
    if not len(s):
        s = empty_decisions().submissions
    return Decisions(d.drop(columns=["round_id"]), s.drop(columns=["round_id", "id"], errors="ignore"))


def share(evaluation: object) -> float:
    """``[review] share`` (a share 0–1; a number above 1 read as percent), default 10 %."""
    extra = getattr(evaluation, "extra", {}) or {}
    table = extra.get("review", {}) if isinstance(extra, dict) else {}
    raw = table.get("share", DEFAULT_SHARE) if isinstance(table, dict) else DEFAULT_SHARE
    try:
        v = float(raw)
    except (TypeError, ValueError):
        raise UserError("review.bad_share", value=str(raw)) from None
    v = v / 100.0 if v > 1 else v
    if not 0 <= v <= 1 or math.isnan(v):
        raise UserError("review.bad_share", value=str(raw))
    return v


def who_default(who: str | None = None) -> str:
    """The reviewer: under JupyterHub the signed-in hub user (a typed name is
    ignored: toolkit.hub.roles.who); else ``who`` when given, else the logged-in OS user."""
    from toolkit.hub.roles import hub_user

    if hub_user():
        return str(hub_user())
    if who and str(who).strip():
        return str(who).strip()
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return os.environ.get("USER") or os.environ.get("USERNAME") or "unknown"


def evidence_hash(ev: pd.DataFrame) -> pd.Series:
    """16 hex digits of SHA-256 over household, finding, verdict, archive
    value, visit value and rule (see the module doc)."""
    parts = [ev[c].astype("string").fillna("") for c in ("archive_id", "finding")]
    parts.append(ev["flagged"].astype(bool).map({True: "1", False: "0"}).astype("string"))
    parts += [ev[c].astype("string").fillna("") for c in ("archive_value", "visit_value", "rule")]
    joined = parts[0]
    for p in parts[1:]:
        joined = joined + "\x1f" + p
    fast = _sha256_16(joined)
    if fast is not None:
        return fast
    return joined.map(lambda s: hashlib.sha256(s.encode("utf-8")).hexdigest()[:16]).astype(object)


def _sha256_16(text: pd.Series) -> pd.Series | None:
    """The first 16 hex digits of SHA-256 of each text's UTF-8 bytes, hashed
    in Rust (polars-hash, bit-identical to ``hashlib``; the draw's tickets
    use it too), or None when polars-hash is missing or a text cannot be
    taken (the caller then hashes one value at a time)."""
    try:
        import polars as pl
        import polars_hash  # noqa: F401  (registers the ``chash`` namespace)

        col = pl.Series("t", text.astype(object).tolist(), dtype=pl.String)
        out = pl.DataFrame({"t": col}).select(pl.col("t").chash.sha2_256().str.slice(0, 16)).get_column("t").to_list()
    except Exception:   # noqa: BLE001 - any failure: the hashlib way
        return None
    return pd.Series(out, index=text.index, dtype=object)


_WORDS = {  # evidence codes -> words (zh, en)
    "net_pc=": ("核实人均月收入 ", "verified income per person per month "),
    "line=": ("认定标准 ", "line "),
    "低保=": ("低保标准 ", "低保 line "),
    "×低保=": ("倍低保标准 ", "× 低保 line "),
    "; exclusion": ("；有排除情形", "; an exclusion applies"),
    "; months=": ("；连续高于标准月数 ", "; months above the line "),
    "; H3=yes": ("；调查员认定应退出", "; the interviewer judged it should exit"),
    "; H3≠yes": ("；调查员未认定应退出", "; the interviewer did not judge it should exit"),
    "helper on file": ("档案有帮扶人", "a helper on file"),
    "no helper on file": ("档案无帮扶人", "no helper on file"),
    "unknown": ("不清楚", "unknown"),
}


def _words(values: pd.Series, lang: str) -> pd.Series:
    i = 0 if lang == "zh" else 1
    v = values.astype("string").fillna("")
    for code in sorted(_WORDS, key=len, reverse=True):
        v = v.str.replace(code, _WORDS[code][i], regex=False)
    yes, no = t("review.yes", lang), t("review.no", lang)
    return v.replace({"yes": yes, "no": no, "": "—"})


def finding_words(finding: pd.Series, lang: str = "zh") -> pd.Series:
    """A finding's name in words (toolkit.labels.finding_names: archive_mismatch:<field>
    → 档案信息不符：<field label>); a queue item with no finding (held or drawn at
    random) reads as the random-share reason."""
    from toolkit.labels import finding_names

    f = finding.astype("string").fillna("")
    return finding_names(f, lang).where(f != "", t("review.why.random", lang)).astype(object)


def evidence_words(ev: pd.DataFrame, lang: str = "zh") -> pd.Series:
    """The evidence of each row in words: archive value, visit value, the finding's name.
    A compared field's values are the form's choice labels (toolkit.labels.value_words,
    so both sides read alike: 失业 / 失业); a verdict's composite evidence
    ("net_pc=…; months=…") is put in words by :func:`_words`."""
    from toolkit.labels import MISMATCH, value_words

    a, v = _words(ev["archive_value"], lang), _words(ev["visit_value"], lang)
    f = ev["finding"].astype("string").fillna("")
    for code in pd.unique(f[f.str.startswith(MISMATCH)]):
        m = (f == code).to_numpy()
        field = str(code)[len(MISMATCH):]
        a[m] = value_words(ev["archive_value"][m], field, lang).replace("", "—").to_numpy(dtype=object)
        v[m] = value_words(ev["visit_value"][m], field, lang).replace("", "—").to_numpy(dtype=object)
    name = finding_words(ev["finding"], lang)
    return pd.Series([t("review.evidence", lang, archive=x, visit=y, rule=z) for x, y, z in zip(a, v, name)],
                     index=ev.index, dtype=object)


def quality_sheets(ingest_dir: Path) -> dict[str, pd.DataFrame]:
    """Every sheet of the ingest's ``quality.xlsx`` as text ({} when there is
    none), read once per verification through python-calamine: the review
    queue's keys and the stored sheet counts both come from this one read."""
    from toolkit.ingest.files import ENGINE

    p = Path(ingest_dir) / "quality.xlsx"
    if not p.exists():
        return {}
    return {str(k): v for k, v in pd.read_excel(source(p), sheet_name=None, dtype=str, engine=ENGINE).items()}


def quality_keys(ingest_dir: Path, keys: pd.Series, sheets: dict[str, pd.DataFrame] | None = None) -> set[str]:
    """Submission KEYs named in any sheet of ``quality.xlsx`` (held by a quality
    check); ``sheets``: that workbook already read (:func:`quality_sheets`)."""
    p = Path(ingest_dir) / "quality.xlsx"
    if sheets is None and not p.exists() or not len(keys):
        return set()
    known = set(keys.astype(str))
    found: set[str] = set()
    cells = [frame[c].dropna().astype(str) for frame in (quality_sheets(ingest_dir) if sheets is None
                                                         else sheets).values() for c in frame.columns]
    if cells:   # every cell at once, one look-up: only the cells that name a KEY become Python text
        vals = pd.concat(cells, ignore_index=True).astype(str)
        found |= set(vals[text_in(vals, known).to_numpy()])
    return found


def random_pick(ids: pd.Series, seed: str, fraction: float) -> set[str]:
    """ceil(fraction × n) households with the smallest hash tickets
    (seed + ``|review``): reproducible, independent of the order given."""
    from toolkit.sampling.tickets import iter_ids, ticket_order, tickets

    ids = pd.Series(sorted(set(iter_ids(ids.astype(str)))), dtype=object)
    if not len(ids) or fraction <= 0:
        return set()
    k = min(len(ids), math.ceil(fraction * len(ids) - 1e-9))
    order = ticket_order(tickets(list(ids), f"{seed}|review"), ids.to_numpy(dtype=object))
    return set(ids.iloc[order[:k]])


def _distinct(s: pd.Series) -> set:
    """``set(s)``: the distinct values taken first (in Arrow for Arrow text),
    so only they become Python objects, not every one of ~200,000 findings."""
    return set(s.unique().tolist())


def queue(evidence: pd.DataFrame, submissions: pd.DataFrame, decisions: Decisions, *, seed: str,
          fraction: float = DEFAULT_SHARE, quality: set[str] | None = None) -> pd.DataFrame:
    """The review queue (QUEUE_COLUMNS), see the module doc. ``evidence``:
    the verification's findings (as found); ``submissions``: the sampled
    households' accepted submissions (KEY, archive_id, ``_review_state``)."""
    from toolkit.ingest.review_state import HELD

    ev = evidence.copy()
    ev["archive_id"] = ev["archive_id"].astype(str)
    sub = submissions.assign(archive_id=submissions["archive_id"].astype(str), KEY=submissions["KEY"].astype(str))
    key_of = sub.drop_duplicates("archive_id", keep="last").set_index("archive_id")["KEY"]
    flagged = ev["flagged"].astype(bool)
    state = sub["_review_state"].astype(str) if "_review_state" in sub else pd.Series("received", index=sub.index)
    platform = _distinct(sub.loc[text_in(state, HELD).to_numpy(), "archive_id"])
    qual = _distinct(sub.loc[text_in(sub["KEY"], quality or set()).to_numpy(), "archive_id"])
    with_finding = _distinct(ev.loc[flagged, "archive_id"])
    rest = pd.Series(sorted(_distinct(ev["archive_id"]) - with_finding - platform - qual), dtype=object)
    rand = random_pick(rest, seed, fraction)
    why_hh = pd.Series({**{a: "random" for a in rand}, **{a: "quality" for a in qual},
                        **{a: "platform" for a in platform}}, dtype=object)
    items = ev[flagged | text_in(ev["archive_id"], set(why_hh.index))].copy()
    items["why"] = np.where(items["flagged"].astype(bool), "finding", items["archive_id"].map(why_hh).fillna(""))
    extra = sorted(set(why_hh.index) - _distinct(items["archive_id"]))   # held with no finding in any denominator
    if extra:
        items = pd.concat([items, pd.DataFrame({"archive_id": extra, "county": None, "finding": "", "flagged": False,
                                                "archive_value": "", "visit_value": "", "rule": "",
                                                "why": [why_hh[a] for a in extra]})], ignore_index=True)
    items["KEY"] = items["archive_id"].map(key_of).fillna("")
    state_of = pd.Series(state.to_numpy(), index=sub["archive_id"]).groupby(level=0).last()
    items["platform_state"] = items["archive_id"].map(state_of).fillna("received")
    items["evidence_hash"] = evidence_hash(items) if len(items) else pd.Series(dtype=object)
    d = decisions.findings.rename(columns={"finding_type": "finding", "who": "decided_by", "at": "decided_at",
                                           "why": "reason"})
    items = items.merge(d[["archive_id", "finding", "decision", "decided_by", "decided_at", "reason"]],
                        on=["archive_id", "finding"], how="left")
    s = decisions.submissions
    status = s.set_index("key")["status"] if len(s) else pd.Series(dtype=object)
    items["status"] = items["KEY"].map(status).astype(object).fillna("to_review")
    for c in ("decision", "decided_by", "reason"):
        items[c] = items[c].astype(object).where(items[c].notna(), "")
    order = {w: i for i, w in enumerate(WHY)}
    items["_o"] = items["why"].map(order)
    items = items.sort_values(["_o", "county", "archive_id", "finding"], na_position="last")
    return items[QUEUE_COLUMNS].reset_index(drop=True)


def progress(q: pd.DataFrame) -> tuple[int, int]:
    """(items reviewed, items in the queue): an item is reviewed when it has a
    decision or its submission has a status other than "to review"."""
    done = (q["decision"].astype(str) != "") | (q["status"].astype(str) != "to_review")
    return int(done.sum()), len(q)


def summary(evidence: pd.DataFrame, q: pd.DataFrame, decisions: Decisions) -> pd.DataFrame:
    """Per finding type: flagged, reviewed (a decision recorded), overturned (as counted)."""
    ev = evidence[evidence["flagged"].astype(bool)]
    flagged = ev.groupby("finding").size().rename("flagged")
    d = decisions.findings
    reviewed = d.groupby("finding_type").size().rename("reviewed")
    over = d[d["decision"] == "overturned"].groupby("finding_type").size().rename("overturned")
    out = pd.concat([flagged, reviewed, over], axis=1).fillna(0).astype(int)
    out.index.name = "finding"
    return out.reset_index()


__all__ = ["Decisions", "load_decisions", "empty_decisions", "share", "who_default", "evidence_hash",
           "evidence_words", "finding_words", "quality_keys", "random_pick", "queue", "progress", "summary",
           "DEFAULT_SHARE", "QUEUE_COLUMNS"]


# --- recording decisions (the CLI, the demo and the walkthrough's logic) ---------------------

def _results(project) -> object:  # noqa: ANN001 - toolkit.project.Project
    from toolkit.errors import FieldevalError

    try:
        return project.results()
    except FieldevalError:
        raise UserError("review.no_results", path=str(project.root)) from None


def _finding_code(evidence: pd.DataFrame, archive_id: str, finding: str) -> str:
    """The finding's code for a name given as code or in words (zh or en)."""
    e = evidence[evidence["archive_id"].astype(str) == str(archive_id).strip()]
    codes = e["finding"].astype(str)
    want = str(finding).strip()
    if want in set(codes):
        return want
    for lang in ("zh", "en"):
        words = finding_words(codes, lang)
        hit = codes[words.str.strip() == want]
        if len(hit):
            return str(hit.iloc[0])
    raise UserError("review.no_finding", archive_id=archive_id, finding=finding)


def household_findings(evidence: pd.DataFrame, archive_id: str) -> list[dict]:
    """One household's findings as the store keeps them (``Store.decide_household``'s
    ``findings``): archive id, finding type, verdict ('flagged'/'clear'), rule."""
    e = evidence[evidence["archive_id"].astype(str) == str(archive_id)]
    return [{"archive_id": str(a), "finding_type": f, "verdict": "flagged" if bool(fl) else "clear", "rule": str(r)}
            for a, f, fl, r in zip(e["archive_id"], e["finding"], e["flagged"], e["rule"])]


def decide(project, archive_id: str, finding: str, decision: str, why: str, who: str | None = None,  # noqa: ANN001
           *, results: object = None) -> object:
    """Record one decision on a household's finding in this round (the
    store's append-only audit keeps who, when, why). ``finding``: its code or
    its name in words; ``results``: the stored verification when the caller
    has read it already. Returns the store's Override."""
    from toolkit.hub.roles import require
    from toolkit.store import open_store

    require("review")   # supervisors only under the hub (issue 20), refused before anything is read
    res = results if results is not None else _results(project)
    aid = str(archive_id).strip()
    code = _finding_code(res.evidence, aid, finding)
    with open_store(project.evaluation) as st:   # one transaction: round, the household's findings, the decision
        return st.decide_household(project.current_round(), aid, code, decision, who_default(who), why,
                                   findings=household_findings(res.evidence, aid))


def set_status(project, submission: str, status: str, why: str, who: str | None = None,  # noqa: ANN001
               comment: str | None = None) -> int:
    """Record an evaluator's status of a submission (given by its KEY or its
    household's archive id): to_review, approved, rejected (leaves the sample
    as a non-response at the next verify), sent_back (with a comment)."""
    from toolkit.hub.roles import require
    from toolkit.store import open_store

    require("review")   # back-check results and submission statuses: supervisors only under the hub
    res = _results(project)
    sub = res.submissions
    s = str(submission).strip()
    hit = sub[(sub["KEY"].astype(str) == s) | (sub["archive_id"].astype(str) == s)]
    if not len(hit):
        raise UserError("review.no_submission", value=s)
    key, aid = str(hit["KEY"].iloc[-1]), str(hit["archive_id"].iloc[-1])
    with open_store(project.evaluation) as st:
        rid = st.ensure_round(project.current_round())
        return st.set_submission_status(key, status, who_default(who), why, round_id=rid, archive_id=aid,
                                        comment=comment)


def current_queue(project) -> pd.DataFrame:  # noqa: ANN001
    """The review queue of the stored verification with the store's current decisions."""
    res = _results(project)
    seed = str((res.manifest.get("seed") or {}).get("value", ""))
    return queue(res.evidence, res.submissions, project.decisions(), seed=seed, fraction=share(project.evaluation),
                 quality=quality_keys(project.paths.ingest, res.submissions["KEY"]))


SHEET_COLUMNS = ("archive_id", "county", "finding", "flagged", "evidence", "why_queued", "current", "decision",
                 "reason", "hash")


def workbook_frame(q: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """The queue as the reviewer's workbook shows it: words only, two empty
    columns to fill (decision, reason), the evidence hash last."""
    why = [t(f"review.why.{w}", lang, state=t(f"review.state.{s}", lang)) for w, s in
           zip(q["why"], q["platform_state"].astype(str))]
    cur = [t(f"review.decision.{d}", lang) if d else "" for d in q["decision"].astype(str)]
    flag = q["flagged"].astype(bool).map({True: t("review.yes", lang), False: t("review.no", lang)})
    return pd.DataFrame({
        t("review.col.archive_id", lang): q["archive_id"].astype(str),
        t("review.col.county", lang): q["county"].astype("string").fillna(""),
        t("review.col.finding", lang): finding_words(q["finding"], lang),
        t("review.col.flagged", lang): flag, t("review.col.evidence", lang): evidence_words(q, lang),
        t("review.col.why_queued", lang): why, t("review.col.current", lang): cur,
        t("review.col.decision", lang): "", t("review.col.reason", lang): "",
        t("review.col.hash", lang): q["evidence_hash"].astype(str)})


def export(project, out: str | Path | None = None, lang: str = "zh") -> tuple[Path, int, tuple[int, int]]:  # noqa: ANN001
    """Write the queue as xlsx (toolkit.tables.write_workbook; default
    ``output/review/review_queue.xlsx``, 0600). Returns (path, rows, (reviewed, total))."""
    from toolkit.project.stagefiles import private
    from toolkit.tables import Sheet, write_workbook

    q = current_queue(project)
    path = Path(out) if out else project.root / "output" / "review" / "review_queue.xlsx"
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    done = progress(q)
    write_workbook(path, {t("review.sheet", lang): Sheet(workbook_frame(q, lang), title=t("review.sheet_title", lang),
                                                          note=t("review.progress", lang, done=done[0], total=done[1]))},
                   freeze=True, autofilter=True)
    private(path)
    return path, len(q), done


def _header_map() -> dict[str, str]:
    out = {}
    for c in SHEET_COLUMNS:
        for lang in ("zh", "en"):
            out[t(f"review.col.{c}", lang)] = c
    return out


def _decision_word(text: str) -> str | None:
    v = str(text).strip()
    if not v:
        return None
    for d in ("confirmed", "overturned", "unclear"):
        if v.lower() in (d, t(f"review.decision.{d}", "zh"), t(f"review.decision.{d}", "en").lower()):
            return d
    return v   # the store refuses it in words


@dataclass(frozen=True)
class ImportResult:
    """Decisions recorded and rows refused (row, message)."""

    recorded: int
    refused: tuple[tuple[int, str], ...]


def import_workbook(project, path: str | Path, who: str | None = None, lang: str = "zh") -> ImportResult:  # noqa: ANN001
    """Read a workbook written by :func:`export` back: each row with a
    decision is recorded (who = ``who`` or the OS user; why = the row's
    reason), unless its evidence changed since the export (hash differs), the
    household × finding is no longer in the verification, or the reason is
    blank: those rows are refused, each with a message in words."""
    p = Path(path)
    if not p.exists():
        raise UserError("common.file_not_found", path=str(p))
    raw = _read_sheet(p)
    hm = _header_map()
    cols = {c: hm[c] for c in raw.columns if c in hm}
    missing = [c for c in ("archive_id", "finding", "decision", "reason", "hash") if c not in cols.values()]
    if missing:
        raise UserError("review.import_missing_columns", path=str(p),
                        columns=", ".join(t(f"review.col.{c}", lang) for c in missing))
    sheet = raw.rename(columns=cols)
    sheet = sheet[sheet["decision"].astype("string").fillna("").str.strip() != ""]
    res = _results(project)
    q = current_queue(project)
    q = q.assign(_words=finding_words(q["finding"], "zh"), _words_en=finding_words(q["finding"], "en"))
    refused: list[tuple[int, str]] = []
    n = 0
    who = who_default(who)
    for r in sheet.itertuples(index=False):   # rows a person filled in: a handful, not a data path
        aid, fw, row = str(r.archive_id).strip(), str(r.finding).strip(), int(r.row_no)
        cand = q[(q["archive_id"].astype(str) == aid) & ((q["_words"] == fw) | (q["_words_en"] == fw))]
        if not len(cand):
            refused.append((row, t("review.import_unknown", lang, path=p.name, row=row, archive_id=aid, finding=fw)))
            continue
        if str(r.hash).strip() not in set(cand["evidence_hash"].astype(str)):
            refused.append((row, t("review.import_stale", lang, path=p.name, row=row, archive_id=aid, finding=fw)))
            continue
        why = "" if pd.isna(r.reason) else str(r.reason).strip()
        if not why:
            refused.append((row, t("review.import_no_reason", lang, path=p.name, row=row)))
            continue
        try:
            decide(project, aid, str(cand["finding"].iloc[0]), _decision_word(r.decision) or "", why, who,
                   results=res)
        except UserError as e:       # e.g. a decision word not recognised: that row only
            refused.append((row, f"{p.name} {row}: {e.message(lang)}"))
            continue
        n += 1
    return ImportResult(n, tuple(refused))


def _read_sheet(p: Path) -> pd.DataFrame:
    """The first sheet of a review workbook, its header found on the first
    row that names the archive id column (the export puts a title above)."""
    from toolkit.safezip import check

    check(p)   # the workbook may come from anyone: bounded before it is inflated
    grid = pd.read_excel(p, sheet_name=0, header=None, dtype=str)
    heads = set(_header_map())
    for i in range(min(len(grid), 10)):
        if heads & set(grid.iloc[i].dropna().astype(str)):
            body = grid.iloc[i + 1:].copy()
            body.columns = [str(c) for c in grid.iloc[i]]
            body["row_no"] = body.index + 1   # the spreadsheet's row number (grid row 0 is sheet row 1)
            return body.dropna(how="all", subset=[c for c in body.columns if c != "row_no"])
    return pd.DataFrame()
