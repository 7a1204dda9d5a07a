"""Charts for the report: matplotlib (Agg) with a Noto CJK font, as PNG bytes.

The font comes from the system (Debian ``fonts-noto-cjk``, installed by
scripts/install-system-deps.sh) and is found through
``matplotlib.font_manager``; without it the report stops with a clear message
instead of drawing empty boxes for Chinese characters. Nothing is fetched:
the PNGs are embedded in the HTML and Word files.
"""
from __future__ import annotations

import io
from functools import lru_cache

import numpy as np
import pandas as pd

from toolkit.errors import UserError

CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans CJK", "Noto Serif CJK SC", "Noto Sans SC")
DPI = 110
VERDICT_COLOURS = {"pass": "#2e7d32", "fail": "#c62828", "inconclusive": "#ef6c00", "no_interval": "#6d4c41",
                   "info": "#546e7a", "no_data": "#9e9e9e"}
SCALE_COLOURS = ("#c62828", "#ef9a9a", "#bdbdbd", "#90caf9", "#1565c0")   # 1 … 5


@lru_cache(maxsize=1)
def cjk_font() -> tuple[str, str]:
    """(family name, file path) of an installed Noto CJK font; UserError
    ``report.no_cjk_font`` when none is installed."""
    try:
        from matplotlib import font_manager
    except ImportError:
        raise UserError("notebooks.missing_dep", package="matplotlib") from None

    entries = {f.name: f.fname for f in font_manager.fontManager.ttflist}
    for fam in CJK_FAMILIES:
        if fam in entries:
            return fam, entries[fam]
    for f in font_manager.findSystemFonts():
        if "NotoSansCJK" in f.replace("-", "").replace("_", "") or "NotoSerifCJK" in f.replace("-", ""):
            font_manager.fontManager.addfont(f)
            fam = font_manager.FontProperties(fname=f).get_name()
            return fam, f
    raise UserError("report.no_cjk_font")


def _plt():
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    fam, _ = cjk_font()
    plt.rcParams["font.family"] = [fam]
    plt.rcParams["font.sans-serif"] = [fam, "DejaVu Sans"]
    plt.rcParams["axes.unicode_minus"] = False
    plt.rcParams["svg.fonttype"] = "none"
    return plt


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, bbox_inches="tight", metadata={"Software": None})
    import matplotlib.pyplot as plt

    plt.close(fig)
    return buf.getvalue()


def county_whiskers(rows: pd.DataFrame, *, titles: dict[str, str], xlabel: str,
                    threshold_label: str) -> bytes:
    """:func:`draw_county_whiskers`, or within :func:`toolkit.report.parallel.aside`
    its :class:`~toolkit.report.parallel.Pending` (drawn by the helper process)."""
    from toolkit.report import parallel

    return parallel.later(draw_county_whiskers, rows, titles=titles, xlabel=xlabel, threshold_label=threshold_label)


def draw_county_whiskers(rows: pd.DataFrame, *, titles: dict[str, str], xlabel: str,
                         threshold_label: str) -> bytes:
    """Small multiples, one panel per indicator: each county's estimate (dot,
    coloured by verdict) with its 95 % interval (whisker) and the threshold
    (dashed line). ``rows``: indicator, label (county name as shown),
    estimate, ci_low, ci_high, threshold, verdict; shares 0–1 (drawn in %)."""
    plt = _plt()
    inds = list(dict.fromkeys(rows["indicator"]))
    ncol = 2 if len(inds) > 1 else 1
    nrow = int(np.ceil(len(inds) / ncol))
    n_lab = rows.groupby("indicator").size().max() if len(rows) else 1
    fig, axes = plt.subplots(nrow, ncol, figsize=(5.2 * ncol, 0.32 * n_lab * nrow + 1.1 * nrow), squeeze=False)
    for ax, ind in zip(axes.ravel(), inds):
        g = rows[rows["indicator"] == ind].reset_index(drop=True)
        y = np.arange(len(g))[::-1]
        est = g["estimate"].to_numpy(float) * 100
        lo = g["ci_low"].to_numpy(float) * 100
        hi = g["ci_high"].to_numpy(float) * 100
        ok = ~np.isnan(est)
        col = [VERDICT_COLOURS.get(v, "#333333") for v in g["verdict"]]
        ax.hlines(y[ok], lo[ok], hi[ok], color="#455a64", lw=1.6)
        ax.scatter(est[ok], y[ok], c=[c for c, o in zip(col, ok) if o], s=28, zorder=3)
        th = g["threshold"].dropna()
        if len(th):
            ax.axvline(th.iloc[0] * 100, ls="--", color="#c62828", lw=1, label=threshold_label)
        ax.set_yticks(y, g["label"].tolist(), fontsize=8)
        ax.set_title(titles.get(ind, ind), fontsize=10)
        ax.set_xlabel(xlabel, fontsize=8)
        ax.tick_params(axis="x", labelsize=8)
        ax.grid(axis="x", alpha=0.3)
    for ax in axes.ravel()[len(inds):]:
        ax.axis("off")
    fig.tight_layout()
    return _png(fig)


def stacked_distribution(shares: pd.DataFrame, labels: list[str], *, xlabel: str) -> bytes:
    """:func:`draw_stacked_distribution`, or within :func:`toolkit.report.parallel.aside`
    its :class:`~toolkit.report.parallel.Pending` (drawn by the helper process)."""
    from toolkit.report import parallel

    return parallel.later(draw_stacked_distribution, shares, labels, xlabel=xlabel)


def draw_stacked_distribution(shares: pd.DataFrame, labels: list[str], *, xlabel: str) -> bytes:
    """Horizontal 100 % bars: one bar per row of ``shares`` (index = bar
    label, columns = answer codes 1…5 as shares 0–1), legend ``labels``."""
    plt = _plt()
    fig, ax = plt.subplots(figsize=(7.5, 0.45 * len(shares) + 1.4))
    y = np.arange(len(shares))[::-1]
    left = np.zeros(len(shares))
    for j, code in enumerate(shares.columns):
        v = shares[code].to_numpy(float) * 100
        v = np.nan_to_num(v)
        ax.barh(y, v, left=left, color=SCALE_COLOURS[j % len(SCALE_COLOURS)], label=labels[j],
                edgecolor="white", height=0.7)
        left += v
    ax.set_yticks(y, [str(i) for i in shares.index], fontsize=8)
    ax.set_xlim(0, 100)
    ax.set_xlabel(xlabel, fontsize=8)
    ax.legend(ncol=len(labels), fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.18), frameon=False)
    fig.tight_layout()
    return _png(fig)


__all__ = ["cjk_font", "county_whiskers", "draw_county_whiskers", "draw_stacked_distribution", "stacked_distribution",
           "VERDICT_COLOURS"]
