"""Pseudonyms are stable, keyed and unlinkable without the key; masks and
deidentify leave nothing identifying in a leadership table."""
from __future__ import annotations

import hashlib
import re

import pandas as pd

from toolkit.roster.idcard import make_id
from toolkit.roster.privacy import (deidentify, mask_address, mask_id, mask_name, mask_phone,
                                    pseudonym, pseudonyms, suppress_small_cells)

KEY = bytes(range(32))
OTHER = bytes(range(1, 33))


def test_pseudonym_is_stable_readable_and_keyed() -> None:
    a = pseudonym("HF340102-2021-00001", KEY)
    assert a == pseudonym("HF340102-2021-00001", KEY)
    assert re.fullmatch(r"HH-[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}", a)
    assert a != pseudonym("HF340102-2021-00001", OTHER)
    assert a != pseudonym("HF340102-2021-00002", KEY)


def test_pseudonym_cannot_be_linked_back_without_the_key() -> None:
    # an attacker who knows the id format hashes candidates with plain SHA-256
    # (no key) and with the wrong key: neither reproduces the pseudonym
    ids = [f"HF340102-2021-{i:05d}" for i in range(2000)]
    ps = set(pseudonyms(pd.Series(ids), KEY))
    unkeyed = {"HH-" + hashlib.sha256(i.encode()).hexdigest()[:10].upper() for i in ids}
    wrong_key = set(pseudonyms(pd.Series(ids), OTHER))
    assert not ps & unkeyed and not ps & wrong_key
    assert len(ps) == len(ids)   # no collisions among 2,000 households


def test_masks() -> None:
    idn = make_id("340102", "19800212", 2)
    assert mask_id(pd.Series([idn])).iloc[0] == idn[:6] + "*" * 8 + idn[-4:]
    assert mask_phone(pd.Series(["13912345678"])).iloc[0] == "*******5678"
    assert mask_name(pd.Series(["王芳", "欧阳娜娜"])).tolist() == ["王＊", "欧阳＊"]
    assert mask_address(pd.Series(["瑶海区明光路街道幸福小区3栋201"])).iloc[0] == "瑶海区明光路街道＊＊＊"


def test_deidentify_removes_every_identifier() -> None:
    idn = make_id("340102", "19800212", 2)
    frame = pd.DataFrame({"archive_id": ["HF1"], "name": ["王芳"], "id_number": [idn],
                          "phone": ["13912345678"], "address": ["瑶海区明光路街道幸福小区"],
                          "bank_card": ["6222020200112233445"], "helper": ["陈建国"],
                          "helper_phone": ["13800001111"], "birth_date": [pd.Timestamp("1980-02-12")],
                          "county": ["瑶海区"], "income_per_capita": [277.78]})
    out = deidentify(frame, KEY)
    text = out.to_csv()
    for secret in ("HF1", "王芳", idn, "13912345678", "幸福小区", "6222020200112233445", "陈建国", "1980-02-12"):
        assert secret not in text
    assert out["household"].iloc[0] == pseudonym("HF1", KEY)
    assert out["birth_year"].iloc[0] == 1980 and out["county"].iloc[0] == "瑶海区"


def test_small_cells_suppressed() -> None:
    t = pd.DataFrame({"county": ["A", "B", "C"], "n": [120, 3, 0], "rate": [0.05, 0.33, 0.0]})
    out = suppress_small_cells(t, "n", k=5)
    assert out["n"].tolist() == [120, "<5", 0]
    assert out["rate"].isna().tolist() == [False, True, False]
