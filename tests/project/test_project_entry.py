"""An entry-dashboard submission is ingested like any export and changes the
scorecard: the household it records is counted, with the field's record
reconciled (a completed questionnaire wins over the list's refusal)."""
from __future__ import annotations

import pandas as pd
import pytest

from toolkit.forms.reader import read_xlsform
from toolkit.ingest.model import GEO_PARTS, value_questions
from toolkit.ingest.writers import text_cells
from toolkit.project import Project, form_path
from toolkit.sampling.select import Design
from toolkit.synthetic import make_city, write_city
from toolkit.synthetic_visits import simulate_visits, write_visits
from toolkit.verify.indicators import ALL
from toolkit.widgets import entry_logic as E

SEED = 11


def _state_from(sub: pd.DataFrame, reps: dict[str, pd.DataFrame], form, archive_id: str) -> E.EntryState:
    """An entry form's state holding the answers of one ingested submission, for another household."""
    vals: dict[str, str] = {}
    for q in value_questions(form, ""):
        if q.type == "geopoint":
            vals[q.name] = " ".join(text_cells(sub[f"{q.name}_{p}"]).iat[0] for p in GEO_PARTS
                                    if f"{q.name}_{p}" in sub).strip()
        elif q.name in sub:
            vals[q.name] = text_cells(sub[q.name], q.type).iat[0]
    vals["archive_id"] = archive_id
    key = sub["KEY"].iat[0]
    repeats = {}
    for g in form.repeats:
        r = reps.get(g.name, pd.DataFrame())
        r = r[r["PARENT_KEY"] == key].reset_index(drop=True) if len(r) else r
        cols = {q.name: text_cells(r[q.name], q.type) for q in value_questions(form, g.name) if q.name in r}
        repeats[g.name] = tuple({k: v.iat[i] for k, v in cols.items()} for i in range(len(r)))
    return E.EntryState(vals, repeats, "draft-test")


def _drawn(directory):
    """A small synthetic project with its sample drawn and field work simulated:
    (city, project, sample, sample folder, visits)."""
    city = make_city(900, SEED)
    write_city(city, directory)
    p = Project.open(directory)
    design = Design(seed=str(SEED), seed_source="test", strata=("county",), method="two_stage", reserves=3,
                    psu="township", psus_per_stratum=2, per_psu=12)
    sample, sdir = p.draw(design)
    return city, p, sample, sdir, simulate_visits(city, sample.units, sample.reserves, seed=SEED)


def test_an_entry_submission_changes_the_scorecard(tmp_path):
    city, p, sample, _, visits = _drawn(tmp_path)
    xlsx, _ = write_visits(visits, tmp_path / "field_export")
    p.save_dispositions(visits.dispositions)
    p.ingest([xlsx])
    before = p.verify(record=False)

    d = visits.dispositions
    refused = d[(d["code"] == "refused") & (d["role"] == "selected")]
    assert len(refused), "the simulation should have a refusal"
    target = str(refused["archive_id"].iloc[0])
    assert target not in set(before.households["archive_id"])
    psu = sample.units.set_index("archive_id").loc[target, "psu"]
    done = before.submissions[before.submissions["visit_result"] == "met"]
    same = done[done["township"].astype(str) == str(psu)]
    donor = (same if len(same) else done).head(1)
    form = read_xlsform(form_path())
    reps = {"member": before.members, "payment": before.payment_rows}
    state = _state_from(donor, reps, form, target)
    assert E.assess(form, state).ok, E.assess(form, state).errors
    res = E.submit(tmp_path, form, state, lang="en", who="AB1")
    assert not res.errors

    result = p.ingest([xlsx])          # the entry submission comes along with the field export
    assert result.read == len(visits.submissions) + 1
    after = p.verify(record=False)
    assert target in set(after.households["archive_id"])
    assert after.interviewed == before.interviewed + 1
    n = lambda r: int(r.scorecard.set_index(["indicator", "county"]).loc[("overall_precision", ALL), "n"])  # noqa: E731
    assert n(after) == n(before) + 1
    # the field record now says completed for it, and the reconciliation noted the conflict
    assert after.dispositions.set_index("archive_id").loc[target, "code"] == "completed"
    rr = lambda r: float(r.response.set_index("county").loc[ALL, "rr1"])  # noqa: E731
    assert rr(after) > rr(before)


def test_rr1_from_the_questionnaires_and_a_returned_list(tmp_path):
    """No dispositions table: the questionnaires' visit results give the
    dispositions (RR1 = the hand count); a returned visit list's refusal for a
    household with no questionnaire is read back in its own words."""
    import openpyxl

    city, p, sample, sdir, visits = _drawn(tmp_path)
    d = visits.dispositions
    # one sampled household's questionnaire never came back: only the list knows it refused
    lost = str(d[(d["code"] == "refused") & (d["role"] == "selected")]["archive_id"].iloc[0])
    v = visits.submissions
    keys = set(v.loc[v["archive_id"].astype(str) == lost, "KEY"])
    visits = type(visits)(**{**visits.__dict__, "submissions": v[~v["KEY"].isin(keys)].reset_index(drop=True)})
    xlsx, _ = write_visits(visits, tmp_path / "field_export")
    p.ingest([xlsx])
    county = sample.units.merge(city.roster[["archive_id", "county"]], on="archive_id").set_index("archive_id")
    book = next(b for b in sorted((sdir / "visit_lists").glob("*.xlsx")) if county.loc[lost, "county"] in b.name)
    p.paths.returned_lists.mkdir(parents=True, exist_ok=True)
    returned = p.paths.returned_lists / book.name
    wb = openpyxl.load_workbook(book)
    ws = wb["入户名单"]
    head = {c.value: c.column for c in ws[1]}
    row = next(r for r in range(2, ws.max_row + 1) if str(ws.cell(r, head["档案编号"]).value) == lost)
    ws.cell(row, head["结果代码"]).value = "拒访"
    wb.save(returned)
    r = p.verify(record=False)
    completed = int((d["code"] == "completed").sum())
    ineligible = int(d["code"].isin(["deceased", "not_eligible"]).sum())
    released = d["archive_id"].nunique()
    assert r.dispositions.set_index("archive_id").loc[lost, "code"] == "refused"
    assert float(r.response.set_index("county").loc[ALL, "rr1"]) == pytest.approx(completed / (released - ineligible))
