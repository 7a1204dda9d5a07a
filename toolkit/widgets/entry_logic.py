"""The entry form's logic, without widgets: answers in, relevance and errors out.

The state of one household's form is :class:`EntryState`: top-level answers
``{question: text}`` and, per repeat, a tuple of instances ``{question: text}``.
Answers are kept as text, as ODK does (numbers as their decimal text,
select_multiple as space-separated choice names, '' for blank).

:func:`assess` evaluates the form on that state with toolkit.forms (a
one-row DataFrame of the current answers plus one frame per repeat; no
Python eval/exec anywhere):

1. calculations in form order (each one sees the ones before it);
2. every question's relevance (its own and its groups'), via
   :func:`toolkit.forms.check_columns`;
3. constraints (only on relevant, non-blank answers) and required answers,
   reported with the form's own messages in the chosen language.

Limitations (documented, not silent): repeats nested inside repeats and
``repeat_count`` are not supported by the entry dashboard; the form's
``household_visit.xlsx`` has neither. Media questions (image) record only a
file name.

Drafts are JSON files in the project (``output/entry/drafts/<id>.json``).
A final submission is saved by :func:`toolkit.ingest.entry_export.write_entry_submission`
as a one-submission ODK Central export (``output/entry/submissions/<uuid>.zip``,
mode 0600) with its KEY (``uuid:…``), submission time, who entered it and the
device; its key is also recorded in the evaluation store (round ``entry``).
:func:`entry_exports` gives the assembled export ``fieldeval ingest`` reads, so
entry submissions go through the same validation and quality checks as any
other export; :func:`submissions_frame` reads them back through that reader.
"""
from __future__ import annotations

import json
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from toolkit.forms import (
    Form,
    Question,
    check_columns,
    evaluate,
    evaluate_bool,
    form_context,
    parse,
)
from toolkit.i18n import t
from toolkit.ingest.entry_export import entry_exports as _entry_exports
from toolkit.ingest.entry_export import write_entry_submission

FORM_FILE = Path(__file__).resolve().parents[1] / "questionnaires" / "household_visit.xlsx"
ENTRY_ROUND = "entry"
NO_VALUE_TYPES = ("note",)
MEDIA_TYPES = ("image", "audio", "video", "file")
AUTO_META = ("start", "end", "today", "deviceid")


@dataclass(frozen=True)
class EntryState:
    """Answers of one form being entered (module doc). Immutable: the
    helpers return new states."""

    answers: Mapping[str, str] = field(default_factory=dict)
    repeats: Mapping[str, tuple[Mapping[str, str], ...]] = field(default_factory=dict)
    draft_id: str = ""

    def get(self, name: str) -> str:
        """A top-level answer ('' when blank)."""
        return str(self.answers.get(name, "") or "")


@dataclass(frozen=True)
class Assessment:
    """What :func:`assess` found.

    ``relevant``: {question: bool} at the top level, {(repeat, i, question):
    bool} inside repeats; ``errors``: same keys → message (only the failing
    ones); ``calculated``: the state with the calculations filled in.
    """

    relevant: Mapping[object, bool]
    errors: Mapping[object, str]
    calculated: EntryState

    @property
    def ok(self) -> bool:
        return not self.errors


def value_questions(form: Form, repeat: str = "") -> tuple[Question, ...]:
    """Questions of one level (top level '' or a repeat), form order."""
    return form.questions_in(repeat)


def blank_state(form: Form, *, now: datetime | None = None, device: str = "fieldeval-entry") -> EntryState:
    """A new form: metadata filled in (start, today, deviceid), one instance of each repeat."""
    now = now or datetime.now(UTC).astimezone()
    meta = {"start": now.isoformat(timespec="seconds"), "today": now.date().isoformat(), "deviceid": device}
    answers = {q.name: meta.get(q.name, "") for q in value_questions(form)}
    reps = {r.name: ({q.name: "" for q in value_questions(form, r.name)},) for r in form.repeats}
    return EntryState(answers, reps, uuid.uuid4().hex[:12])


def set_answer(state: EntryState, name: str, value: object, *, repeat: str = "", index: int = 0) -> EntryState:
    """The state with one answer changed (``repeat``/``index`` for a repeat instance)."""
    text = "" if value is None else (" ".join(value) if isinstance(value, (tuple, list)) else str(value))
    if not repeat:
        return replace(state, answers={**state.answers, name: text})
    rows = list(state.repeats.get(repeat, ()))
    rows[index] = {**rows[index], name: text}
    return replace(state, repeats={**state.repeats, repeat: tuple(rows)})


def add_instance(form: Form, state: EntryState, repeat: str) -> EntryState:
    """The state with one more (blank) instance of ``repeat``."""
    rows = (*state.repeats.get(repeat, ()), {q.name: "" for q in value_questions(form, repeat)})
    return replace(state, repeats={**state.repeats, repeat: rows})


def remove_instance(state: EntryState, repeat: str, index: int | None = None) -> EntryState:
    """The state without instance ``index`` of ``repeat`` (the last when None)."""
    rows = list(state.repeats.get(repeat, ()))
    if rows:
        rows.pop(len(rows) - 1 if index is None else index)
    return replace(state, repeats={**state.repeats, repeat: tuple(rows)})


def _frames(form: Form, state: EntryState) -> tuple[pd.DataFrame, dict[str, tuple[pd.DataFrame, np.ndarray]]]:
    cols = [q.name for q in value_questions(form)]
    main = pd.DataFrame([{c: state.get(c) for c in cols}], columns=cols, dtype=object)
    reps: dict[str, tuple[pd.DataFrame, np.ndarray]] = {}
    for r in form.repeats:
        rcols = [q.name for q in value_questions(form, r.name)]
        rows = state.repeats.get(r.name, ())
        df = pd.DataFrame([{c: str(row.get(c, "") or "") for c in rcols} for row in rows], columns=rcols,
                          dtype=object)
        reps[r.name] = (df, np.zeros(len(rows), dtype=np.intp))
    return main, reps


def _text_of(v: object) -> str:
    if isinstance(v, (bool, np.bool_)):
        return "true" if v else "false"
    if isinstance(v, (float, np.floating)):
        if np.isnan(v) or np.isinf(v):
            return ""
        return str(int(v)) if float(v).is_integer() else repr(float(v))
    return "" if v is None else str(v)


def _level(ctx, form: Form, repeat: str):
    return ctx.enter(repeat) if repeat else ctx


def calculate(form: Form, state: EntryState, lang: str = "zh") -> EntryState:
    """The state with every ``calculate`` evaluated in form order."""
    for q in form.questions:
        if q.type != "calculate" or not q.calculation:
            continue
        main, reps = _frames(form, state)
        ctx = _level(form_context(form, main, reps, lang), form, q.repeat)
        if ctx.n == 0:
            continue
        values = evaluate(parse(q.calculation), ctx).tolist()
        if not q.repeat:
            state = set_answer(state, q.name, _text_of(values[0]))
        else:
            for i, v in enumerate(values):
                state = set_answer(state, q.name, _text_of(v), repeat=q.repeat, index=i)
    return state


def _required(form: Form, q: Question, ctx, rel: np.ndarray) -> np.ndarray:
    if not q.required or q.required in ("no", "false()"):
        return np.zeros(len(rel), dtype=bool)
    if q.required in ("yes", "true()"):
        return rel.copy()
    return rel & evaluate_bool(parse(q.required), ctx)


def assess(form: Form, state: EntryState, lang: str = "zh") -> Assessment:
    """Calculations, relevance, constraints and required answers (module doc)."""
    state = calculate(form, state, lang)
    main, reps = _frames(form, state)
    ctx = form_context(form, main, reps, lang)
    relevant: dict[object, bool] = {}
    errors: dict[object, str] = {}
    for chk in check_columns(form, ctx):
        q = chk.question
        lvl = _level(ctx, form, q.repeat)
        frame = lvl.rows.frame
        blank = (frame[q.name].astype(str).str.strip() == "").to_numpy() if len(frame) else np.zeros(0, bool)
        req = _required(form, q, lvl, chk.relevant) if q.has_value and q.type != "calculate" else \
            np.zeros(len(chk.relevant), dtype=bool)
        for i in range(len(chk.relevant)):
            key: object = q.name if not q.repeat else (q.repeat, i, q.name)
            relevant[key] = bool(chk.relevant[i])
            if not chk.relevant[i]:
                continue
            if not chk.constraint_ok[i]:
                errors[key] = form.text(q.constraint_message, lang) or t("widgets.entry.constraint", lang)
            elif req[i] and blank[i] and q.type not in MEDIA_TYPES and not q.is_metadata:
                errors[key] = form.text(q.required_message, lang) or t("widgets.entry.required", lang)
    return Assessment(relevant, errors, state)


_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_.-]*)\}")


def fill_label(text: str, state: EntryState) -> str:
    """A label with ``${name}`` replaced by the current top-level answer."""
    return _REF.sub(lambda m: state.get(m.group(1)), text)


def relevant_answers(form: Form, a: Assessment) -> EntryState:
    """The calculated state with answers of non-relevant questions blanked (ODK drops them)."""
    s = a.calculated
    answers = {k: (v if a.relevant.get(k, True) else "") for k, v in s.answers.items()}
    reps = {r: tuple({k: (v if a.relevant.get((r, i, k), True) else "") for k, v in row.items()}
                     for i, row in enumerate(rows)) for r, rows in s.repeats.items()}
    return EntryState(answers, reps, s.draft_id)


# --- drafts and submissions ---------------------------------------------------------------------
def entry_dir(root: str | Path) -> Path:
    """``<project>/output/entry``."""
    return Path(root) / "output" / "entry"


def _to_json(state: EntryState, **extra: object) -> str:
    return json.dumps({"draft_id": state.draft_id, "answers": dict(state.answers),
                       "repeats": {k: [dict(r) for r in v] for k, v in state.repeats.items()}, **extra},
                      ensure_ascii=False, indent=1)


def _from_json(text: str) -> EntryState:
    d = json.loads(text)
    return EntryState({k: str(v) for k, v in d.get("answers", {}).items()},
                      {k: tuple({a: str(b) for a, b in r.items()} for r in v) for k, v in d.get("repeats", {}).items()},
                      str(d.get("draft_id", "")))


def _atomic_write(path: Path, text: str) -> Path:
    from toolkit.vault import write_bytes   # atomic, 0600, encrypted when the project has a key

    return write_bytes(path, text.encode("utf-8"))


def _read_text(path: Path) -> str:
    from toolkit.vault import read_bytes

    return read_bytes(path).decode("utf-8")


def save_draft(root: str | Path, state: EntryState) -> Path:
    """Write the draft (atomically) to ``output/entry/drafts/<draft_id>.json``."""
    saved = datetime.now(UTC).isoformat(timespec="seconds")
    return _atomic_write(entry_dir(root) / "drafts" / f"{state.draft_id}.json", _to_json(state, saved_at=saved))


def list_drafts(root: str | Path) -> list[tuple[str, str]]:
    """(draft_id, archive_id) of every saved draft, newest first."""
    d = entry_dir(root) / "drafts"
    out = []
    for p in sorted(d.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True) if d.exists() else []:
        s = _from_json(_read_text(p))
        out.append((s.draft_id or p.stem, s.get("archive_id")))
    return out


def load_draft(root: str | Path, draft_id: str) -> EntryState:
    """A saved draft (KeyError when there is none)."""
    p = entry_dir(root) / "drafts" / f"{draft_id}.json"
    if not p.exists():
        raise KeyError(draft_id)
    return _from_json(_read_text(p))


@dataclass(frozen=True)
class Submitted:
    """A final submission: its KEY and file, or the errors that blocked it."""

    key: str
    path: Path | None
    errors: Mapping[object, str]


def submit(root: str | Path, form: Form, state: EntryState, *, lang: str = "zh", who: str = "entry") -> Submitted:
    """Check the form; when it passes, write the final submission (answers of
    non-relevant questions dropped, ``end`` stamped), record its key in the
    store and remove the draft. Returns the errors instead when it fails."""
    now = datetime.now(UTC).astimezone()
    state = set_answer(state, "end", now.isoformat(timespec="seconds")) if "end" in state.answers else state
    a = assess(form, state, lang)
    if not a.ok:
        return Submitted("", None, a.errors)
    final = relevant_answers(form, a)
    key = f"uuid:{uuid.uuid4()}"
    path = write_entry_submission(final.answers, final.repeats, form, submissions_dir(root), key=key,
                                  submitted_at=now, submitter=who, device=final.get("deviceid"))
    try:
        from toolkit.store import open_store

        with open_store(Path(root)) as st:
            rid = st.ensure_round(ENTRY_ROUND)
            st.save_submission_keys(pd.DataFrame({
                "key": [key], "archive_id": [final.get("archive_id")], "form_id": [form.form_id],
                "form_version": [form.version], "received_at": [now], "status": ["accepted"]}), rid, who=who)
    finally:
        draft = entry_dir(root) / "drafts" / f"{state.draft_id}.json"
        if draft.exists():
            draft.unlink()
    return Submitted(key, path, {})


def submissions_dir(root: str | Path) -> Path:
    """``<project>/output/entry/submissions``: one saved export per final submission."""
    return entry_dir(root) / "submissions"


def entry_exports(root: str | Path, form: Form) -> list[Path]:
    """The export file(s) of the project's entry submissions of ``form``, for
    ``fieldeval ingest`` (see toolkit.ingest.entry_export)."""
    return _entry_exports(submissions_dir(root), [form], form_id=form.form_id)


def submissions_frame(root: str | Path, form: Form) -> dict[str, pd.DataFrame]:
    """Final submissions as ingest reads them: ``submissions`` (KEY, meta
    columns, typed answers) and ``repeat_<name>`` (PARENT_KEY, KEY, index, ...)."""
    from toolkit.ingest.read import read_submissions

    paths = entry_exports(root, form)
    if not paths:
        return {"submissions": pd.DataFrame(columns=["KEY"])}
    subs = read_submissions(paths, form, platform="odk")
    out = {"submissions": subs.main}
    out.update({f"repeat_{k}": v for k, v in subs.repeats.items()})
    return out


__all__ = [
    "FORM_FILE",
    "Assessment",
    "EntryState",
    "Submitted",
    "add_instance",
    "assess",
    "blank_state",
    "calculate",
    "entry_dir",
    "entry_exports",
    "fill_label",
    "list_drafts",
    "load_draft",
    "relevant_answers",
    "remove_instance",
    "save_draft",
    "set_answer",
    "submissions_dir",
    "submissions_frame",
    "submit",
    "value_questions",
]
