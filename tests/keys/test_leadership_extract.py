"""The leadership dashboard under encryption (issue 20): at verify time a
de-identified, allow-listed extract is written plain; the leadership
dashboard reads only it, so its data load with the key absent (the key file
moved, the environment variable unset), while the results stage needs the
key; the extract holds no identifiable column or value and suppresses small
counts. One small encrypted project (600 households) for the module."""
from __future__ import annotations

import base64
import contextlib
import io
import json
import os
import stat

import pandas as pd
import pytest

from toolkit import keys, vault
from toolkit.cli import main
from toolkit.errors import UserError
from toolkit.project import Project
from toolkit.project import leadership_extract as X
from toolkit.sampling.select import Design
from toolkit.synthetic import make_city, write_city
from toolkit.synthetic_visits import simulate_visits, write_visits

SEED = 23
IDENTIFIABLE = {"archive_id", "KEY", "name", "head_name", "applicant_name", "id_number", "head_id", "applicant_id",
                "phone", "address", "township", "enumerator", "interviewer", "latitude", "longitude", "member_name"}


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    mp = pytest.MonkeyPatch()
    base = tmp_path_factory.mktemp("lead_extract")
    mp.setenv("FIELDEVAL_KEY_DIR", str(base / "home-keys"))
    mp.delenv("FIELDEVAL_KEY", raising=False)
    d = base / "proj"
    city = make_city(600, SEED)
    write_city(city, d)
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["key", "init", "--project", str(d)]) == 0
    p = Project.open(d)
    design = Design(seed=str(SEED), seed_source="test", strata=("county",), method="two_stage", reserves=2,
                    psu="township", psus_per_stratum=2, per_psu=6)
    sample, _ = p.draw(design)
    visits = simulate_visits(city, sample.units, sample.reserves, seed=SEED)
    xlsx, _ = write_visits(visits, base / "field_export")
    p.save_dispositions(visits.dispositions)
    p.ingest([xlsx])
    results = p.verify(lang="en")
    yield {"dir": d, "project": p, "city": city, "results": results, "mp": mp, "base": base,
           "key_file": keys.key_path(d)}
    mp.undo()


@contextlib.contextmanager
def key_moved(env):
    """The key file moved away (and no key in the environment) for the duration."""
    kf = env["key_file"]
    away = env["base"] / "elsewhere.key"
    os.replace(kf, away)
    try:
        yield away
    finally:
        os.replace(away, kf)


def _fresh_dashboard_memory():
    from toolkit.widgets import data, leadership

    data._LEAD.clear()
    data._CACHE.clear()
    leadership._PRE.clear()


def test_extract_is_written_plain_and_allow_listed(env):
    d = X.folder(env["project"].evaluation)
    files = sorted(p.name for p in d.iterdir())
    assert files == sorted([f"{n}.parquet" for n in X.COLUMNS] + [X.META]), files
    for f in d.iterdir():
        assert not vault.is_sealed(f), f                       # leadership outputs stay plain
        assert stat.S_IMODE(f.stat().st_mode) == 0o600, f
    assert vault.is_sealed(env["project"].paths.verify / "households.parquet")   # the stage itself is sealed
    for name, cols in X.COLUMNS.items():
        frame = pd.read_parquet(d / f"{name}.parquet")
        assert tuple(frame.columns) == cols, name
        assert not IDENTIFIABLE & set(frame.columns), name
    meta = json.loads((d / X.META).read_text(encoding="utf-8"))
    assert meta["fingerprint"] == env["results"].meta["fingerprint"]
    assert meta["left_out"] == {n: 0 for n in X.COLUMNS}


def test_extract_holds_no_identifiable_value(env):
    r = env["city"].roster
    cols = [c for c in r.columns if c in IDENTIFIABLE or c.endswith(("_name", "_id", "phone", "address"))]
    assert len(cols) >= 3, list(r.columns)
    subs = env["results"].submissions
    who = [c for c in ("KEY", "enumerator", "archive_id") if c in subs]
    values = [*r[cols].to_numpy().ravel(), *subs[who].to_numpy().ravel()]
    secrets = {str(v) for v in values if pd.notna(v) and len(str(v)) >= 2}
    d = X.folder(env["project"].evaluation)
    blob = b"".join(p.read_bytes() for p in d.iterdir())
    found = sorted(s for s in secrets if s.encode("utf-8") in blob)
    assert not found, found[:10]
    for name in X.COLUMNS:
        values = set(pd.read_parquet(d / f"{name}.parquet").astype(str).stack())
        assert not values & secrets, name


def test_findings_are_county_counts_with_small_cells_suppressed(env):
    res, k = env["results"], int(env["results"].meta["small_cell"])
    f = pd.read_parquet(X.folder(env["project"].evaluation) / "findings.parquet")
    h = res.households
    for finding in X.FINDINGS:
        n = int((pd.to_numeric(h[finding], errors="coerce") == 1).sum()) if finding in h else 0
        row = f[(f["county"] == X.ALL) & (f["finding"] == finding)].iloc[0]
        if 0 < n < k:
            assert bool(row["suppressed"]) and pd.isna(row["households"]), finding
        else:
            assert not bool(row["suppressed"]) and int(row["households"]) == n, finding
    small = f[f["suppressed"]]
    assert small["households"].isna().all()
    assert len(f) == len(X.FINDINGS) * (1 + len(env["project"].evaluation.counties))


def test_leadership_dashboard_loads_without_the_key(env):
    from toolkit.widgets import leadership
    from toolkit.widgets.data import load_leadership

    d = env["dir"]
    with key_moved(env):
        with pytest.raises(UserError) as e:            # the stage needs the key …
            Project.open(d).results()
        assert e.value.key == "keys.missing"
        _fresh_dashboard_memory()
        data = load_leadership(d)                     # … the leadership dashboard does not
        app = leadership.Leadership(data, "en", d)
        assert "fe-card" in app.cards.value and "fe-findings" in app.detail.value
        tables = leadership.view_tables(data.scorecard, data.households, app.sat, data.rounds, X.ALL, "en", app.k)
        assert len(tables) >= 3
        shown = leadership.finding_counts(data.households, X.ALL, "en", app.k)["households"].tolist()
        stored = data.households[data.households["county"] == X.ALL]
        assert shown == [f"<{app.k}" if sup else str(int(n)) for n, sup in zip(stored["households"],
                                                                              stored["suppressed"])]
    pd.testing.assert_frame_equal(data.scorecard.reset_index(drop=True),
                                  env["results"].scorecard[list(X.SCORE)].astype(data.scorecard.dtypes.to_dict())
                                  .reset_index(drop=True))


def test_leadership_dashboard_loads_with_the_key_variable_unset(env):
    from toolkit.widgets.data import load_leadership

    ring = keys.load_ring(env["dir"])
    as_env = ",".join(f"{k.hex()}:{base64.b64encode(v).decode()}" for k, v in ring.keys.items())
    with key_moved(env):
        env["mp"].setenv("FIELDEVAL_KEY", as_env)     # a server's secret store holds the key …
        try:
            assert len(Project.open(env["dir"]).results().households)
        finally:
            env["mp"].delenv("FIELDEVAL_KEY")        # … and then it is unset
        _fresh_dashboard_memory()
        assert len(load_leadership(env["dir"]).scorecard)


def test_a_missing_extract_is_rewritten_with_the_key_and_explained_without(env):
    from toolkit.i18n import t
    from toolkit.widgets.data import load_leadership

    d = X.folder(env["project"].evaluation)
    import shutil

    shutil.rmtree(d)
    with key_moved(env):
        _fresh_dashboard_memory()
        with pytest.raises(UserError) as e:
            load_leadership(env["dir"])
        assert e.value.key == "hubload.no_extract"
        assert "fieldeval verify" in e.value.message("en") and t("hubload.no_extract", "zh") != "hubload.no_extract"
    _fresh_dashboard_memory()
    assert len(load_leadership(env["dir"]).scorecard)    # with the key: written again from the stored results
    assert (d / X.META).is_file()


def test_interviewer_tables_are_sealed_and_read_back_with_the_key(env):
    from toolkit.report.interviewers import stored
    from toolkit.verify import interviewers as iv

    p = env["project"]
    for name in ("interviewer_effects", "interviewer_icc"):
        assert vault.is_sealed(p.paths.verify / f"{name}.parquet"), name
    tables = iv.load(p.paths.verify)
    assert set(tables) == {"interviewer_effects", "interviewer_icc"} and len(tables["interviewer_icc"])
    assert len(stored(p.evaluation)["icc"]) == len(tables["interviewer_icc"])   # the report's reader
    with key_moved(env), pytest.raises(UserError) as e:
        iv.load(p.paths.verify)
    assert e.value.key == "keys.missing"


def test_reconciliation_card_reads_the_extract_without_the_key(env, tmp_path):
    """Under a key the reconciliation stage is sealed; the leadership dashboard's
    card comes from the extract (written again by ``reconcile check``)."""
    import shutil

    from toolkit.synthetic_reconcile import demo_reconcile
    from toolkit.widgets import leadership
    from toolkit.widgets.data import load_leadership

    d = tmp_path / "proj"
    shutil.copytree(env["dir"], d)
    with contextlib.redirect_stdout(io.StringIO()):
        demo_reconcile(Project.open(d), "en")
    assert vault.is_sealed(d / "output" / "reconcile" / "consistency.parquet")
    cons = pd.read_parquet(X.folder(Project.open(d).evaluation) / "consistency.parquet")
    assert tuple(cons.columns) == X.COLUMNS["consistency"] and X.ALL in set(cons["county"])
    kf = env["key_file"]
    away = env["base"] / "elsewhere2.key"
    os.replace(kf, away)
    try:
        _fresh_dashboard_memory()
        data = load_leadership(d)
        assert len(data.consistency) == len(cons)
        assert "data_consistency" in str(leadership.Views(data, "en").cards(X.ALL))
    finally:
        os.replace(away, kf)
