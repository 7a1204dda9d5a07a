"""Back-check outputs under encryption (issue 20): in a project with a key,
the draw (manifest, picks, lists, preload) and the comparison (tables,
workbook, the field table the quality page reads) are written encrypted —
no household id or interviewer code in their bytes — and read back with the
key (the same flagged interviewer as in tests/backcheck); without the key a
reader stops with words naming the key file. A small synthetic field
(6 interviewers × 24 households, tests/backcheck/bc_data.py)."""
from __future__ import annotations

import contextlib
import importlib.util
import io
import os
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from toolkit import keys, vault
from toolkit.cli import main
from toolkit.errors import UserError

_BC = Path(__file__).resolve().parents[1] / "backcheck" / "bc_data.py"
_spec = importlib.util.spec_from_file_location("fe_keys_bc_data", _BC)
bc_data = sys.modules.setdefault("fe_keys_bc_data", importlib.util.module_from_spec(_spec))
_spec.loader.exec_module(bc_data)


@pytest.fixture(scope="module")
def proj(tmp_path_factory):
    mp = pytest.MonkeyPatch()
    base = tmp_path_factory.mktemp("bc_sealed")
    mp.setenv("FIELDEVAL_KEY_DIR", str(base / "home-keys"))
    mp.delenv("FIELDEVAL_KEY", raising=False)
    c = bc_data.case(5, interviewers=6, per=24, min_per=8, share=0.25)
    d = bc_data.project(base / "p", c)
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["key", "init", "--project", str(d)]) == 0
        assert main(["backcheck", "draw", "--project", str(d), "--seed", "77", "--share", "0.25",
                     "--min-per-enumerator", "8", "--backcheckers", "B1,B2,B3,B4", "--lang", "en"]) == 0
    from toolkit.synthetic_backcheck import answer_backchecks, write_export

    from toolkit.backcheck import manifest as mf

    picks = mf.picks_of(mf.load(d / "output" / "backcheck"))
    fabs = set(c.fabricator.split(","))
    not_visited = set(c.truth.loc[c.truth["interviewer_1"].isin(fabs) & c.truth["visit_result"].eq("met"),
                                  "archive_id"])
    ans, pays = answer_backchecks(c.truth, picks, seed=5, members=c.members, payments=c.payments,
                                  not_visited=not_visited, careless="B3")
    export = write_export(ans, pays, str(base / "backcheck_export.zip"))
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["backcheck", "compare", "--project", str(d), "--export", export, "--lang", "en"]) == 0
    yield {"dir": d, "case": c, "fabs": fabs, "picks": picks, "base": base}
    mp.undo()


def _written(d: Path) -> list[Path]:
    bc = d / "output" / "backcheck"
    files = [bc / "manifest.json", bc / "picks.csv", *sorted((bc / "lists").iterdir()), bc / "comparison.xlsx",
             *sorted(bc.glob("*.parquet")), d / "output" / "field" / "backchecks.parquet"]
    assert len(files) >= 8 + 11, [p.name for p in files]
    return files


def test_backcheck_files_are_encrypted(proj):
    files = _written(proj["dir"])
    plain = [p.name for p in files if not vault.is_sealed(p)]
    assert not plain, plain
    picks = proj["picks"]
    # a secret of a few bytes turns up in random ciphertext by chance (a 3-byte code in ~100 KB: ~1 in 30
    # runs), so only those of 6 bytes or more are looked for; the short interviewer codes are covered by
    # the files being sealed at all
    secrets = {s.encode() for s in set(picks["archive_id"].astype(str)) | set(picks["interviewer"].astype(str))
               if len(s.encode()) >= 6}
    assert len(secrets) >= 10
    for p in files:
        blob = p.read_bytes()
        assert not [s for s in secrets if s in blob], p.name
        assert p.stat().st_mode & 0o077 == 0, p


def test_backcheck_outputs_read_back_with_the_key(proj):
    from toolkit.backcheck import manifest as mf
    from toolkit.backcheck import outputs
    from toolkit.widgets.quality import read_backchecks

    d = proj["dir"]
    bc = d / "output" / "backcheck"
    tables = outputs.read(bc)
    assert tables is not None and set(tables) == set(outputs.TABLES)
    enum = tables["enumerators"]
    assert set(enum.loc[enum["flagged"], "enumerator"]) == proj["fabs"]     # what the plain run finds
    field = read_backchecks(d / "output" / "field")
    assert field is not None and {"enumerator", "result", "flagged"} <= set(field.columns)
    assert main(["backcheck", "verify", "--project", str(d), "--lang", "en"]) == 0   # the manifest re-derives
    assert len(mf.load(bc)["draws"]) == 1
    with vault.plain_copy(bc / "comparison.xlsx") as x:
        assert [ws.title for ws in openpyxl.load_workbook(x).worksheets][:2] == ["Summary", "Interviewers"]
    pre = pd.read_csv(vault.source(bc / "lists" / "backcheck_preload.csv"), dtype=str)
    assert len(pre) == len(proj["picks"])


def test_backcheck_outputs_need_the_key(proj):
    from toolkit.backcheck import outputs

    d = proj["dir"]
    kf = keys.key_path(d)
    away = proj["base"] / "elsewhere.key"
    os.replace(kf, away)
    try:
        with pytest.raises(UserError) as e:
            outputs.read(d / "output" / "backcheck")
        assert e.value.key == "keys.missing" and str(kf) in e.value.message("en")
    finally:
        os.replace(away, kf)
