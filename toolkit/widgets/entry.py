"""入户录入: the household-visit form as ipywidgets, generated from the XLSForm.

All decisions (relevance, constraints, required, calculations, drafts,
submissions) are made by :mod:`toolkit.widgets.entry_logic`; this module only
builds widgets and keeps them in step with an :class:`EntryState`.

Every question's box carries the CSS classes ``fe-q`` and ``fe-q-<name>``
(``fe-q-<name>-<i>`` inside repeat instance i) and its error line
``fe-err``, so browser tests and users' style sheets can find them. A hidden
question has ``display: none``. Works offline: no asset outside the server.

Few widgets per question, because the visitor's browser builds every one of
them before the page is complete (the demo form: 980 widget models before,
420 now): a question is a box holding one HTML (heading and error line
together) and its input; headings and inputs share one style and one layout
model each, since none of them ever changes its own.
"""
from __future__ import annotations

from pathlib import Path

import ipywidgets as W
from ipywidgets.widgets.widget_description import DescriptionStyle
from ipywidgets.widgets.widget_string import HTMLStyle, TextStyle

from toolkit.forms import Form, Question, read_xlsform
from toolkit.html import Markup, join, tag
from toolkit.i18n import t
from toolkit.widgets.dashboard import Prebuilt, guarded
from toolkit.widgets import entry_logic as L

_SKIP = ("calculate",) + L.AUTO_META



def head_html(label: str, hint: str = "", required: bool = False) -> Markup:
    """A question's heading: bold label, red star when required, small hint; escaped
    (labels can carry answers and preloaded roster values)."""
    return join(tag("b", label), join(" ", tag("span", "*", style="color:#b00")) if required else "",
                join(tag("br"), tag("small", hint)) if hint else "")


def error_line_html(msg: str) -> Markup:
    """A question's error line (escaped)."""
    return tag("span", f"⚠ {msg}", style="color:#b00") if msg else Markup("")


def heading_html(head: Markup, error: str) -> Markup:
    """A question's heading with its error line below (class ``fe-err``, empty when none): one
    widget for both."""
    return join(head, tag("div", error_line_html(error), class_="fe-err"))


def status_html(text: str, ok: bool = True) -> Markup:
    """The status line after saving or submitting (escaped)."""
    return tag("span", text, class_="fe-ok") if ok else tag("span", text, class_="fe-bad", style="color:#b00")

class EntryForm:
    """The entry dashboard for one project: ``EntryForm(project, lang).widget``."""

    def __init__(self, project: str | Path, lang: str = "zh", form: Form | None = None,
                 who: str = "entry") -> None:
        self.root = Path(project)
        self.lang = lang
        self.who = who
        self.form = form or read_xlsform(L.FORM_FILE)
        self.state = L.blank_state(self.form)
        self._boxes: dict[object, W.Box] = {}
        self._inputs: dict[object, W.Widget] = {}
        self._heads: dict[object, tuple[W.HTML, Markup]] = {}   # key -> (heading widget, heading without error)
        self._notes: dict[object, str] = {}                        # key -> the note's label (filled per refresh)
        self._groups: dict[str, W.HTML] = {}
        self._repeat_boxes: dict[str, W.VBox] = {}
        self._silent = False
        # shared by every heading and input (never changed one by one): one model each instead of one per widget
        self._fixed = W.Layout()
        self._html_style = HTMLStyle()
        self._choice_style = DescriptionStyle()
        self._text_style = TextStyle()
        self.status = W.HTML(layout=W.Layout(min_height="1.5em"))
        self.status.add_class("fe-status")
        self.body = W.VBox()
        self.widget = W.VBox([self._toolbar(), self.status, self.body])
        self.widget.add_class("fe-entry")
        self._build()

    # --- construction -------------------------------------------------------------------------
    def _toolbar(self) -> W.Widget:
        lang = self.lang
        save = W.Button(description=t("widgets.entry.save_draft", lang))
        save.add_class("fe-save-draft")
        submit = W.Button(description=t("widgets.entry.submit", lang), button_style="primary")
        submit.add_class("fe-submit")
        new = W.Button(description=t("widgets.entry.new", lang))
        self.drafts = W.Dropdown(description=t("widgets.entry.drafts", lang), options=self._draft_options())
        load = W.Button(description=t("widgets.entry.load_draft", lang))
        save.on_click(lambda _: self.save_draft())
        submit.on_click(lambda _: self.submit())
        new.on_click(lambda _: self.load(L.blank_state(self.form)))
        load.on_click(lambda _: self.drafts.value and self.load(L.load_draft(self.root, self.drafts.value)))
        title = W.HTML(tag("h2", f"{t('widgets.entry.title', lang)} · {self.form.title}"))
        return W.VBox([title, W.HBox([save, submit, new]), W.HBox([self.drafts, load])])

    def _draft_options(self) -> list[tuple[str, str]]:
        return [("", "")] + [(f"{aid or '?'} ({did})", did) for did, aid in L.list_drafts(self.root)]

    def _input(self, q: Question, key: object, repeat: str, index: int) -> W.Widget:
        value = self._value(q.name, repeat, index)
        if q.type == "select_one":
            opts = [("", "")] + [(lab, name) for name, lab in self.form.choice_labels(q.list_name, self.lang).items()]
            w: W.Widget = W.Dropdown(options=opts, value=value if value in dict(opts).values() else "",
                                     layout=self._fixed, style=self._choice_style)
        elif q.type == "select_multiple":
            opts = [(lab, name) for name, lab in self.form.choice_labels(q.list_name, self.lang).items()]
            names = {n for _, n in opts}
            w = W.SelectMultiple(options=opts, value=tuple(v for v in value.split() if v in names),
                                 rows=min(len(opts), 6), layout=self._fixed, style=self._choice_style)
        elif q.type in L.MEDIA_TYPES:
            w = W.Text(value=value, placeholder=t("widgets.entry.file_name", self.lang),
                       layout=self._fixed, style=self._text_style)
        else:
            w = W.Text(value=value, continuous_update=False, layout=self._fixed, style=self._text_style)
        w.observe(lambda ch, n=q.name, r=repeat, i=index: self._changed(n, ch["new"], r, i), names="value")
        return w

    def _question(self, q: Question, repeat: str = "", index: int = 0) -> W.Widget:
        key: object = q.name if not repeat else (repeat, index, q.name)
        label = self.form.label(q, self.lang)
        hint = self.form.text(q.hints, self.lang)
        base = head_html(label, hint, bool(q.required))
        head = W.HTML(heading_html(base, ""), layout=self._fixed, style=self._html_style)
        self._heads[key] = (head, base)
        parts: list[W.Widget] = [head]
        if q.type == "note":
            self._notes[key] = label
        else:
            inp = self._input(q, key, repeat, index)
            self._inputs[key] = inp
            parts.append(inp)
        box = W.VBox(parts, layout=W.Layout(margin="4px 0 8px 0"))
        box.add_class("fe-q")
        box.add_class(f"fe-q-{q.name}" if not repeat else f"fe-q-{q.name}-{index}")
        self._boxes[key] = box
        return box

    def _value(self, name: str, repeat: str, index: int) -> str:
        if not repeat:
            return self.state.get(name)
        rows = self.state.repeats.get(repeat, ())
        return str(rows[index].get(name, "")) if index < len(rows) else ""

    def _repeat(self, g) -> W.Widget:  # noqa: ANN001 - toolkit.forms Group
        box = W.VBox()
        self._repeat_boxes[g.name] = box
        add = W.Button(description=t("widgets.entry.add", self.lang, what=self.form.label(g, self.lang)))
        add.add_class(f"fe-add-{g.name}")
        rem = W.Button(description=t("widgets.entry.remove", self.lang))
        rem.add_class(f"fe-remove-{g.name}")
        add.on_click(lambda _: self._set_state(L.add_instance(self.form, self.state, g.name), rebuild=True))
        rem.on_click(lambda _: self._set_state(L.remove_instance(self.state, g.name), rebuild=True))
        self._fill_repeat(g.name)
        return W.VBox([W.HTML(tag("h4", self.form.label(g, self.lang))), box, W.HBox([add, rem])])

    def _fill_repeat(self, name: str) -> None:
        qs = [q for q in L.value_questions(self.form, name) if q.type not in _SKIP]
        insts = []
        for i in range(len(self.state.repeats.get(name, ()))):
            inner = [self._question(q, name, i) for q in qs]
            b = W.VBox([W.HTML(tag("i", f"#{i + 1}")), *inner],
                       layout=W.Layout(border="1px solid #ccc", padding="4px", margin="4px 0"))
            b.add_class(f"fe-inst-{name}")
            insts.append(b)
        self._repeat_boxes[name].children = insts

    def _build(self) -> None:
        self._boxes.clear(), self._inputs.clear(), self._heads.clear(), self._notes.clear(), self._groups.clear()
        self._silent = True
        children: list[W.Widget] = []
        for item in self.form.items:
            if isinstance(item, Question):
                if item.repeat or item.type in _SKIP:
                    continue
                children.append(self._question(item))
            elif item.is_repeat:
                children.append(self._repeat(item))
            else:
                h = W.HTML(tag("h3", self.form.label(item, self.lang)))
                h.add_class(f"fe-g-{item.name}")
                self._groups[item.name] = h
                children.append(h)
        self.body.children = children
        self._silent = False
        self.refresh()

    # --- state --------------------------------------------------------------------------------
    def _changed(self, name: str, value: object, repeat: str, index: int) -> None:
        if self._silent:
            return
        self._set_state(L.set_answer(self.state, name, value, repeat=repeat, index=index))

    def _set_state(self, state: L.EntryState, rebuild: bool = False) -> None:
        self.state = state
        if rebuild:
            self._silent = True
            for name in self._repeat_boxes:
                for k in [k for k in self._boxes if isinstance(k, tuple) and k[0] == name]:
                    self._boxes.pop(k), self._heads.pop(k), self._inputs.pop(k, None), self._notes.pop(k, None)
                self._fill_repeat(name)
            self._silent = False
        self.refresh()

    def load(self, state: L.EntryState) -> None:
        """Show ``state`` (a new form or a loaded draft)."""
        self.state = state
        self._build()

    def refresh(self, show_errors: bool = False) -> L.Assessment:
        """Re-evaluate and show/hide questions, notes and (answered or all) errors."""
        a = L.assess(self.form, self.state, self.lang)
        self.assessment = a
        for key, box in self._boxes.items():
            rel = a.relevant.get(key, True)
            box.layout.display = None if rel else "none"
            msg = a.errors.get(key, "")
            shown = msg and (show_errors or self._answered(key))
            head, base = self._heads[key]
            if key in self._notes:
                base = tag("b", L.fill_label(self._notes[key], a.calculated))
            head.value = heading_html(base, msg if shown else "")
        for name, h in self._groups.items():
            inside = [k for k in self._boxes if isinstance(k, str) and name in self.form.question(k).path]
            h.layout.display = None if (not inside or any(a.relevant.get(k, True) for k in inside)) else "none"
        return a

    def _answered(self, key: object) -> bool:
        if isinstance(key, tuple):
            return bool(self._value(key[2], key[0], key[1]).strip())
        return bool(self.state.get(key).strip())

    def save_draft(self) -> Path:
        """Save the current answers as a draft."""
        p = L.save_draft(self.root, self.state)
        self.status.value = status_html(t("widgets.entry.draft_saved", self.lang, id=self.state.draft_id))
        self.drafts.options = self._draft_options()
        return p

    def submit(self) -> L.Submitted:
        """Submit when the form passes its checks; otherwise show every error."""
        res = L.submit(self.root, self.form, self.state, lang=self.lang, who=self.who)
        if res.errors:
            self.refresh(show_errors=True)
            self.status.value = status_html(t("widgets.entry.not_submitted", self.lang, n=len(res.errors)), ok=False)
        else:
            self.status.value = status_html(t("widgets.entry.submitted", self.lang, key=res.key))
            self.drafts.options = self._draft_options()
            self.load(L.blank_state(self.form))
        return res


_FORM: list[Form] = []


def preload(project: object = "", lang: str = "zh") -> None:
    """Read the form once; with a project (the dashboard's kernel, preheated),
    also build the form's widgets in the notebook's language: hundreds of
    widgets, seconds of the visitor's wait otherwise (toolkit.widgets.dashboard.Prebuilt)."""
    if not _FORM:
        _FORM.append(read_xlsform(L.FORM_FILE))
    if project is None:
        return
    from toolkit.widgets.data import resolve_project

    root = resolve_project(project)   # type: ignore[arg-type]
    _PAGE.put((str(root), lang, id(_FORM[0])), lambda: EntryForm(root, lang, form=_FORM[0]))


_PAGE = Prebuilt()


def entry_app(project: str | Path, lang: str = "zh") -> EntryForm:
    """The entry dashboard for ``project`` (the one built while preheated, when it fits)."""
    preload(None)
    app = _PAGE.take((str(Path(project)), lang, id(_FORM[0])))
    if app is None:
        return EntryForm(project, lang, form=_FORM[0])
    app.drafts.options = app._draft_options()   # drafts saved since the page was built
    return app


@guarded
def show(p) -> EntryForm:  # noqa: ANN001 - toolkit.widgets.dashboard.Params
    """Display the entry dashboard for the notebook's parameters."""
    from IPython.display import display

    app = entry_app(p.project, p.lang)
    display(app.widget)
    return app


__all__ = ["EntryForm", "entry_app", "error_line_html", "head_html", "heading_html", "preload", "show", "status_html"]
