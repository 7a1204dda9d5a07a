"""Benchmark: every relevant and constraint of household_visit.xlsx on 100,000 submissions.

Run:  .venv/bin/python bench/bench_forms.py [--n 100000] [--sample 2000]

Times the column-wise evaluator (fresh Context, so column loading is included)
against the row-by-row reference evaluator. The reference is timed on a
subsample of rows at each level and scaled linearly to the full size (it is
a plain per-row loop, so its time is linear in rows); the script says so.
Goals: column-wise <= 2 s; >= 50x faster than row by row. Also checks that
both give the same answers on the subsample.
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from toolkit.forms.expr import evaluate_bool, parse
from toolkit.forms.fake import fake_submissions
from toolkit.forms.model import Form, Question
from toolkit.forms.reader import read_xlsform
from toolkit.forms.rowwise import evaluate_row_bool
from toolkit.forms.run import _level
from toolkit.forms.vector import Context

FORM = Path(__file__).resolve().parents[1] / "questionnaires" / "household_visit.xlsx"


def jobs(form: Form) -> list[tuple[str, str, str | None]]:
    """(level, expression, current question) for every relevant and constraint.

    The level is the innermost enclosing repeat ('' for the submission); a
    group's or repeat's own relevant is evaluated at the level around it.
    """
    reps = {r.name for r in form.repeats}
    out: list[tuple[str, str, str | None]] = []
    for item in form.items:
        if isinstance(item, Question):
            level = item.repeat
        else:
            level = next((p for p in reversed(item.path) if p in reps), "")
        if item.relevant:
            out.append((level, item.relevant, None))
        if isinstance(item, Question) and item.constraint:
            out.append((level, item.constraint, item.name))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--sample", type=int, default=2_000)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()

    form = read_xlsform(FORM)
    work = jobs(form)
    data = fake_submissions(form, args.n, args.seed)
    levels = {lvl for lvl, _, _ in work}
    sizes = {lvl: _level(data, form, lvl).n for lvl in levels}
    trees = [(lvl, parse(e), cur) for lvl, e, cur in work]
    print(f"form: {FORM.name}; {len(work)} expressions "
          f"({sum(1 for _, _, c in work if c is None)} relevant, {sum(1 for _, _, c in work if c)} constraint)")
    print("rows: " + ", ".join(f"{lvl or 'submissions'} {n:,}" for lvl, n in sorted(sizes.items())))

    # column-wise, on a fresh context (column loading counted)
    fresh = Context(data.rows, choice_labels=data.choice_labels)
    t0 = time.perf_counter()
    ctxs = {lvl: _level(fresh, form, lvl) for lvl in levels}
    results = [evaluate_bool(tree, ctxs[lvl], current=cur) for lvl, tree, cur in trees]
    col_time = time.perf_counter() - t0

    # row by row, on a subsample per level, scaled to the full size
    rng = np.random.default_rng(args.seed)
    row_time = 0.0
    mismatches = 0
    for lvl in sorted(levels):
        ctx = _level(data, form, lvl)
        frame = ctx.rows.frame
        take = np.sort(rng.choice(len(frame), size=min(args.sample, len(frame)), replace=False))
        records = []
        for i in take:  # a row's cells plus its ancestors' cells
            cells = frame.iloc[i].to_dict()
            for anc, pos in ctx.ancestors:
                for k, v in anc.frame.iloc[pos[i]].to_dict().items():
                    cells.setdefault(k, v)
            records.append(cells)
        mine = [(j, tree, cur) for j, (lv, tree, cur) in enumerate(trees) if lv == lvl]
        t0 = time.perf_counter()
        answers = [[evaluate_row_bool(tree, rec, current=cur) for rec in records] for _, tree, cur in mine]
        row_time += (time.perf_counter() - t0) * len(frame) / len(take)
        for (j, _, _), ans in zip(mine, answers):
            mismatches += int((results[j][take] != np.array(ans)).sum())

    print(f"column-wise: {col_time:.3f} s for all {len(work)} expressions on {args.n:,} submissions "
          f"(goal <= 2 s)")
    print(f"row-by-row:  {row_time:.1f} s (timed on {args.sample:,} rows per level, scaled linearly)")
    print(f"speed-up:    {row_time / col_time:.0f}x (goal >= 50x)")
    print(f"agreement on the subsample: {'all equal' if mismatches == 0 else f'{mismatches} differences'}")


if __name__ == "__main__":
    main()
