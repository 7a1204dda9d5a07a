"""The project's notebooks, executed under nbclient from a fresh project: no
errors, each step explained in Chinese and English with what to check next,
tables in words, progress saved in its final state."""
from __future__ import annotations

import re

import pytest

from lab_data import outputs, text

CJK = re.compile(r"[\u4e00-\u9fff]")
CODE_WORD = re.compile(r"\b[a-z]+_[a-z0-9_]+\b")          # snake_case: a code, not a word
RAW = re.compile(r"\b(True|False|NaN|nan|None)\b|<[\w.]+ object( at 0x[0-9a-f]+)?>")


def test_lab_every_notebook_runs_without_error(executed):
    from toolkit.report import notebooks as nbs

    assert set(executed) == set(nbs.NAMES[:5])
    for name, nb in executed.items():
        outs = outputs(nb)
        assert outs, name
        bad = [text(o) or o.get("evalue", "") for o in outs
               if o["output_type"] == "error" or (o["output_type"] == "stream" and o.get("name") == "stderr")]
        assert not bad, (name, bad)


def test_lab_each_step_explains_itself_and_says_what_to_check(executed):
    for name, nb in executed.items():
        md = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown"]
        assert CJK.search(md[0]) and "\n*" in md[0], name                      # Chinese, then an English line
        steps = [m for m in md if m.startswith("## ")]
        checks = [m for m in md if m.startswith("**下一步之前请检查")]
        assert checks and all("Before the next step" in c for c in checks), name
        assert all(CJK.search(s) and "*" in s for s in steps), name
        assert len(checks) >= max(1, len(steps) - 1), (name, len(steps), len(checks))


def test_lab_tables_are_in_words(executed):
    for name, nb in executed.items():
        for o in outputs(nb):
            if o["output_type"] not in ("execute_result", "display_data"):
                continue
            shown = text(o)
            if "/" in shown and shown.strip().endswith(".json"):   # a file's path, printed
                continue
            assert not CODE_WORD.search(shown.replace(".ipynb", "")), (name, CODE_WORD.findall(shown)[:5], shown[:300])
            assert not RAW.search(shown), (name, RAW.findall(shown)[:5], shown[:300])


def test_lab_scorecard_and_charts_inline(executed):
    nb = executed["04_verify_and_score"]
    html = [o["data"]["text/html"] for o in outputs(nb) if "text/html" in o.get("data", {})]
    html = ["".join(h) if isinstance(h, list) else h for h in html]
    card = [h for h in html if "95%置信区间" in h]
    assert card and any(w in card[0] for w in ("达标", "未达标", "无法判定")), html[:1]
    sat = outputs(executed["05_satisfaction"])
    images = [o for o in sat if "image/png" in o.get("data", {})]
    assert images and all(CJK.search(text(o)) for o in images)          # a caption, not an object's name


@pytest.mark.parametrize("name", ["01_plan_sample", "03_ingest_and_check", "04_verify_and_score"])
def test_lab_progress_saved_in_its_final_state(executed, name):
    lines = [text(o) for o in outputs(executed[name]) if o["output_type"] == "display_data"
             and "（" in text(o) and "%）" in text(o)]
    assert lines, name
    assert all("（100%）" in ln and "✓" in ln for ln in lines), lines
    every = "\n".join(text(o) for o in outputs(executed[name]))
    assert "0%|" not in every and "application/vnd.jupyter.widget-view+json" not in str(executed[name])


def test_lab_results_written_into_the_project(executed, lab_project):
    out = lab_project / "output" / "notebooks"
    assert (out / "04_verify_and_score" / "scorecard.csv").read_bytes() == \
        (lab_project / "output" / "verify" / "scorecard.csv").read_bytes()
    assert (out / "01_plan_sample" / "plan.csv").exists() and (out / "05_satisfaction" / "satisfaction.csv").exists()
