"""The report's map section and the workbook's map image (issue 22).

:func:`extend` adds a section after the six aspects: a paragraph, a table
(county, area code, each headline indicator's estimate and verdict in words)
and the verdict maps (toolkit.maps.figure). :func:`place_images` puts that
figure as an image beside the table on its sheet of the report workbook
(openpyxl; the workbook rewritten atomically). De-identified: counties only.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from toolkit.i18n import t
from toolkit.maps.figure import HEADLINE, verdict_maps_png
from toolkit.maps.svg import scorecard_rows

KEY = "county_map"


def _pct(x: object) -> str:
    return "–" if x is None or pd.isna(x) else f"{float(x) * 100:.1f}%"


def section(inputs: object, lang: str = "zh") -> object | None:
    """The map section, or None when no county of the project has a boundary."""
    from toolkit.maps import boundaries as bd
    from toolkit.report.model import Figure, Section, Table
    from toolkit.verify.indicators import INDICATORS

    from toolkit.errors import UserError

    ev, card = inputs.evaluation, inputs.scorecard
    try:
        bd.check_counties([(c.name, c.code) for c in ev.counties])
    except UserError as e:   # the report still comes out; the map's absence is explained
        return Section(KEY, t("maps.report.title", lang), (t("maps.map.unavailable", lang, reason=e.message(lang)),))
    spec = {i.name: i for i in INDICATORS}
    inds = [i for i in HEADLINE if i in set(card["indicator"])]
    if not inds:
        return None
    name = {i: (spec[i].zh if lang == "zh" else spec[i].en) for i in inds}
    panels = [(name[i], scorecard_rows(card, ev.counties, i)) for i in inds]
    png = verdict_maps_png(panels, lang)
    table = pd.DataFrame({t("maps.col.county", lang): [c.name for c in ev.counties],
                          t("maps.col.code", lang):
                          [c.code for c in ev.counties]})
    for i, (_, rows) in zip(inds, panels):
        table[name[i]] = [f"{_pct(e)}（{t(f'verify.verdict.{v}', lang)}）" if pd.notna(e)
                          else t("verify.verdict.no_data", lang) for e, v in zip(rows["estimate"], rows["verdict"])]
    return Section(KEY, t("maps.report.title", lang), (t("maps.report.intro", lang),),
                   (Table(KEY, t("maps.report.table", lang), table, note=t("maps.map.legend_static", lang)),),
                   (Figure(KEY, t("maps.report.figure", lang), png),))


def extend(sections: tuple, inputs: object, lang: str = "zh") -> tuple:
    """``sections`` with the map section after the six aspects (unchanged when no map)."""
    s = section(inputs, lang)
    if s is None:
        return sections
    keys = [x.key for x in sections]
    at = keys.index("aspects") + 1 if "aspects" in keys else len(sections)
    return (*sections[:at], s, *sections[at:])


def place_images(path: str | Path, report: object, sheet_names: dict[str, str]) -> Path:
    """Put the map figure beside its table in the report workbook ``path``."""
    import io

    import openpyxl
    from openpyxl.drawing.image import Image
    from openpyxl.utils import get_column_letter

    from toolkit.tables import atomic_path

    fig = next((f for s in _walk(report.sections) for f in s.figures if f.key == KEY), None)
    if fig is None or KEY not in sheet_names:
        return Path(path)
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet_names[KEY]]
    img = Image(io.BytesIO(fig.png))
    img.width, img.height = img.width * 0.6, img.height * 0.6
    ws.add_image(img, f"{get_column_letter(ws.max_column + 2)}3")
    with atomic_path(Path(path)) as tmp:
        wb.save(tmp)
    return Path(path)


def _walk(sections: tuple):  # noqa: ANN202 - generator of Section
    for s in sections:
        yield s
        yield from _walk(s.subsections)
