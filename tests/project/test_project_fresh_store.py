"""A project's first verification creates the store's round (Project.record);
that alone must not make the result it just wrote out of date, or the report
verifies everything again (national size: minutes). The inputs' stamp kept in
meta.json names what changed when something did."""
from __future__ import annotations

from toolkit.project import Project
from toolkit.store import open_store
from toolkit.synthetic import make_city, write_city


def test_creating_the_round_leaves_the_fingerprint_alone(tmp_path):
    write_city(make_city(300, 5), tmp_path)
    p = Project.open(tmp_path)
    assert not (tmp_path / "fieldeval.db").exists()
    before = p.inputs_fingerprint()
    with open_store(p.evaluation) as st:
        st.ensure_round(p.current_round())
    assert Project.open(tmp_path).inputs_fingerprint() == before
    stamp = dict((str(k), v) for k, v, _ in Project.open(tmp_path).inputs_stamp())
    assert stamp["document review"] == "none"


def test_stale_inputs_name_the_changed_file(tmp_path):
    import json

    write_city(make_city(300, 6), tmp_path)
    p = Project.open(tmp_path)
    verify = p.paths.verify
    verify.mkdir(parents=True, exist_ok=True)
    (verify / "meta.json").write_text(json.dumps({"complete": True, "fingerprint": p.inputs_fingerprint(),
                                                  "inputs": p.inputs_stamp()}), encoding="utf-8")
    assert not p.is_stale() and p.stale_inputs() == []
    cfg = tmp_path / "evaluation.toml"
    cfg.write_text(cfg.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert p.is_stale()
    assert p.stale_inputs() == [str(cfg)]
