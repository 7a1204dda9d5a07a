"""Pages built while the kernel is preheated (toolkit.widgets.dashboard.Prebuilt):
the visitor gets the page built for their project, language and data, once;
anything else is built again and the unused page's widgets are closed."""
from __future__ import annotations

from pathlib import Path

import ipywidgets as W

from toolkit.widgets import entry as EN
from toolkit.widgets import leadership as LD
from toolkit.widgets import progress as PG
from toolkit.widgets import quality as QU
from toolkit.widgets import walkthrough as WT
from toolkit.widgets.dashboard import Params, Prebuilt


class _Page:
    def __init__(self) -> None:
        self.inner = W.Label("x")
        self.widget = W.VBox([W.HBox([self.inner])])


def test_prebuilt_hands_over_once_and_closes_what_does_not_fit() -> None:
    pre = Prebuilt()
    page = _Page()
    pre.put(("p", "zh", 1), lambda: page)
    assert pre.take(("p", "zh", 1)) is page
    assert pre.take(("p", "zh", 1)) is None          # one visitor per preheated kernel
    other = _Page()
    pre.put(("p", "zh", 1), lambda: other)
    assert pre.take(("p", "en", 1)) is None          # another language: built again by the caller
    assert other.inner.comm is None and other.widget.comm is None   # closed, children too
    pre.put(("p", "zh", 1), lambda: 1 / 0)           # a failing build keeps nothing
    assert pre.take(("p", "zh", 1)) is None


def _shown(module, p: Params, monkeypatch):  # noqa: ANN001, ANN202
    monkeypatch.setattr("IPython.display.display", lambda *a, **k: None)
    return module.show(p)


def test_show_uses_the_page_built_while_preheated(demo_project: Path, monkeypatch) -> None:  # noqa: ANN001
    root = demo_project.resolve()
    LD.preload(str(root), "en")
    built = LD._PAGE.app
    assert built is not None
    county = LD.counties(built.r.scorecard)[1]
    app = _shown(LD, Params(root, "en", {"county": county}), monkeypatch)
    assert app is built and app.county.value == county     # the query applied to the built page
    LD.preload(str(root), "en")
    again = LD._PAGE.app
    assert _shown(LD, Params(root, "zh", {}), monkeypatch) is not again   # language differs: a new page
    assert again.widget.comm is None
    for module in (EN, QU, PG):   # each page is built in the notebook's language and handed over
        module.preload(str(root), "zh")
        page = module._PAGE.app
        assert page is not None and page.lang == "zh"
        assert _shown(module, Params(root, "zh", {}), monkeypatch) is page


def test_walkthrough_built_early_shows_notes_written_later(project_copy: Path, monkeypatch) -> None:  # noqa: ANN001
    root = project_copy.resolve()
    WT.preload(str(root), "en")
    built = WT._PAGE.app
    assert built is not None
    aid = built.household.value
    WT.record_note(root, aid, "门口有新装的空调", "检查员甲", "复核")
    app = _shown(WT, Params(root, "en", {}), monkeypatch)
    assert app is built
    assert "门口有新装的空调" in app.hist.value
