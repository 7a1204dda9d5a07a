"""入户核查: evaluators walk through each visited household and record what they conclude.

Evaluator side (identified data stays in the evaluator's store and files).
Pure functions: visit order and pickers, archive vs visit side by side,
findings with evidence, ledger payments, progress; notes and verdict
overrides go to the evaluation store (who, why, when; kept across restarts).
Everything shown is in words (toolkit.labels): field names from the
questionnaire and the roster schema, both sides of a comparison in the
form's choice labels, findings and verdicts from the catalogue, each rule as
a sentence with its numbers, dates in the locale's form. The frames keep the
codes too (``field``, ``finding``, ``flagged``, ``rule``) for the store and
for audit; only the words reach the page.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from toolkit.html import Markup, join, tag
from toolkit.html import table as html_table
from toolkit import labels as LB
from toolkit.i18n import t
from toolkit.widgets.dashboard import Prebuilt, guarded
from toolkit.widgets.evidence import pane as evidence_pane

MISMATCH = "archive_mismatch:"
OVERRIDE_VERDICTS = ("confirmed", "overturned", "unclear")   # = toolkit.store.api.DECISIONS
QUEUE_FILTERS = ("all", "to_review", "decided", "sent_back")
STATUS_CHOICES = ("approved", "rejected", "sent_back", "to_review")


def visit_order(households: pd.DataFrame, submissions: pd.DataFrame) -> pd.DataFrame:
    """Interviewed households in visit order (county, township, start time):
    archive_id, county, township, start."""
    start = submissions[["KEY", "start"]] if "start" in submissions else submissions[["KEY"]].assign(start=pd.NaT)
    h = households[["archive_id", "KEY", "county", "township"]].merge(start, on="KEY", how="left")
    h["start"] = pd.to_datetime(h["start"], errors="coerce", utc=True)
    return h.sort_values(["county", "township", "start", "archive_id"]).reset_index(drop=True)


def townships(order: pd.DataFrame, county: str) -> list[str]:
    """Townships of ``county`` in visit order."""
    return list(dict.fromkeys(order.loc[order["county"] == county, "township"].astype(str)))


def households_in(order: pd.DataFrame, county: str, township: str) -> list[str]:
    """Archive ids of one township in visit order."""
    m = (order["county"] == county) & (order["township"].astype(str) == township)
    return order.loc[m, "archive_id"].astype(str).tolist()


def step(order: pd.DataFrame, archive_id: str, delta: int) -> str:
    """The household ``delta`` steps from ``archive_id`` in visit order (clamped at the ends)."""
    ids = order["archive_id"].astype(str).tolist()
    i = ids.index(archive_id) if archive_id in ids else 0
    return ids[max(0, min(len(ids) - 1, i + delta))]


WORDS = ("w_label", "w_archive", "w_visit", "w_name", "w_verdict", "w_reason")


def evidence_words(evidence: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """The evidence with what a reader sees added, for every household in one
    pass over the columns (toolkit.labels): ``w_label`` the compared field's
    name, ``w_archive``/``w_visit`` both sides in the form's choice labels,
    ``w_name`` the finding, ``w_verdict``, ``w_reason`` the rule as a sentence."""
    e = evidence
    f = e["finding"].astype(str)
    cmp_ = f.str.startswith(MISMATCH).to_numpy(dtype=bool)
    field = f.str.slice(len(MISMATCH)).where(cmp_, "")
    arch = pd.Series("", index=e.index, dtype=object)
    visit = pd.Series("", index=e.index, dtype=object)
    for name in pd.unique(field[cmp_]):  # one lookup per compared field (≤ 7), not per row
        m = (field == name).to_numpy(dtype=bool)
        arch[m] = LB.value_words(e["archive_value"][m], name, lang).to_numpy(dtype=object)
        visit[m] = LB.value_words(e["visit_value"][m], name, lang).to_numpy(dtype=object)
    return e.assign(w_label=LB.field_labels(field, lang).where(cmp_, ""), w_archive=arch, w_visit=visit,
                    w_name=LB.finding_names(f, lang), w_verdict=LB.verdict_words(e["flagged"].astype(bool), lang),
                    w_reason=LB.rule_sentences(e, lang))


def _household(evidence: pd.DataFrame, archive_id: str, comparisons: bool, lang: str) -> pd.DataFrame:
    e = evidence[(evidence["archive_id"] == archive_id)
                 & (evidence["finding"].str.startswith(MISMATCH) == comparisons)]
    return e if "w_reason" in e else evidence_words(e, lang)


def side_by_side(evidence: pd.DataFrame, archive_id: str, lang: str = "zh") -> pd.DataFrame:
    """Archive record vs visit answer per compared field: field (code), label,
    archive, visit (both in the same words: the form's choice labels), differs,
    reason (same / within tolerance / differs and how much that matters).
    ``evidence`` may carry :func:`evidence_words` already (the widget's)."""
    e = _household(evidence, archive_id, True, lang)
    return pd.DataFrame({"field": e["finding"].str.slice(len(MISMATCH)).to_numpy(dtype=object),
                         "label": e["w_label"].to_numpy(dtype=object), "archive": e["w_archive"].to_numpy(dtype=object),
                         "visit": e["w_visit"].to_numpy(dtype=object), "differs": e["flagged"].astype(bool).to_numpy(),
                         "reason": e["w_reason"].to_numpy(dtype=object)})


def findings_of(evidence: pd.DataFrame, archive_id: str, lang: str = "zh") -> pd.DataFrame:
    """The household's verdicts (not field comparisons): finding (code), name,
    flagged, verdict (words), reason (the rule as a sentence with the
    household's numbers), archive, visit and rule (audit text, never shown)."""
    e = _household(evidence, archive_id, False, lang)
    return pd.DataFrame({"finding": e["finding"].to_numpy(), "name": e["w_name"].to_numpy(dtype=object),
                         "flagged": e["flagged"].astype(bool).to_numpy(),
                         "verdict": e["w_verdict"].to_numpy(dtype=object), "reason": e["w_reason"].to_numpy(dtype=object),
                         "archive": e["archive_value"].astype(str).to_numpy(),
                         "visit": e["visit_value"].astype(str).to_numpy(), "rule": e["rule"].to_numpy()})


_WORDS: dict[tuple, pd.DataFrame] = {}


def words_for(evidence: pd.DataFrame, lang: str) -> pd.DataFrame:
    """:func:`evidence_words` of the project's evidence, kept per language for
    the kernel's life (the results are cached the same way, toolkit.widgets.data)."""
    key = (id(evidence), len(evidence), lang)
    if key not in _WORDS:
        _WORDS.clear() if len(_WORDS) > 4 else None
        _WORDS[key] = evidence_words(evidence, lang)
    return _WORDS[key]


def ledger(payments: pd.DataFrame, archive_id: str) -> tuple[pd.DataFrame, dict]:
    """Ledger payments of the household and totals {ledger, received, confirmed_in_full}."""
    p = payments[payments["archive_id"] == archive_id] if len(payments) else payments
    cols = [c for c in ("item", "year", "ledger_amount", "received", "amount_received", "verdict") if c in p]
    p = p[cols].reset_index(drop=True)
    tot = {"ledger": float(p["ledger_amount"].sum()) if "ledger_amount" in p else 0.0,
           "received": float(p["amount_received"].fillna(0).sum()) if "amount_received" in p else 0.0,
           "confirmed_in_full": int((p.get("verdict", pd.Series(dtype=str)) == "in_full").sum())}
    return p, tot


def reviewed(notes: pd.DataFrame, overrides: pd.DataFrame, ids: list[str]) -> set[str]:
    """Households among ``ids`` with at least one note or override."""
    seen = set(notes.get("archive_id", pd.Series(dtype=str)).astype(str)) | \
        set(overrides.get("archive_id", pd.Series(dtype=str)).astype(str))
    return seen & set(ids)


def record_note(project: Path, archive_id: str, text: str, who: str, why: str = "walkthrough") -> int:
    """Store an evaluator's note on a household; returns its id. Under
    JupyterHub the note is the signed-in user's (``who`` ignored) and needs a
    role that may write notes (toolkit.hub.roles)."""
    from toolkit.hub.roles import require, who as hub_who
    from toolkit.store import open_store

    require("note")
    with open_store(project) as st:
        return st.add_note(archive_id, text, hub_who(who) or "", why)


def record_override(project: Path, evidence: pd.DataFrame, archive_id: str, finding: str, verdict: str,
                    who: str, why: str, round_name: str | None = None):  # noqa: ANN201 - toolkit.store Override
    """Record the evaluator's decision on one finding (confirmed / overturned /
    unclear; "rejected" is read as overturned) in the project's current round
    (``[project] round``), the one ``fieldeval verify`` applies; the
    household's findings are saved to the store first (idempotent) so the
    decision has something to replace. Under JupyterHub: the signed-in user,
    supervisors only (toolkit.hub.roles)."""
    from toolkit.hub.roles import require, who as hub_who
    from toolkit.project import Project
    from toolkit.store import open_store

    require("review")
    who = hub_who(who) or ""
    round_name = round_name or Project.open(project).current_round()

    from toolkit.project.review import household_findings

    with open_store(project) as st:   # one transaction: round, the household's findings, the decision
        return st.decide_household(round_name, archive_id, finding, verdict, who, why,
                                   findings=household_findings(evidence, archive_id))


def _signed_in(box: object) -> None:
    """Under JupyterHub the name box shows the signed-in user and cannot be edited."""
    from toolkit.hub.roles import hub_user

    if hub_user():
        box.value, box.disabled = hub_user(), True
        box.add_class("fe-who-signed-in")


def queue_groups(queue: pd.DataFrame) -> pd.DataFrame:
    """One row per household of the review queue: archive_id, group —
    ``sent_back`` (its submission was sent back to the field), ``to_review``
    (an item without a decision or status), else ``decided``."""
    if not len(queue):
        return pd.DataFrame({"archive_id": pd.Series(dtype=str), "group": pd.Series(dtype=str)})
    done = (queue["decision"].astype(str) != "") | (queue["status"].astype(str) != "to_review")
    q = queue.assign(_open=~done, _back=queue["status"].astype(str) == "sent_back")
    g = q.groupby(q["archive_id"].astype(str)).agg(open=("_open", "any"), back=("_back", "any"))
    group = pd.Series("decided", index=g.index).mask(g["open"], "to_review").mask(g["back"], "sent_back")
    return pd.DataFrame({"archive_id": g.index.to_numpy(), "group": group.to_numpy()})


def in_group(order: pd.DataFrame, groups: pd.DataFrame, group: str) -> pd.DataFrame:
    """The visit order kept to the households of one queue group ("all" keeps all)."""
    if group == "all":
        return order
    ids = set(groups.loc[groups["group"] == group, "archive_id"])
    return order[order["archive_id"].astype(str).isin(ids)].reset_index(drop=True)


def history(project: Path, archive_id: str, lang: str = "zh") -> pd.DataFrame:
    """Notes and overrides of one household, oldest first: at, who, what, why
    (an override reads "<finding in words>：改判为“<verdict>”")."""
    from toolkit.store import open_store

    with open_store(project) as st:
        n, o = st.notes(archive_id), st.overrides()
    return history_of(n, o, archive_id, lang)


def history_of(n: pd.DataFrame, o: pd.DataFrame, archive_id: str, lang: str = "zh") -> pd.DataFrame:
    """:func:`history` from the store's notes and overrides already read (all households or one)."""
    if len(n) and "archive_id" in n:
        n = n[n["archive_id"].astype(str) == str(archive_id).strip()]
    o = o[o["archive_id"] == archive_id] if len(o) else o
    notes = pd.DataFrame({"at": n.get("at", pd.Series(dtype=object)), "who": n.get("who", pd.Series(dtype=object)),
                          "what": n.get("text", pd.Series(dtype=object)), "why": n.get("why", pd.Series(dtype=object))})
    if len(o):
        what = LB.fill(LB.template("labels.history.override", lang),
                       {"finding": LB.finding_names(o["finding_type"], lang),
                        "verdict": LB.verdict_words(o["verdict"], lang)}, o.index)
        ovr = pd.DataFrame({"at": o["at"], "who": o["who"], "what": what, "why": o["why"]})
        notes = pd.concat([notes, ovr], ignore_index=True) if len(notes) else ovr
    return notes.sort_values("at", kind="stable").reset_index(drop=True)[["at", "who", "what", "why"]]


# --- the widget ---------------------------------------------------------------------------------
_PRE: dict = {}


def preload(project: object = "", lang: str = "zh") -> None:
    """While the kernel is preheated: load the project's results, open the
    store once (its import, SQLAlchemy and Alembic, took seconds after the
    request) and build the page in the notebook's language with its first
    household (toolkit.widgets.dashboard.Prebuilt)."""
    from toolkit.widgets.data import load_results, resolve_project

    try:
        root = resolve_project(project)   # type: ignore[arg-type]
        _PRE["results"] = r = load_results(root)
        words_for(r.evidence, "zh")  # the page's words, before the visitor comes
    except Exception:  # noqa: BLE001 - show() reports the real error
        return
    _PAGE.put((str(root), lang, id(r)), lambda: Walkthrough(r, root, lang))


_PAGE = Prebuilt()


def _html(df: pd.DataFrame, cls: str, lang: str) -> Markup:
    if df.empty:
        return tag("i", t("widgets.walk.none", lang))
    return html_table(df, cls)


def compare_html(sbs: pd.DataFrame, lang: str = "zh") -> Markup:
    """The archive-vs-visit pane: one row per compared field in words, differing
    rows highlighted (class ``fe-diff``); every value escaped."""
    sbs = sbs if "label" in sbs else side_by_side_words(sbs, lang)
    head = tag("tr", *(tag("th", t(f"widgets.walk.{k}", lang)) for k in ("field", "archive", "visit")),
               tag("th", t("labels.col.verdict", lang)))
    rows = [tag("tr", tag("td", r.label), tag("td", r.archive), tag("td", r.visit), tag("td", r.reason),
                style=f"background:{'#fde2e1' if r.differs else 'transparent'}",
                class_="fe-diff" if r.differs else "") for r in sbs.itertuples()]
    return tag("table", head, *rows, class_="fe-compare", border=1)


def side_by_side_words(sbs: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """A bare (field, archive, visit, differs) frame with the words columns added."""
    return sbs.assign(label=LB.field_labels(sbs["field"], lang), reason="")


def findings_words(findings: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """What the findings pane shows: finding, verdict and why, in words."""
    f = findings if "name" in findings else findings.assign(
        name=LB.finding_names(findings["finding"], lang), verdict=LB.verdict_words(findings["flagged"], lang),
        reason="")
    return pd.DataFrame({t("labels.col.finding", lang): f["name"], t("labels.col.verdict", lang): f["verdict"],
                         t("labels.col.reason", lang): f["reason"]})


def findings_html(findings: pd.DataFrame, lang: str = "zh") -> Markup:
    """The household's findings pane in words (escaped table or "none")."""
    return _html(findings_words(findings, lang), "fe-findings", lang)


def ledger_words(payments: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """The ledger payments as read: help item and answer in the form's words,
    amounts in yuan without ``.0``, the check's result in words."""
    p = payments
    cols = {"item": lambda s: LB.value_words(s, "pay_item", lang),
            "year": lambda s: LB.number_text(s, 0),
            "ledger_amount": LB.number_text, "received": lambda s: LB.value_words(s, "pay_received", lang),
            "amount_received": LB.number_text,
            "verdict": lambda s: LB.map_words(s, {v: t(f"labels.pay.{v}", lang) for v in
                                                  ("in_full", "short", "not_received", "not_checked")})}
    head = {"verdict": "pay_verdict"}
    return pd.DataFrame({t(f"labels.col.{head.get(c, c)}", lang): fn(p[c]).to_numpy(dtype=object)
                         for c, fn in cols.items() if c in p})


def ledger_html(payments: pd.DataFrame, totals: dict, lang: str = "zh") -> Markup:
    """The ledger pane: payments table (in words) and the totals line."""
    return join(_html(ledger_words(payments, lang), "fe-ledger", lang),
                tag("p", t("widgets.walk.totals", lang, **totals)))


def history_words(hist: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Notes and overrides as read: dates in the locale's form, headers in words."""
    return pd.DataFrame({t("labels.col.at", lang): LB.date_text(hist["at"], lang, time=True).to_numpy(dtype=object),
                         **{t(f"labels.col.{c}", lang): hist[c].astype("string").fillna("").to_numpy(dtype=object)
                            for c in ("who", "what", "why")}})


def history_html(hist: pd.DataFrame, lang: str = "zh") -> Markup:
    """Notes and overrides of the household (escaped: notes are free text)."""
    return _html(history_words(hist, lang), "fe-hist", lang)


def error_html(e: BaseException, lang: str = "zh") -> Markup:
    """A store/user error as a red line (its message escaped)."""
    msg = e.message(lang) if callable(getattr(e, "message", None)) else str(e)
    return tag("span", msg, style="color:#b00")


class Walkthrough:
    """The walkthrough dashboard: ``Walkthrough(results, project, lang).widget``."""

    def __init__(self, results, project: Path, lang: str = "zh") -> None:  # noqa: ANN001
        import ipywidgets as W

        self.r, self.project, self.lang = results, Path(project), lang
        self.full_order = visit_order(results.households, results.submissions)
        self.order = self.full_order
        self._queue: pd.DataFrame | None = None
        counties = list(dict.fromkeys(self.order["county"].astype(str)))
        L = lambda k: t(f"widgets.walk.{k}", lang)  # noqa: E731
        self.county = W.Dropdown(options=counties, description=L("county"))
        self.township = W.Dropdown(description=L("township"))
        self.household = W.Dropdown(description=L("household"))
        self.household.add_class("fe-household")
        prev, nxt = W.Button(description=L("prev")), W.Button(description=L("next"))
        prev.add_class("fe-prev"), nxt.add_class("fe-next")
        self.progress = W.HTML()
        self.progress.add_class("fe-progress")
        self.compare, self.found, self.pay, self.hist = W.HTML(), W.HTML(), W.HTML(), W.HTML()
        self.hist.add_class("fe-history")
        self.evidence = W.HTML()   # photos and GPS of the visit (toolkit.widgets.evidence)
        self.evidence.add_class("fe-evidence-pane")
        self.who = W.Text(description=L("who"))
        self.who.add_class("fe-who")
        _signed_in(self.who)   # under JupyterHub: the signed-in user, not typed (toolkit.hub.roles)
        self.note = W.Textarea(description=L("note"), layout=W.Layout(width="60%"))
        self.note.add_class("fe-note")
        self.why = W.Text(description=L("why"), value=t("labels.walk.why_default", lang))
        save = W.Button(description=L("save_note"), button_style="primary")
        save.add_class("fe-save-note")
        self.finding = W.Dropdown(description=L("finding"))
        self.finding.add_class("fe-finding")
        self.verdict = W.Dropdown(options=[(t(f"walkq.v_{v}", lang) if v == "overturned" else L(f"v_{v}"), v)
                                           for v in OVERRIDE_VERDICTS], description=L("verdict"))
        Q = lambda k: t(f"walkq.{k}", lang)  # noqa: E731
        self.group = W.Dropdown(options=[(Q(g), g) for g in QUEUE_FILTERS], value="all", description=Q("queue"))
        self.group.add_class("fe-queue")
        self.qprogress = W.HTML()
        self.qprogress.add_class("fe-queue-progress")
        self.status = W.Dropdown(options=[(Q(f"st_{v}"), v) for v in STATUS_CHOICES], description=Q("status"))
        self.status.add_class("fe-status")
        st_btn = W.Button(description=Q("save_status"))
        st_btn.add_class("fe-save-status")
        ovr = W.Button(description=L("override"))
        ovr.add_class("fe-override")
        self.msg = W.HTML()
        self.msg.add_class("fe-msg")
        self.county.observe(lambda _: self._county(), names="value")
        self.township.observe(lambda _: self._township(), names="value")
        self.household.observe(lambda _: self.show_household(), names="value")
        prev.on_click(lambda _: self.go(-1))
        nxt.on_click(lambda _: self.go(1))
        save.on_click(lambda _: self.save_note())
        ovr.on_click(lambda _: self.save_override())
        st_btn.on_click(lambda _: self.save_status())
        self.group.observe(lambda _: self.filter_group(), names="value")
        self.widget = W.VBox([
            W.HTML(tag("h2", L("title"))), self.progress, self.qprogress,
            W.HBox([self.group]), W.HBox([self.county, self.township]), W.HBox([self.household, prev, nxt]),
            W.HTML(tag("h3", L("compare"))), self.compare, W.HTML(tag("h3", L("findings"))), self.found,
            W.HTML(tag("h3", t("evidence.title", lang))), self.evidence,
            W.HTML(tag("h3", L("ledger"))), self.pay, W.HTML(tag("h3", L("record"))),
            self.who, self.why, self.note, save, W.HBox([self.finding, self.verdict, ovr]),
            W.HBox([self.status, st_btn]), self.msg, self.hist])
        self.widget.add_class("fe-walkthrough")
        if counties:
            self._county()

    def _county(self) -> None:
        opts = townships(self.order, self.county.value)
        self.township.options = opts
        if opts and self.township.value != opts[0]:
            self.township.value = opts[0]  # observer fills the households
        else:
            self._township()

    def _township(self) -> None:
        if self.township.value is not None:
            ids = households_in(self.order, self.county.value, self.township.value)
            self.household.options = ids
            if ids and self.household.value not in ids:
                self.household.value = ids[0]

    def queue(self, refresh: bool = False) -> pd.DataFrame:
        """The round's review queue with the store's decisions
        (toolkit.project.review.current_queue), read when first needed."""
        if self._queue is None or refresh:
            from toolkit.project import Project
            from toolkit.project.review import current_queue

            self._queue = current_queue(Project.open(self.project))
        return self._queue

    def filter_group(self) -> None:
        """Keep the pickers to one queue group (to review, decided, sent back) or all."""
        g = self.group.value
        self.order = self.full_order if g == "all" else in_group(self.full_order, queue_groups(self.queue()), g)
        self._progress_line()
        counties = list(dict.fromkeys(self.order["county"].astype(str)))
        if not counties:
            self.township.options, self.household.options = [], []
            self.msg.value = join(t("walkq.none", self.lang))
            return
        self.msg.value = ""
        if list(self.county.options) != counties:
            self.county.options = counties
        if self.county.value != counties[0]:
            self.county.value = counties[0]   # the observer fills townships and households
        else:
            self._county()

    def _progress_line(self) -> None:
        if self._queue is None:
            return
        from toolkit.project.review import progress, share

        done, n = progress(self._queue)
        self.qprogress.value = join(t("walkq.progress", self.lang, done=done, n=n,
                                      share=LB.percent(pd.Series([share(self.r.evaluation)]), digits=0).iloc[0]))

    def save_status(self) -> None:
        """Store the submission's status (approved, rejected: a non-response at the
        next verify, sent back with the note as the comment)."""
        from toolkit.project import Project
        from toolkit.project.review import set_status

        try:
            set_status(Project.open(self.project), self.household.value, self.status.value, self.why.value,
                       self.who.value or None, comment=self.note.value or None)
            self.msg.value = join(t("walkq.next_verify", self.lang))
            if self._queue is not None:
                self.queue(refresh=True)
                self._progress_line()
        except Exception as e:  # noqa: BLE001 - a UserError from the store, shown to the evaluator
            self.msg.value = error_html(e, self.lang)
        self.refresh_history()

    def go(self, delta: int) -> None:
        """Next/previous household in visit order (across townships and counties)."""
        target = step(self.order, self.household.value or "", delta)
        row = self.order[self.order["archive_id"] == target].iloc[0]
        self.county.value = row["county"]
        self.township.value = str(row["township"])
        self.household.value = target

    def show_household(self) -> None:
        """Fill every pane for the chosen household."""
        aid, lang = self.household.value, self.lang
        if not aid or aid not in self.household.options:
            return
        words = words_for(self.r.evidence, lang)
        self.compare.value = compare_html(side_by_side(words, aid, lang), lang)
        self.found.value = findings_html(findings_of(words, aid, lang), lang)
        self.evidence.value = evidence_pane(self.r, aid, lang)
        codes = self.r.evidence.loc[self.r.evidence["archive_id"] == aid, "finding"]
        self.finding.options = list(zip(LB.finding_names(codes, lang), codes, strict=True))
        self.finding.index = 0 if len(codes) else None   # the shown first finding is the chosen one
        p, tot = ledger(self.r.payments, aid)
        self.pay.value = ledger_html(p, tot, lang)
        self.refresh_history()

    def refresh_history(self) -> None:
        """Notes/overrides of the household and the progress line."""
        from toolkit.store import open_store

        aid = self.household.value
        with open_store(self.project) as st:   # once: opening checks the schema
            n, o = st.notes(), st.overrides()
        self.hist.value = history_html(history_of(n, o, aid, self.lang), self.lang) if aid else ""
        ids = self.order["archive_id"].astype(str).tolist()
        self.progress.value = join(t("widgets.walk.progress", self.lang, done=len(reviewed(n, o, ids)), n=len(ids)))

    def save_note(self) -> None:
        """Store the note (who and why are required)."""
        try:
            record_note(self.project, self.household.value, self.note.value, self.who.value, self.why.value)
            self.note.value = ""
            self.msg.value = join(t("widgets.walk.saved", self.lang))
        except Exception as e:  # noqa: BLE001 - a UserError from the store, shown to the evaluator
            self.msg.value = error_html(e, self.lang)
        self.refresh_history()

    def save_override(self) -> None:
        """Store the verdict override."""
        try:
            record_override(self.project, self.r.evidence, self.household.value, self.finding.value,
                            self.verdict.value, self.who.value, self.why.value)
            self.msg.value = join(t("walkq.next_verify", self.lang))
            if self._queue is not None:
                self.queue(refresh=True)
                self._progress_line()
        except Exception as e:  # noqa: BLE001
            self.msg.value = error_html(e, self.lang)
        self.refresh_history()


@guarded
def show(p) -> Walkthrough:  # noqa: ANN001 - toolkit.widgets.dashboard.Params
    """Display the walkthrough for the notebook's parameters (``?household=`` preselects one)."""
    from IPython.display import display

    from toolkit.widgets.data import load_results

    r = load_results(p.project)
    app = _PAGE.take((str(p.project), p.lang, id(r)))
    built = app is not None
    if app is None:
        app = Walkthrough(r, p.project, p.lang)
    want = p.query.get("household")
    if want and want in set(app.order["archive_id"]):
        row = app.order[app.order["archive_id"] == want].iloc[0]
        app.county.value, app.township.value, app.household.value = row["county"], str(row["township"]), want
    display(app.widget)
    if built:   # notes written since the page was built: the pane updates just after the page is sent
        later(app.refresh_history)
    return app


def later(job) -> None:  # noqa: ANN001 - a callable
    """Run ``job()`` once the cell has finished (the kernel's event loop), or now outside a kernel."""
    import asyncio

    try:
        asyncio.get_running_loop().call_soon(job)
    except RuntimeError:
        job()


__all__ = [
    "Walkthrough",
    "compare_html",
    "error_html",
    "findings_html",
    "findings_of",
    "findings_words",
    "evidence_words",
    "history_html",
    "history_of",
    "in_group",
    "queue_groups",
    "history_words",
    "households_in",
    "ledger",
    "ledger_html",
    "ledger_words",
    "record_note",
    "record_override",
    "reviewed",
    "show",
    "side_by_side",
    "side_by_side_words",
    "step",
    "townships",
    "visit_order",
    "words_for",
]
