"""The back-check draw: reproducible, every interviewer covered, never the
original interviewer, weighted towards findings and non-response, top-ups keep
earlier picks, a seed distinct from the main draw, verifiable, tampering found."""
from __future__ import annotations

import copy

import numpy as np
import pandas as pd
import pytest

from toolkit.backcheck import manifest as mf
from toolkit.backcheck.draw import draw, keys, ticket_seed
from toolkit.errors import UserError
from toolkit.sampling.tickets import tickets

ARGS = dict(share=0.15, min_per=2, weight_finding=2.0, weight_nonresponse=2.0)


def population(n_enum: int = 6, per: int = 40, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    n = n_enum * per
    return pd.DataFrame({"archive_id": [f"HF-{i:05d}" for i in range(n)],
                         "interviewer": np.repeat([f"E{i}" for i in range(n_enum)], per),
                         "team": np.repeat([f"T{i // 2}" for i in range(n_enum)], per),
                         "disposition": rng.choice(["completed", "refused", "not_at_home", "moved"], n,
                                                   p=(0.85, 0.07, 0.05, 0.03)),
                         "finding": rng.random(n) < 0.2})


def test_draw_is_reproducible_stratified_and_never_self() -> None:
    pop = population()
    a = draw(pop, seed="s1", backcheckers=["E0", "E1", "E2"], **ARGS)
    b = draw(pop.sample(frac=1, random_state=3), seed="s1", backcheckers=["E0", "E1", "E2"], **ARGS)
    pd.testing.assert_frame_equal(a, b)            # row order of the population does not matter
    per = a.groupby("interviewer").size()
    assert set(per.index) == set(pop["interviewer"]) and (per == 6).all()   # ⌈0.15 × 40⌉ = 6
    assert (a["backchecker"] != a["interviewer"]).all()
    load = a["backchecker"].value_counts()
    assert load.max() - load.min() <= 1
    c = draw(pop, seed="s2", backcheckers=["E0", "E1", "E2"], **ARGS)
    assert set(c["archive_id"]) != set(a["archive_id"])
    small = draw(pop.groupby("interviewer").head(5), seed="s1", backcheckers=None, **ARGS)
    assert (small.groupby("interviewer").size() == 2).all()   # the minimum per interviewer
    assert (small["backchecker"] != small["interviewer"]).all()


def test_seed_is_derived_not_the_main_samples() -> None:
    pop = population()
    k = keys(pop, "2026", 1.0, 1.0)
    main = tickets(list(pop["archive_id"]), "2026")
    own = tickets(list(pop["archive_id"]), ticket_seed("2026"))
    assert ticket_seed("2026") == "backcheck/1|2026"
    assert not np.array_equal(np.argsort(main), np.argsort(own))
    u = (own.astype(float) + 0.5) / 2.0 ** 64
    np.testing.assert_allclose(k["key"], np.log(u))


def test_findings_and_nonresponse_are_oversampled() -> None:
    pop = population(n_enum=4, per=200)
    special = pop["finding"] | pop["disposition"].ne("completed")
    hits = np.zeros(len(pop))
    for s in range(30):
        got = draw(pop, seed=f"w{s}", backcheckers=["X", "Y"], **ARGS)
        hits += pop["archive_id"].isin(got["archive_id"]).to_numpy()
    rate_special = hits[special.to_numpy()].mean() / 30
    rate_plain = hits[~special.to_numpy()].mean() / 30
    assert rate_special > 1.5 * rate_plain


def test_a_later_draw_tops_up_and_keeps_earlier_picks() -> None:
    pop = population()
    first = draw(pop.iloc[::2], seed="s1", backcheckers=["B1", "B2"], **ARGS)   # half the visits done
    more = draw(pop, seed="s1", backcheckers=["B1", "B2"], earlier=first, draw_no=2, **ARGS)
    assert not set(more["archive_id"]) & set(first["archive_id"])
    both = pd.concat([first, more])
    assert (both.groupby("interviewer").size() == 6).all()
    again = draw(pop, seed="s1", backcheckers=["B1", "B2"], earlier=both, draw_no=3, **ARGS)
    assert len(again) == 0


def test_only_the_interviewer_as_backchecker_is_refused() -> None:
    pop = population(n_enum=2)
    with pytest.raises(UserError) as e:
        draw(pop, seed="s", backcheckers=["E0"], **ARGS)
    assert e.value.key == "backcheck.only_self"


def _manifest() -> dict:
    pop = population()
    m = mf.new("current", "abc")
    first = draw(pop.iloc[::2], seed="s1", backcheckers=["B1", "B2"], **ARGS)
    m["draws"].append(mf.entry(pop.iloc[::2], first, seed="s1", backcheckers=["B1", "B2"], draw_no=1,
                               share=0.15, min_per=2, weight_finding=2.0, weight_nonresponse=2.0))
    second = draw(pop, seed="s1", backcheckers=["B1", "B2"], earlier=first, draw_no=2, **ARGS)
    m["draws"].append(mf.entry(pop, second, seed="s1", backcheckers=["B1", "B2"], draw_no=2, share=0.15,
                               min_per=2, weight_finding=2.0, weight_nonresponse=2.0))
    return m


def test_manifest_verifies_and_tampering_is_found(tmp_path) -> None:
    m = _manifest()
    mf.save(tmp_path, m)
    assert (tmp_path / "manifest.json").stat().st_mode & 0o077 == 0
    loaded = mf.load(tmp_path)
    assert mf.verify(loaded, "abc") == []
    assert [k for k, _ in mf.verify(loaded, "other")] == ["backcheck.verify_main"]
    swapped = copy.deepcopy(loaded)          # a pick replaced by a household not drawn
    drawn = {p["archive_id"] for d in swapped["draws"] for p in d["picks"]}
    other = next(r["archive_id"] for r in swapped["draws"][1]["population"]["records"] if r["archive_id"] not in drawn)
    swapped["draws"][1]["picks"][0]["archive_id"] = other
    assert [k for k, _ in mf.verify(swapped, "abc")] == ["backcheck.verify_picks"]
    moved = copy.deepcopy(loaded)            # a household given to another back-checker
    p0 = moved["draws"][0]["picks"][0]
    p0["backchecker"] = "B2" if p0["backchecker"] == "B1" else "B1"
    assert "backcheck.verify_picks" in [k for k, _ in mf.verify(moved, "abc")]
    edited = copy.deepcopy(loaded)           # the population edited (a finding removed)
    edited["draws"][0]["population"]["records"][0]["finding"] = not edited["draws"][0]["population"]["records"][0]["finding"]
    assert "backcheck.verify_population" in [k for k, _ in mf.verify(edited, "abc")]
    reseeded = copy.deepcopy(loaded)         # another seed written in
    reseeded["draws"][0]["seed"] = "s9"
    keys_ = [k for k, _ in mf.verify(reseeded, "abc")]
    assert "backcheck.verify_seed" in keys_ and "backcheck.verify_picks" in keys_
