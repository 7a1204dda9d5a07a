"""What a person reads on a dashboard, as text, and the codes that must not be in it.

Reusable by any dashboard test:

* :func:`render_notebook` runs a dashboard notebook (toolkit/dashboards/*.ipynb)
  under nbclient with ``project`` and ``lang`` set, the way Voilà runs it
  (nbclient keeps the widgets' final state);
* :func:`notebook_texts` walks what the notebook put on the page: every
  displayed widget and, through ``children`` and Output widgets, every widget
  inside it, plus HTML/text outputs outside widgets;
* :func:`widget_texts` does the same for a live ``ipywidgets`` widget built in
  the test process (``Walkthrough(...).widget``);
* :func:`suspects` finds what a reader must never see: snake_case identifiers,
  ``True``/``False``, ``NaN``/``nan``, ``None``, ``<NA>``, object reprs, and on
  a zh page untranslated English words.

Visible text of a widget: HTML values stripped of tags (and of ``<style>`` and
``<script>`` bodies), labels, descriptions, placeholders and tooltips, option
labels of selection widgets, tab titles, text box values.
"""
from __future__ import annotations

import copy
import html
import re
from collections.abc import Iterable
from pathlib import Path

DASH = Path(__file__).resolve().parents[2] / "toolkit" / "dashboards"
SUSPECT = re.compile(r"\b[a-z]+_[a-z_]+\b|\bTrue\b|\bFalse\b|\bNaN\b|\bnan\b|\bNone\b|<NA>|object at 0x")
ENGLISH = re.compile(r"\b[a-z]{3,}\b")
"""On a zh page, a lower-case English word ("finding households") is a label nobody translated."""
_BLOCK = re.compile(r"<(style|script|metadata)\b[^>]*>.*?</\1\s*>", re.S | re.I)
_TAG = re.compile(r"<[^>]*>")
_TEXT_KEYS = ("description", "placeholder", "tooltip", "button_text")
_VALUE_MODELS = ("HTMLModel", "HTMLMathModel", "LabelModel", "TextModel", "TextareaModel", "ComboboxModel")


def html_text(markup: object) -> str:
    """The text a browser shows for ``markup``: tags and style/script bodies removed, entities decoded."""
    s = _BLOCK.sub(" ", str(markup or ""))
    return html.unescape(_TAG.sub(" ", s))


def _output_texts(outputs: Iterable[dict], state: dict | None, seen: set) -> list[str]:
    """Texts of notebook/Output-widget outputs; widget views are followed into ``state``."""
    out: list[str] = []
    for o in outputs:
        kind = o.get("output_type")
        if kind == "stream":  # stdout is on the page; stderr (warnings) is the test_notebooks' business
            if o.get("name") == "stdout":
                out.append(str(o.get("text", "")))
            continue
        data = o.get("data", {})
        view = data.get("application/vnd.jupyter.widget-view+json")
        if view and state is not None:
            out += _state_texts(state, view["model_id"], seen)
        elif "text/html" in data:
            out.append(html_text("".join(data["text/html"]) if isinstance(data["text/html"], list) else data["text/html"]))
        elif "text/markdown" in data:
            out.append(str(data["text/markdown"]))
        elif "text/plain" in data:
            out.append(str(data["text/plain"]))
        if kind == "error":
            out.append(f"{o.get('ename')}: {o.get('evalue')}")
    return out


def _model_texts(name: str, st: dict) -> list[str]:
    out = [str(st[k]) for k in _TEXT_KEYS if st.get(k)]
    if name in _VALUE_MODELS and st.get("value") is not None:
        out.append(html_text(st["value"]) if name.startswith("HTML") else str(st["value"]))
    out += [str(x) for x in st.get("_options_labels", ()) or ()]
    titles = st.get("titles") or st.get("_titles") or ()
    out += [str(x) for x in (titles.values() if isinstance(titles, dict) else titles) if x]
    return out


def _state_texts(state: dict, model_id: str, seen: set) -> list[str]:
    """Texts of one model of a saved widget state and of every model inside it."""
    if model_id in seen or model_id not in state:
        return []
    seen.add(model_id)
    entry = state[model_id]
    st = entry.get("state", entry)
    name = entry.get("model_name") or st.get("_model_name", "")
    out = _model_texts(name, st)
    for ref in st.get("children", ()) or ():
        out += _state_texts(state, str(ref).removeprefix("IPY_MODEL_"), seen)
    if name == "OutputModel":
        out += _output_texts(st.get("outputs", ()), state, seen)
    return out


def notebook_texts(nb, cells: Iterable[int] | None = None) -> list[str]:  # noqa: ANN001 - NotebookNode
    """Everything an executed dashboard notebook shows (module doc), from all
    cells or the cells numbered in ``cells``."""
    state = nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {}).get("state", {})
    seen: set = set()
    out: list[str] = []
    for i in (range(len(nb.cells)) if cells is None else cells):
        out += _output_texts(nb.cells[i].get("outputs", []), state, seen)
    return out


def widget_texts(widget) -> list[str]:  # noqa: ANN001 - ipywidgets.Widget
    """Everything a live widget shows, walking its children (module doc)."""
    out: list[str] = []
    stack, seen = [widget], set()
    while stack:
        w = stack.pop()
        if id(w) in seen:
            continue
        seen.add(id(w))
        st = {k: getattr(w, k) for k in (*_TEXT_KEYS, "value", "_options_labels", "titles") if hasattr(w, k)}
        out += _model_texts(getattr(w, "_model_name", ""), st)
        stack += list(getattr(w, "children", ()) or ())
        if getattr(w, "_model_name", "") == "OutputModel":
            out += _output_texts(getattr(w, "outputs", ()), None, set())
    return out


def suspects(texts: Iterable[str], context: int = 30, allow: Iterable[str] = (), lang: str = "") -> list[str]:
    """Each code-like match with a little context ("…household_size…"),
    deduplicated; a text equal to one of ``allow`` is a word on purpose. With
    ``lang="zh"`` lower-case English words count too (:data:`ENGLISH`)."""
    ok = set(allow)
    pattern = re.compile(f"{SUSPECT.pattern}|{ENGLISH.pattern}") if lang == "zh" else SUSPECT
    found: dict[str, None] = {}
    for text in texts:
        if text.strip() in ok:
            continue
        for m in pattern.finditer(text):
            a, b = max(0, m.start() - context), m.end() + context
            found.setdefault(f"{m.group(0)!r} in …{text[a:b].strip()}…", None)
    return list(found)


def render_notebook(name: str, project: Path, langs: tuple[str, ...] = ("zh", "en"),
                    timeout: int = 240) -> dict[str, list[str]]:
    """Run dashboard ``name`` under nbclient for ``project``, once per language
    in one kernel (the page's cells again after ``lang = …``), the way Voilà
    runs it; {lang: the texts that language's page shows}."""
    import nbformat
    from nbclient import NotebookClient
    from nbformat.v4 import new_code_cell

    nb = nbformat.read(DASH / f"{name}.ipynb", as_version=4)
    nb.cells[0].source += f"\nproject = {str(project)!r}\nlang = {langs[0]!r}"
    page = nb.cells[1:]
    blocks, cells = {langs[0]: range(1, len(nb.cells))}, list(nb.cells)
    for lang in langs[1:]:
        cells.append(new_code_cell(f"lang = {lang!r}"))
        blocks[lang] = range(len(cells), len(cells) + len(page))
        cells += [copy.deepcopy(c) for c in page]
    nb.cells = cells
    NotebookClient(nb, timeout=timeout, kernel_name="python3", store_widget_state=True,
                   resources={"metadata": {"path": str(DASH)}}).execute()
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            assert out["output_type"] != "error", f"{name}: {out.get('ename')}: {out.get('evalue')}"
    return {lang: notebook_texts(nb, r) for lang, r in blocks.items()}


def dashboards() -> list[str]:
    """Every dashboard notebook shipped (toolkit/dashboards/*.ipynb), by name."""
    return sorted(p.stem for p in DASH.glob("*.ipynb"))


__all__ = ["DASH", "SUSPECT", "ENGLISH", "dashboards", "html_text", "notebook_texts", "render_notebook", "suspects",
           "widget_texts"]
