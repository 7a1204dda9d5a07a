"""County verdict maps for the report and the workbook: matplotlib (Agg, the
report's Noto CJK font), small multiples, one panel per headline indicator.

Same classes and colours as the dashboard's SVG (toolkit.maps.svg): pass,
fail (hatched), inconclusive, no data; each county's name and estimate on
it; the legend in words. Areas only, no points (leaders' outputs).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from toolkit.i18n import t
from toolkit.maps import boundaries as bd
from toolkit.maps.svg import SIMPLIFY_DEG, VERDICT_FILL, VERDICT_TEXT, verdict_class

HEADLINE = ("wrong_exit", "missed", "approval", "funds_in_full", "wrong_inclusion", "overall_precision")


def _patches(g: object, **kw: object) -> list:
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path as MPath

    out = []
    for poly in getattr(g, "geoms", [g]):
        if poly.geom_type != "Polygon":
            continue
        rings = [np.asarray(poly.exterior.coords), *(np.asarray(r.coords) for r in poly.interiors)]
        verts = np.concatenate(rings)
        codes = np.concatenate([[MPath.MOVETO] + [MPath.LINETO] * (len(r) - 2) + [MPath.CLOSEPOLY] for r in rings])
        out.append(PathPatch(MPath(verts, codes), **kw))
    return out


def verdict_maps_png(panels: list[tuple[str, pd.DataFrame]], lang: str = "zh") -> bytes:
    """PNG of small multiples: ``panels`` = [(indicator title, rows)], rows as
    toolkit.maps.svg.scorecard_rows gives them (county, code, estimate, ci_low,
    ci_high, verdict). Counties without a boundary are left out of the drawing."""
    from matplotlib.patches import Patch

    from toolkit.report.charts import _plt, _png

    plt = _plt()
    have = set(bd.county_index()["code"])
    ncol = min(3, max(1, len(panels)))
    nrow = int(np.ceil(len(panels) / ncol))
    fig, axes = plt.subplots(nrow, ncol, figsize=(3.4 * ncol, 3.3 * nrow + 0.5), squeeze=False)
    for ax, (title, rows) in zip(axes.ravel(), panels):
        r = rows[rows["code"].astype(str).isin(have)].reset_index(drop=True)
        geoms = shapely.simplify(bd.areas(r["code"].astype(str)).geoms, SIMPLIFY_DEG, preserve_topology=True)
        k = np.cos(np.radians(shapely.total_bounds(geoms)[[1, 3]].mean())) if len(geoms) else 1.0
        for g, (_, row) in zip(geoms, r.iterrows()):
            cls = verdict_class(row["verdict"])
            for p in _patches(g, facecolor=VERDICT_FILL[cls], edgecolor="white", linewidth=0.8,
                              hatch="////" if cls == "fail" else None):
                ax.add_patch(p)
            pt = g.representative_point()
            est = "–" if pd.isna(row["estimate"]) else f"{float(row['estimate']) * 100:.1f}%"
            ax.text(pt.x, pt.y, f"{row['county']}\n{est}", ha="center", va="center", fontsize=6.5,
                    color=VERDICT_TEXT[cls], fontweight="bold")
        if len(geoms):
            x0, y0, x1, y1 = shapely.total_bounds(geoms)
            ax.set_xlim(x0, x1)
            ax.set_ylim(y0, y1)
        ax.set_aspect(1 / k)
        ax.set_title(title, fontsize=9)
        ax.axis("off")
    for ax in axes.ravel()[len(panels):]:
        ax.axis("off")
    handles = [Patch(facecolor=VERDICT_FILL[v], edgecolor="#555", hatch="////" if v == "fail" else None,
                     label=t(f"verify.verdict.{v}", lang)) for v in ("pass", "fail", "inconclusive", "no_data")]
    fig.legend(handles=handles, loc="lower center", ncol=4, fontsize=8, frameon=False)
    fig.tight_layout(rect=(0, 0.06, 1, 1))
    return _png(fig)
