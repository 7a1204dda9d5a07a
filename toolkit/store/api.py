"""The ``Store``: frames in, frames out, every write one transaction.

Saves are idempotent where the data has a natural key (a snapshot by its
SHA-256, a manifest by the SHA-256 of its canonical JSON, a finding by
round/household/type/item, a disposition by round/household/time, a
submission by round/key): saving the same thing twice changes nothing. A row
saved again with a different value is a *correction*: it is updated and each
changed field is written to the audit log (value before and after) in the
same transaction. Notes and verdict overrides are only ever added, each with
its audit entry. The audit log itself has no update or delete here, and the
database refuses them (trigger).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from toolkit.errors import UserError
from toolkit.store import frames as F
from toolkit.store import schema as S

_FEW = 500
"""Up to this many distinct first-key values, an upsert reads only those stored rows."""
FINDING_KEY = ["archive_id", "finding_type", "item"]
FINDING_VALUES = ["verdict", "rule", "value_archive", "value_visit", "evidence"]
DISPOSITION_KEY = ["archive_id", "recorded_at"]
DISPOSITION_VALUES = ["code", "visits", "replaced_by", "recorded_by"]
SUBMISSION_KEY = ["key"]
SUBMISSION_VALUES = ["archive_id", "form_id", "form_version", "received_at", "status", "reason", "review_state"]
SUBMISSION_STATUSES = ("accepted", "quarantined")
#: an evaluator's decision on a finding (kept as a verdict override)
DECISIONS = ("confirmed", "overturned", "unclear")
#: older words of the walkthrough and of overrides, read as decisions
DECISION_WORDS = {"confirmed": "confirmed", "overturned": "overturned", "unclear": "unclear",
                  "rejected": "overturned", "overruled": "overturned"}
#: an evaluator's status of a submission
REVIEW_STATUSES = ("to_review", "approved", "rejected", "sent_back")


@dataclass(frozen=True)
class SaveResult:
    """What a save did: rows new, already there unchanged, and corrected
    (updated, with audit entries). ``id`` is the saved record's id when one
    record is saved (a manifest, a snapshot)."""

    table: str
    inserted: int
    unchanged: int
    updated: int = 0
    id: int | None = None


@dataclass(frozen=True)
class Override:
    """An evaluator's verdict override, with the verdict it replaced."""

    id: int
    round_id: int
    archive_id: str
    finding_type: str
    before: str | None
    after: str
    who: str
    why: str
    at: object


def _insert(conn: Connection, table: sa.Table):  # noqa: ANN202 - dialect Insert
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(table)


def _bulk_insert(conn: Connection, table: sa.Table, frame: pd.DataFrame, constants: dict,
                 conflict: list[str] | None) -> None:
    """Insert ``frame``'s rows (plus the same ``constants`` in every row)
    into ``table``, skipping rows whose ``conflict`` key is stored already,
    as ``INSERT … ON CONFLICT DO NOTHING`` executed once per row did (with
    ``conflict`` None: a plain INSERT, a stored key is an error), in one
    statement's worth of driver work: values are built column by column and
    passed through each column type's own bind processor (so SQLite keeps
    the same text for a time as SQLAlchemy writes), then SQLite gets one
    ``executemany`` on the driver cursor and PostgreSQL one ``COPY`` into a
    temporary table and one ``INSERT … SELECT … ON CONFLICT DO NOTHING`` in
    the rows' order (ids are given in that order, as before). Runs inside
    the caller's transaction."""
    cols = list(frame.columns) + list(constants)
    dialect = conn.dialect

    def bound(c: str, vals: list) -> list:
        """Through the column type's bind processor, once per distinct value
        (a run's one time stamp on 200,000 findings: one call, not 200,000)."""
        proc = table.c[c].type.dialect_impl(dialect).bind_processor(dialect)
        if proc is None:
            return vals
        try:
            done = {k: proc(k[1]) for k in {(type(v), v) for v in vals if v is not None}}
        except TypeError:   # a value that cannot be a dict key: one call per value, as before
            return [None if v is None else proc(v) for v in vals]
        return [None if v is None else done[(type(v), v)] for v in vals]

    values = [bound(c, v) for c, v in zip(frame.columns, F.column_values(frame))]
    values += [bound(c, [v])[0:1] * len(frame) for c, v in constants.items()]
    rows = list(zip(*values))
    q = dialect.identifier_preparer.quote
    names = ", ".join(q(c) for c in cols)
    on = f" ON CONFLICT ({', '.join(q(c) for c in conflict)}) DO NOTHING" if conflict else ""
    if dialect.name == "postgresql":
        cur = conn.connection.cursor()
        try:
            cur.execute(f"CREATE TEMP TABLE _fieldeval_bulk AS SELECT {names} FROM {q(table.name)} WITH NO DATA")
            cur.execute("ALTER TABLE _fieldeval_bulk ADD COLUMN _fieldeval_n bigint")
            with cur.copy(f"COPY _fieldeval_bulk ({names}, _fieldeval_n) FROM STDIN") as cp:
                for n, r in enumerate(rows):
                    cp.write_row((*r, n))
            cur.execute(f"INSERT INTO {q(table.name)} ({names}) SELECT {names} FROM _fieldeval_bulk "
                        f"ORDER BY _fieldeval_n{on}")
            cur.execute("DROP TABLE _fieldeval_bulk")
        finally:
            cur.close()
        return
    marks = ", ".join("?" for _ in cols)
    conn.exec_driver_sql(f"INSERT INTO {q(table.name)} ({names}) VALUES ({marks}){on}", rows)


def _latest(query: sa.Select, table: sa.Table, key: list, round_id: int | None, backend: str) -> sa.Select:
    """``query``'s rows that are the newest (highest id) of their ``key``,
    oldest first. SQLite: ids from ``max(id) … GROUP BY key`` on the key's
    covering index. PostgreSQL: one pass with ``row_number()`` over the
    round's rows, because it plans the ``IN (max …)`` self-join as a nested
    loop on a table it has not analysed yet (86 ms for 300 rows)."""
    if backend != "postgresql":
        newest = sa.select(sa.func.max(table.c.id)).group_by(*key)
        if round_id is not None:
            newest = newest.where(table.c.round_id == int(round_id))
        return query.where(table.c.id.in_(newest.scalar_subquery())).order_by(table.c.id)
    rn = sa.func.row_number().over(partition_by=key, order_by=table.c.id.desc()).label("_rn")
    inner = query.add_columns(rn)
    if round_id is not None:
        inner = inner.where(table.c.round_id == int(round_id))
    sub = inner.subquery()
    cols = [sub.c[c.key] for c in query.selected_columns]
    return sa.select(*cols).where(sub.c._rn == 1).order_by(sub.c.id)


def _who_why(who: object, why: object) -> tuple[str, str]:
    w, y = str(who or "").strip(), str(why or "").strip()
    if not w or not y:
        raise UserError("store.who_why_required")
    return w, y


def _few_times(table: sa.Table, frame: pd.DataFrame, key: list[str]) -> tuple[str, list] | None:
    """(key column, its distinct values) when a DateTime key column of
    ``frame`` holds at most ``_FEW`` distinct naive datetimes and nothing
    else, else None. A stored row can match a given row only when it has one
    of those times (equal datetimes have equal ``canon`` text and, written
    through the column's own type, equal stored values), so the upsert reads
    only those rows: a verify run stamps its dispositions with one time, and
    each earlier run's rows (33,208 more per run at national size) are no
    longer read back and compared."""
    for k in key[1:]:
        if not isinstance(table.c[k].type, sa.DateTime) or not len(frame):
            continue
        vals = frame[k]
        if vals.dtype != object or not vals.map(type).eq(dt.datetime).all():
            continue
        distinct = sorted(set(vals.tolist()))
        if len(distinct) <= _FEW:
            return k, distinct
    return None


class Store:
    """An open evaluation store. Use ``open_store``; close with ``close()`` or
    a ``with`` block."""

    def __init__(self, engine: Engine, where: str, revision: str, *, shared: bool = False) -> None:
        self.engine = engine
        self.where = where
        self.schema_version = revision
        self._shared = shared

    # --- plumbing ------------------------------------------------------------------
    @property
    def backend(self) -> str:
        """"sqlite" or "postgresql"."""
        return self.engine.dialect.name

    def close(self) -> None:
        """Release every connection (a kept PostgreSQL engine: back to its
        pool, where the next open of the same URL finds it; see
        ``connect.shared_engine``)."""
        if not self._shared:
            self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.where!r}, schema {self.schema_version})"

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        with self.engine.begin() as conn:
            yield conn

    def _read(self, query: sa.Select) -> pd.DataFrame:
        with self.engine.connect().execution_options(sqlite_begin="DEFERRED") as conn:
            res = conn.execute(query)
            # plain tuples: pandas probes each SQLAlchemy Row for attributes, slowly
            return pd.DataFrame([tuple(r) for r in res.fetchall()], columns=list(res.keys()))

    def _lock_round(self, conn: Connection, round_id: int) -> None:
        """Check the round exists; on PostgreSQL lock its row so writers of
        one round go one after the other (SQLite already does)."""
        q = sa.select(S.rounds.c.id).where(S.rounds.c.id == int(round_id))
        if conn.dialect.name == "postgresql":
            q = q.with_for_update()
        if conn.execute(q).first() is None:
            raise UserError("store.no_round", round_id=round_id)

    @staticmethod
    def _audit(conn: Connection, rows: list[dict]) -> None:
        if rows:
            conn.execute(sa.insert(S.audit_log), rows)

    def _upsert(self, conn: Connection, table: sa.Table, frame: pd.DataFrame, key: list[str],
                values: list[str], scope: dict, who: pd.Series | str, why: str,
                stamp: dict | None = None, given: list[str] | None = None) -> SaveResult:
        """Insert new rows, leave equal ones, correct changed ones with audit.
        Only the ``given`` value columns (default all) are compared and
        corrected: a column the caller did not pass is left as stored."""
        given = values if given is None else [c for c in values if c in given]
        cond = [table.c[k] == v for k, v in scope.items()]
        first = frame[key[0]]
        if 0 < len(first) and first.map(type).eq(str).all() and first.nunique() <= _FEW:
            # a few rows (one household from the walkthrough): read only their stored
            # rows through the index, not the whole round (keys are stored as this text)
            cond.append(table.c[key[0]].in_(sorted(set(first.tolist()))))
        else:
            few = _few_times(table, frame, key)
            if few is not None:   # e.g. every disposition of this run stamped now: only rows of that time can match
                cond.append(table.c[few[0]].in_(few[1]))
        res = conn.execute(sa.select(table.c.id, *(table.c[c] for c in key + values)).where(*cond))
        old = pd.DataFrame([tuple(r) for r in res.fetchall()], columns=["id"] + key + values)
        for k in key:  # one text form per key, both sides
            old[k] = F.canon_series(old[k])
        probe = pd.DataFrame({k: F.canon_series(frame[k]) for k in key}, index=frame.index)
        merged = probe.merge(old, on=key, how="left", suffixes=("", "_old"))
        merged.index = frame.index
        is_new = merged["id"].isna()
        new = frame[is_new]
        if len(new):
            _bulk_insert(conn, table, new[key + values], {**scope, **(stamp or {})}, list(scope) + key)
        both = frame[~is_new]
        old_rows = merged[~is_new]
        # compare stored and given values column by column; loop only over changes
        diffs = {}
        for c in given:
            a, b = F.canon_series(both[c]), F.canon_series(old_rows[c])
            diffs[c] = (a != b) & ~(a.isna() & b.isna())
        changed = pd.DataFrame(diffs, index=both.index) if diffs else pd.DataFrame(index=both.index)
        changed = changed[changed.any(axis=1)] if len(changed.columns) else changed.iloc[0:0]
        audit = []
        now = F.utcnow()
        whos = who if isinstance(who, pd.Series) else pd.Series(who, index=frame.index)
        scope_key = [str(v) for v in scope.values()]
        for i, row in changed.iterrows():
            cols = [c for c in given if row[c]]
            rk = "/".join(scope_key + [str(F.canon(both.at[i, k])) for k in key])
            audit += [{"at": now, "who": str(whos.at[i]), "why": why, "table_name": table.name,
                       "record_key": rk, "field": c, "value_before": F.canon(old_rows.at[i, c]),
                       "value_after": F.canon(both.at[i, c])} for c in cols]
            clean = F.records(both.loc[[i], cols])[0]
            conn.execute(sa.update(table).where(table.c.id == int(old_rows.at[i, "id"]))
                         .values(**clean, **(stamp or {})))
        self._audit(conn, audit)
        return SaveResult(table.name, len(new), len(both) - len(changed), len(changed))

    # --- rounds ----------------------------------------------------------------------
    def ensure_round(self, name: str, *, note: str | None = None) -> int:
        """The id of the evaluation round ``name``, created if new."""
        name = str(name).strip()
        if not name:
            raise UserError("store.no_round", round_id=name)
        with self._write() as conn:
            conn.execute(_insert(conn, S.rounds).on_conflict_do_nothing(index_elements=["name"]),
                         {"name": name, "created_at": F.utcnow(), "note": note})
            return int(conn.execute(sa.select(S.rounds.c.id).where(S.rounds.c.name == name)).scalar_one())

    def rounds(self) -> pd.DataFrame:
        """Every round: id, name, created_at, note."""
        return self._read(sa.select(S.rounds).order_by(S.rounds.c.id))

    # --- roster snapshots and manifests ---------------------------------------------
    def save_snapshot(self, fingerprint: Mapping | str, *, source_name: str, rows: int | None = None,
                      read_at: object = None) -> SaveResult:
        """Record a roster snapshot by its SHA-256 (``fingerprint`` is the
        dict of toolkit.sampling.manifest.fingerprint or the hex digest). Only
        the file's base name is kept, never its contents."""
        fp = {"sha256": fingerprint} if isinstance(fingerprint, str) else dict(fingerprint)
        sha = str(fp.get("sha256", "")).strip().lower()
        if len(sha) != 64 or any(ch not in "0123456789abcdef" for ch in sha):
            raise UserError("store.bad_sha256", value=sha)
        n = rows if rows is not None else fp.get("rows")
        if n is None:
            raise UserError("store.missing_column", table="roster_snapshots", column="rows")
        at = F.times(pd.Series([read_at or F.utcnow()])).iloc[0]
        row = {"sha256": sha, "source_name": Path(str(source_name)).name, "rows": int(n), "read_at": at,
               "rule": fp.get("rule"),
               "columns_json": None if fp.get("columns") is None else F.to_json(fp["columns"])}
        with self._write() as conn:
            new = conn.execute(_insert(conn, S.roster_snapshots).on_conflict_do_nothing(index_elements=["sha256"])
                               .returning(S.roster_snapshots.c.id), row).first() is not None
            sid = conn.execute(sa.select(S.roster_snapshots.c.id)
                               .where(S.roster_snapshots.c.sha256 == sha)).scalar_one()
        return SaveResult("roster_snapshots", int(new), int(not new), 0, int(sid))

    def snapshots(self) -> pd.DataFrame:
        """Every roster snapshot: sha256, source_name, rows, read_at, rule."""
        t = S.roster_snapshots
        return self._read(sa.select(t.c.id, t.c.sha256, t.c.source_name, t.c.rows, t.c.read_at, t.c.rule)
                          .order_by(t.c.id))

    def save_manifest(self, manifest: Mapping, *, round_id: int | None = None) -> SaveResult:
        """Keep a sample manifest (the JSON, seed, roster SHA-256) and its
        selected and reserve units. The same manifest twice is stored once."""
        m = F.mapping(manifest, "manifest")
        if m.get("manifest") != "fieldeval-sample":
            raise UserError("store.not_a_manifest", detail=f"manifest = {m.get('manifest')!r}")
        seed = F.mapping(m.get("seed"), "seed")
        roster = F.mapping(m.get("roster"), "roster")
        if not str(seed.get("value", "")) or not roster.get("sha256"):
            raise UserError("store.not_a_manifest", detail="seed.value / roster.sha256")
        text = json.dumps(m, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
        unit_rows = []
        for role, rank_key, recs in (("selected", "rank", m.get("selected") or []),
                                     ("reserve", "reserve_rank", m.get("reserves") or [])):
            for u in recs:
                unit_rows.append({"source": str(u.get("source") or "roster"), "archive_id": str(u["archive_id"]),
                                  "role": role, "rank": int(u[rank_key]), "stratum": str(u["stratum"]),
                                  "psu": None if u.get("psu") is None else str(u["psu"]),
                                  "pi1": u.get("pi1"), "pi2": u.get("pi2"), "pi": float(u["pi"]),
                                  "weight": float(u["weight"])})
        with self._write() as conn:
            if round_id is not None:
                self._lock_round(conn, round_id)
            t = S.manifests
            res = conn.execute(_insert(conn, t).on_conflict_do_nothing(index_elements=["sha256"]).returning(t.c.id), {
                "sha256": sha, "round_id": round_id, "seed": str(seed["value"]),
                "seed_source": seed.get("source"), "roster_sha256": str(roster["sha256"]),
                "algorithm": m.get("algorithm"), "created": m.get("created"), "saved_at": F.utcnow(),
                "manifest_json": text})
            new = res.first() is not None
            mid = int(conn.execute(sa.select(t.c.id).where(t.c.sha256 == sha)).scalar_one())
            if new and unit_rows:
                _bulk_insert(conn, S.units, pd.DataFrame(unit_rows, columns=list(unit_rows[0])),
                             {"manifest_id": mid}, None)
        return SaveResult("manifests", int(new), int(not new), 0, mid)

    def manifests(self) -> pd.DataFrame:
        """Every manifest kept: id, sha256, round_id, seed, roster_sha256, created."""
        t = S.manifests
        return self._read(sa.select(t.c.id, t.c.sha256, t.c.round_id, t.c.seed, t.c.seed_source,
                                    t.c.roster_sha256, t.c.algorithm, t.c.created, t.c.saved_at)
                          .order_by(t.c.id))

    def manifest(self, manifest_id: int) -> dict:
        """The manifest JSON as saved."""
        df = self._read(sa.select(S.manifests.c.manifest_json).where(S.manifests.c.id == int(manifest_id)))
        if df.empty:
            raise UserError("store.no_manifest", manifest_id=manifest_id)
        return json.loads(df.iat[0, 0])

    def units(self, manifest_id: int) -> pd.DataFrame:
        """Selected and reserve units of a manifest, in role and rank order."""
        t = S.units
        return self._read(sa.select(t).where(t.c.manifest_id == int(manifest_id))
                          .order_by(t.c.role.desc(), t.c.stratum, t.c.psu, t.c.rank, t.c.archive_id))

    # --- field work --------------------------------------------------------------------
    def save_dispositions(self, frame: pd.DataFrame, round_id: int, *, by: str | None = None,
                          why: str = "disposition corrected") -> SaveResult:
        """Disposition records (archive_id, code; optional visits, replaced_by,
        recorded_at, by). ``by`` fills a missing ``by`` column; a record with
        no time is stamped now. Codes are checked upstream (sampling.reserves)."""
        F.require(frame, ["archive_id", "code"], "dispositions")
        d = pd.DataFrame(index=frame.index)
        d["archive_id"] = F.ids(frame["archive_id"])
        d["code"] = F.ids(frame["code"])
        d["visits"] = F.ints(frame["visits"]) if "visits" in frame else None
        d["replaced_by"] = F.ids(frame["replaced_by"]) if "replaced_by" in frame else None
        d["replaced_by"] = d["replaced_by"].where(d["replaced_by"] != "", None)
        at = frame["recorded_at"] if "recorded_at" in frame else pd.Series(pd.NaT, index=frame.index)
        d["recorded_at"] = F.times(at.where(at.notna(), pd.Timestamp(F.utcnow())))
        whocol = F.texts(frame["by"]) if "by" in frame else pd.Series(None, index=frame.index, dtype=object)
        d["recorded_by"] = whocol.where(whocol.notna() & (whocol.astype(str).str.strip() != ""), by)
        if d["recorded_by"].isna().any() or d["archive_id"].isna().any() or d["code"].isna().any():
            raise UserError("store.who_why_required")
        F.duplicated_key(d, DISPOSITION_KEY, "dispositions")
        with self._write() as conn:
            self._lock_round(conn, round_id)
            return self._upsert(conn, S.dispositions, d, DISPOSITION_KEY, DISPOSITION_VALUES,
                                {"round_id": int(round_id)}, d["recorded_by"], why,
                                given=["code", "recorded_by", *(c for c in ("visits", "replaced_by") if c in frame)])

    def dispositions(self, round_id: int, *, latest: bool = True) -> pd.DataFrame:
        """Dispositions of a round (the latest per household, or every record)."""
        t = S.dispositions
        df = self._read(sa.select(t.c.archive_id, t.c.code, t.c.visits, t.c.replaced_by, t.c.recorded_at,
                                  t.c.recorded_by.label("by")).where(t.c.round_id == int(round_id))
                        .order_by(t.c.archive_id, t.c.recorded_at, t.c.id))
        if latest:
            df = df.drop_duplicates("archive_id", keep="last").reset_index(drop=True)
        df["visits"] = df["visits"].astype("Int64")
        return df

    def save_submission_keys(self, frame: pd.DataFrame, round_id: int, *, who: str = "fieldeval",
                             why: str = "submission status changed") -> SaveResult:
        """Submission keys received (key, form_id, status accepted/quarantined;
        optional archive_id, form_version, received_at, reason)."""
        F.require(frame, ["key", "form_id", "status"], "submission_keys")
        d = pd.DataFrame(index=frame.index)
        d["key"] = F.ids(frame["key"])
        for c in ("archive_id", "form_id", "form_version"):
            d[c] = F.ids(frame[c]) if c in frame else None
        d["received_at"] = F.times(frame["received_at"]) if "received_at" in frame else None
        d["status"] = F.ids(frame["status"])
        d["reason"] = F.mask_digits(F.texts(frame["reason"])) if "reason" in frame else None
        d["review_state"] = F.ids(frame["review_state"]) if "review_state" in frame else None
        bad = ~d["status"].isin(SUBMISSION_STATUSES)
        if bad.any():
            raise UserError("store.bad_status", key=d.loc[bad, "key"].iloc[0],
                            value=d.loc[bad, "status"].iloc[0], choices=", ".join(SUBMISSION_STATUSES))
        F.duplicated_key(d, SUBMISSION_KEY, "submission_keys")
        with self._write() as conn:
            self._lock_round(conn, round_id)
            return self._upsert(conn, S.submission_keys, d, SUBMISSION_KEY, SUBMISSION_VALUES,
                                {"round_id": int(round_id)}, who, why, given=[*frame.columns, "status"])

    def submission_keys(self, round_id: int) -> pd.DataFrame:
        """Submission keys of a round, in key order."""
        t = S.submission_keys
        return self._read(sa.select(*(t.c[c] for c in SUBMISSION_KEY + SUBMISSION_VALUES))
                          .where(t.c.round_id == int(round_id)).order_by(t.c.key))

    # --- findings, notes, overrides -------------------------------------------------
    def save_findings(self, frame: pd.DataFrame, round_id: int, *, who: str = "fieldeval",
                      why: str = "findings saved again with different values") -> SaveResult:
        """Findings of a round (archive_id, finding_type; optional item, verdict,
        rule, value_archive, value_visit, evidence). Values about personal
        fields are withheld and long digit runs masked (see frames)."""
        F.require(frame, ["archive_id", "finding_type"], "findings")
        d = pd.DataFrame(index=frame.index)
        d["archive_id"] = F.ids(frame["archive_id"])
        d["finding_type"] = F.ids(frame["finding_type"])
        d["item"] = F.ids(frame["item"]).fillna("") if "item" in frame else ""
        for c in ("verdict", "rule"):
            d[c] = F.texts(frame[c]) if c in frame else None
        for c in ("value_archive", "value_visit"):
            d[c] = F.mask_digits(F.texts(frame[c])) if c in frame else None
        d["evidence"] = (F.mask_digits(frame["evidence"].map(F.to_json).astype(object))
                         if "evidence" in frame else None)
        d = F.withhold_personal(d, "item", ["value_archive", "value_visit", "evidence"])
        d.loc[d["evidence"] == F.WITHHELD, "evidence"] = json.dumps(F.WITHHELD)
        if d["archive_id"].isna().any() or d["finding_type"].isna().any():
            raise UserError("store.missing_column", table="findings", column="archive_id/finding_type")
        F.duplicated_key(d, FINDING_KEY, "findings")
        with self._write() as conn:
            self._lock_round(conn, round_id)
            return self._upsert(conn, S.findings, d, FINDING_KEY, FINDING_VALUES, {"round_id": int(round_id)},
                                who, why, stamp={"saved_at": F.utcnow()}, given=list(frame.columns))

    def findings(self, round_id: int) -> pd.DataFrame:
        """Findings of a round with the evaluators' overrides applied:
        ``verdict`` as found, ``override_verdict`` (latest override or None),
        ``final_verdict``; ``evidence`` parsed from JSON."""
        t = S.findings
        df = self._read(sa.select(t.c.round_id, *(t.c[c] for c in FINDING_KEY + FINDING_VALUES), t.c.saved_at)
                        .where(t.c.round_id == int(round_id))
                        .order_by(t.c.archive_id, t.c.finding_type, t.c.item))
        df["evidence"] = df["evidence"].map(F.from_json).astype(object)
        ov = self.overrides(round_id).drop_duplicates(["archive_id", "finding_type"], keep="last")
        ov = ov[["archive_id", "finding_type", "verdict"]].rename(columns={"verdict": "override_verdict"})
        df = df.merge(ov, on=["archive_id", "finding_type"], how="left")
        df["override_verdict"] = df["override_verdict"].astype(object).where(df["override_verdict"].notna(), None)
        df["final_verdict"] = df["override_verdict"].where(df["override_verdict"].notna(), df["verdict"])
        return df

    def add_note(self, archive_id: str, text: str, who: str, why: str, *,
                 round_id: int | None = None) -> int:
        """Add an evaluator's note on a household; returns its id. Long digit
        runs are masked. Written to the audit log in the same transaction."""
        who, why = _who_why(who, why)
        body = F.mask_digits(pd.Series([str(text)])).iloc[0]
        if not body.strip():
            raise UserError("store.empty_note")
        now = F.utcnow()
        with self._write() as conn:
            if round_id is not None:
                self._lock_round(conn, round_id)
            nid = conn.execute(sa.insert(S.notes).returning(S.notes.c.id), {
                "round_id": round_id, "archive_id": str(archive_id).strip(), "text": body,
                "who": who, "why": why, "at": now}).scalar_one()
            self._audit(conn, [{"at": now, "who": who, "why": why, "table_name": "notes",
                                "record_key": f"{nid}/{str(archive_id).strip()}", "field": "text",
                                "value_before": None, "value_after": body}])
        return int(nid)

    def notes(self, archive_id: str | None = None) -> pd.DataFrame:
        """Notes (on one household, or all), oldest first."""
        t = S.notes
        q = sa.select(t).order_by(t.c.id)
        if archive_id is not None:
            q = q.where(t.c.archive_id == str(archive_id).strip())
        return self._read(q)

    def override(self, archive_id: str, finding_type: str, new_verdict: str, who: str, why: str, *,
                 round_id: int | None = None) -> Override:
        """Override the verdict on a household's finding (the newest round that
        has it, unless ``round_id``); the audit log keeps the verdict before."""
        who, why = _who_why(who, why)
        with self._write() as conn:
            return self._override_in(conn, archive_id, finding_type, new_verdict, who, why, round_id)

    def _override_in(self, conn: Connection, archive_id: str, finding_type: str, new_verdict: str,
                     who: str, why: str, round_id: int | None) -> Override:
        """The override inside the caller's transaction (see ``override``)."""
        aid, ftype, verdict = str(archive_id).strip(), str(finding_type).strip(), str(new_verdict).strip()
        if not verdict:
            raise UserError("store.who_why_required")
        t, o = S.findings, S.overrides
        now = F.utcnow()
        q = sa.select(t.c.round_id, t.c.verdict).where(t.c.archive_id == aid, t.c.finding_type == ftype)
        if round_id is not None:
            q = q.where(t.c.round_id == int(round_id))
        found = conn.execute(q.order_by(t.c.round_id.desc(), t.c.item)).fetchall()
        if not found:
            raise UserError("store.no_finding", archive_id=aid, finding_type=ftype,
                            round_id=round_id if round_id is not None else "*")
        rid = int(found[0][0])
        self._lock_round(conn, rid)
        last = conn.execute(sa.select(o.c.verdict).where(o.c.round_id == rid, o.c.archive_id == aid,
                                                         o.c.finding_type == ftype)
                            .order_by(o.c.id.desc()).limit(1)).scalar()
        before = last if last is not None else found[0][1]
        oid = conn.execute(sa.insert(o).returning(o.c.id), {
            "round_id": rid, "archive_id": aid, "finding_type": ftype, "verdict": verdict,
            "who": who, "why": why, "at": now}).scalar_one()
        self._audit(conn, [{"at": now, "who": who, "why": why, "table_name": "findings",
                            "record_key": f"{rid}/{aid}/{ftype}", "field": "verdict",
                            "value_before": before, "value_after": verdict}])
        return Override(int(oid), rid, aid, ftype, before, verdict, who, why, now)

    def overrides(self, round_id: int | None = None) -> pd.DataFrame:
        """Every verdict override (of one round, or all), oldest first."""
        t = S.overrides
        q = sa.select(t).order_by(t.c.id)
        if round_id is not None:
            q = q.where(t.c.round_id == int(round_id))
        return self._read(q)

    # --- the evaluator's review (issue 17) ----------------------------------------------
    def decide(self, archive_id: str, finding_type: str, decision: str, who: str, why: str, *,
               round_id: int | None = None) -> Override:
        """Record an evaluator's decision on a household's finding:
        ``confirmed``, ``overturned`` or ``unclear`` (kept as a verdict
        override, with its audit entry). The latest decision counts."""
        d = DECISION_WORDS.get(str(decision).strip().lower())
        if d not in DECISIONS:
            raise UserError("review.bad_decision", value=str(decision))
        return self.override(archive_id, finding_type, d, who, why, round_id=round_id)

    def decide_household(self, round_name: str, archive_id: str, finding_type: str, decision: str,
                         who: str, why: str, *, findings: Iterable[Mapping] = (),
                         saved_by: str = "fieldeval",
                         saved_why: str = "findings saved again with different values") -> Override:
        """One decision click (walkthrough, review) in ONE transaction: the
        round ``round_name`` (created if new), the household's ``findings``
        saved as ``save_findings`` saves them (new rows added; a stored row
        with different values corrected, with audit entries by ``saved_by``),
        then the decision recorded as ``decide`` does. A few rows go through
        plain SQLAlchemy Core on the (round, household) index: no frame, no
        read of the round."""
        d = DECISION_WORDS.get(str(decision).strip().lower())
        if d not in DECISIONS:
            raise UserError("review.bad_decision", value=str(decision))
        who, why = _who_why(who, why)
        name = str(round_name).strip()
        if not name:
            raise UserError("store.no_round", round_id=name)
        rows = [F.finding_record(r) for r in findings]
        for r in rows:
            if not r["archive_id"] or not r["finding_type"]:
                raise UserError("store.missing_column", table="findings", column="archive_id/finding_type")
        keys = [(r["archive_id"], r["finding_type"], r["item"]) for r in rows]
        if len(set(keys)) < len(keys):
            k = next(k for k in keys if keys.count(k) > 1)
            raise UserError("store.duplicate_rows", table="findings", key=" / ".join(k), n=keys.count(k))
        with self._write() as conn:
            conn.execute(_insert(conn, S.rounds).on_conflict_do_nothing(index_elements=["name"]),
                         {"name": name, "created_at": F.utcnow(), "note": None})
            q = sa.select(S.rounds.c.id).where(S.rounds.c.name == name)
            if conn.dialect.name == "postgresql":
                q = q.with_for_update()   # writers of one round go one after the other
            rid = int(conn.execute(q).scalar_one())
            if rows:
                self._save_few_findings(conn, rid, rows, saved_by, saved_why)
            return self._override_in(conn, archive_id, finding_type, d, who, why, rid)

    @staticmethod
    def _save_few_findings(conn: Connection, rid: int, rows: list[dict], who: str, why: str) -> None:
        """Insert new findings, correct changed ones with audit (see
        ``_upsert``), reading only the stored rows of these households."""
        t = S.findings
        stored = {(r[1], r[2], r[3]): r for r in conn.execute(
            sa.select(t.c.id, t.c.archive_id, t.c.finding_type, t.c.item, *(t.c[c] for c in FINDING_VALUES))
            .where(t.c.round_id == rid, t.c.archive_id.in_(sorted({r["archive_id"] for r in rows})))).fetchall()}
        now = F.utcnow()
        new, audit = [], []
        for r in rows:
            old = stored.get((r["archive_id"], r["finding_type"], r["item"]))
            if old is None:
                new.append({"round_id": rid, **{c: r.get(c) for c in FINDING_KEY + FINDING_VALUES},
                            "saved_at": now})
                continue
            before = dict(zip(["id", *FINDING_KEY, *FINDING_VALUES], old))
            cols = [c for c in FINDING_VALUES if c in r and F.canon(r[c]) != F.canon(before[c])]
            if not cols:
                continue
            rk = "/".join([str(rid), r["archive_id"], r["finding_type"], r["item"]])
            audit += [{"at": now, "who": who, "why": why, "table_name": t.name, "record_key": rk, "field": c,
                       "value_before": F.canon(before[c]), "value_after": F.canon(r[c])} for c in cols]
            conn.execute(sa.update(t).where(t.c.id == int(before["id"]))
                         .values(**{c: r[c] for c in cols}, saved_at=now))
        if new:
            conn.execute(_insert(conn, t).on_conflict_do_nothing(
                index_elements=["round_id", *FINDING_KEY]), new)
        Store._audit(conn, audit)

    def decisions(self, round_id: int | None = None) -> pd.DataFrame:
        """The latest decision per round × household × finding: round_id,
        archive_id, finding_type, decision (confirmed / overturned / unclear),
        who, why, at. Overrides with other words are read through
        :data:`DECISION_WORDS` (a latest override in no such word is no
        decision). One query: the newest override id per key on the
        (round, household, finding) index, no read of older overrides."""
        o = S.overrides
        q = _latest(sa.select(o.c.id, o.c.round_id, o.c.archive_id, o.c.finding_type, o.c.verdict,
                              o.c.who, o.c.why, o.c.at), o, [o.c.round_id, o.c.archive_id, o.c.finding_type],
                    round_id, self.backend)
        cols = ["round_id", "archive_id", "finding_type", "decision", "who", "why", "at"]
        with self.engine.connect().execution_options(sqlite_begin="DEFERRED") as conn:
            rows = [r[1:] for r in conn.execute(q).fetchall()]
        out = []
        for r in rows:
            d = DECISION_WORDS.get(str(r[3]).strip().lower())
            if d is not None:
                out.append((r[0], r[1], r[2], d, r[4], r[5], r[6]))
        return pd.DataFrame(out, columns=cols)

    def set_submission_status(self, key: str, status: str, who: str, why: str, *, round_id: int,
                              archive_id: str | None = None, comment: str | None = None) -> int:
        """Record an evaluator's status of a submission (to_review, approved,
        rejected, sent_back; sending back needs a comment, default ``why``);
        only ever added, the latest counts; audit entry in the same
        transaction. Returns its id."""
        who, why = _who_why(who, why)
        st = str(status).strip().lower().replace(" ", "_")
        if st not in REVIEW_STATUSES:
            raise UserError("review.bad_status", value=str(status))
        note = F.mask_digits(pd.Series([str(comment if comment is not None else "")])).iloc[0].strip() or None
        if st == "sent_back" and not note:
            note = F.mask_digits(pd.Series([why])).iloc[0]
        k = str(key).strip()
        now = F.utcnow()
        t = S.submission_reviews
        with self._write() as conn:
            self._lock_round(conn, round_id)
            last = conn.execute(sa.select(t.c.status).where(t.c.round_id == int(round_id), t.c.key == k)
                                .order_by(t.c.id.desc()).limit(1)).scalar()
            rid = conn.execute(sa.insert(t).returning(t.c.id), {
                "round_id": int(round_id), "key": k, "archive_id": None if archive_id is None else str(archive_id),
                "status": st, "comment": note, "who": who, "why": why, "at": now}).scalar_one()
            self._audit(conn, [{"at": now, "who": who, "why": why, "table_name": "submission_reviews",
                                "record_key": f"{int(round_id)}/{k}", "field": "status",
                                "value_before": last, "value_after": st}])
        return int(rid)

    def submission_reviews(self, round_id: int | None = None, *, latest: bool = True) -> pd.DataFrame:
        """Evaluators' statuses of submissions (the latest per round × key, or
        every record), oldest first."""
        t = S.submission_reviews
        if latest:
            return self._read(_latest(sa.select(t), t, [t.c.round_id, t.c.key], round_id, self.backend))
        q = sa.select(t).order_by(t.c.id)
        if round_id is not None:
            q = q.where(t.c.round_id == int(round_id))
        return self._read(q)

    def round_id(self, name: str) -> int | None:
        """The id of round ``name``, or None when there is none."""
        df = self._read(sa.select(S.rounds.c.id).where(S.rounds.c.name == str(name).strip()))
        return None if df.empty else int(df.iat[0, 0])

    def audit(self, *, table: str | None = None, record_key: str | None = None) -> pd.DataFrame:
        """The audit log, oldest first: id, at, who, why, table_name,
        record_key, field, value_before, value_after. Read only: there is no
        way to change or remove an entry."""
        t = S.audit_log
        q = sa.select(t).order_by(t.c.id)
        if table is not None:
            q = q.where(t.c.table_name == table)
        if record_key is not None:
            q = q.where(t.c.record_key == record_key)
        return self._read(q)


__all__ = ["Store", "SaveResult", "Override", "SUBMISSION_STATUSES", "DECISIONS", "DECISION_WORDS",
           "REVIEW_STATUSES"]
