"""The roster-name matcher behind scrub_text and the privacy guard
(toolkit.roster.privacy.terms_in): the same terms as looking for every term
in the text, and the same scrubbed text as one pattern of every roster name."""
from __future__ import annotations

import random
import re

import pandas as pd
import pytest

from toolkit.roster.privacy import SCRUBBED, private_terms, scrub_text, terms_in

SURNAMES = "张王李赵刘陈杨黄周吴欧阳"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"


def _names(n: int, seed: int = 7) -> list[str]:
    rnd = random.Random(seed)
    return [rnd.choice(SURNAMES) + "".join(rnd.choice(GIVEN) for _ in range(rnd.randint(1, 2))) for _ in range(n)]


TEXT = ("核查发现张伟与李娜的档案不符；欧阳丽华住在某某花园3栋；联系人王强 (电话 139 1234 5678)。"
        "HH-7Z5YW-SXDHS 达标 12.5% 张\n伟 a\tb 𠀋字王 ＊＊＊ 周 ")


def test_terms_in_is_every_term_looked_for() -> None:
    terms = tuple(_names(3000)) + ("张伟", "李娜", "欧阳丽华", "王强", "字王", "𠀋字", "某某花园", "王", "", "a\tb", "伟 a")
    assert terms_in(terms, TEXT) == [x for x in terms if x in TEXT]
    assert terms_in(list(terms), TEXT) == [x for x in terms if x in TEXT]
    assert terms_in(terms, "") == [x for x in terms if x in ""]
    assert terms_in((), TEXT) == []


def test_terms_in_lone_surrogate_falls_back() -> None:
    terms = ("张伟", "\udcff王", "李娜")
    text = "张伟和\udcff王"
    assert terms_in(terms, text) == ["张伟", "\udcff王"]


def _scrub_all(text: pd.Series, names, addresses) -> pd.Series:
    """scrub_text as it was: one pattern of every name and address."""
    from toolkit.roster.privacy import CARD_ANY, HOUSE_ANY, ID_ANY, LANDLINE_ANY, PHONE_ANY

    def pat(terms):
        t = [re.escape(x) for x in terms if len(x) >= 2]
        return re.compile("|".join(sorted(t, key=len, reverse=True))) if t else None

    s = text.astype("string")
    for p in (pat(addresses), ID_ANY, CARD_ANY, PHONE_ANY, LANDLINE_ANY, HOUSE_ANY, pat(names)):
        if p is not None:
            s = s.str.replace(p, SCRUBBED, regex=True)
    return s


@pytest.mark.parametrize("seed", [1, 2])
def test_scrub_text_same_as_one_pattern_of_every_name(seed: int) -> None:
    names = tuple(_names(2000, seed)) + ("张伟", "张伟明", "欧阳丽华", "强＊", "＊＊王")
    addresses = ("某某花园3栋", "某某花园", "幸福路12号")
    rnd = random.Random(seed)
    texts = [TEXT, None, "", "住院3次，花费12000元", "张伟明说张伟不在", "幸福路12号＊＊王强＊", "王强＊＊＊王"]
    texts += ["".join(rnd.choice(SURNAMES + GIVEN + "，。 3") for _ in range(40)) for _ in range(200)]
    series = pd.Series(texts, dtype="string")
    got = scrub_text(series, names, addresses)
    assert got.equals(_scrub_all(series, names, addresses))
    assert got.isna().sum() == 1


def test_private_terms_every_name_once_longest_first() -> None:
    frame = pd.DataFrame({"name": ["张伟", " 张伟 ", "李", None, "欧阳丽华"], "helper": ["王强", "张伟", None, "赵敏", "x"],
                          "spouse_name": ["周杰", None, "周杰", "吴", "李娜"],
                          "address": ["某某花园3栋", "某某花园3栋", "幸福路", None, "短"]})
    names, addresses = private_terms(frame)
    assert set(names) == {"张伟", "欧阳丽华", "王强", "赵敏", "周杰", "李娜"} and len(names) == 6
    assert [len(n) for n in names] == sorted((len(n) for n in names), reverse=True)
    assert addresses == ("某某花园3栋",)


def test_private_terms_arrow_same_list_as_pandas() -> None:
    """The Arrow distinct (toolkit.roster.privacy._arrow_distinct) gives the
    pandas list exactly: the same terms, first occurrence first within one
    length, longest first; whitespace of every kind trimmed as pandas trims;
    missing values, numbers in text columns and short terms as before."""
    from toolkit.roster import privacy

    rnd = random.Random(7)
    pool = ["".join(rnd.choice(SURNAMES + GIVEN) for _ in range(rnd.choice((1, 2, 3, 4)))) for _ in range(400)]
    pads = ["", " ", "\u3000", "\t", "\xa0", "\u2003", "\x1c", "\n"]
    cols = [pd.Series([rnd.choice(pads) + rnd.choice(pool) + rnd.choice(pads) if rnd.random() > 0.1 else None
                       for _ in range(3000)], dtype=dt) for dt in ("str", "string", object)]
    cols.append(pd.Series(["张伟", 12345, None, float("nan"), " 李娜 "], dtype=object))
    for shortest in (2, 4):
        got = privacy._arrow_distinct(cols, shortest)
        assert got is not None and got == privacy._pandas_distinct(cols, shortest)
        assert len(got) > 50
    assert privacy._arrow_distinct([pd.Series([None], dtype=object)], 2) == ()


def test_private_terms_lone_surrogate_falls_back() -> None:
    """Texts Arrow cannot hold go the pandas way (the same answer or the same error)."""
    from toolkit.roster import privacy

    col = [pd.Series(["张伟", "\udcff王五"], dtype=object)]
    assert privacy._arrow_distinct(col, 2) is None
    try:
        want = privacy._pandas_distinct(col, 2)
    except UnicodeError:
        with pytest.raises(UnicodeError):
            privacy._distinct(col, 2)
    else:
        assert privacy._distinct(col, 2) == want


def test_frame_texts_pooled_equal_one_by_one(report_zh) -> None:
    """The guard's table texts turned to text together (frames of the same
    dtypes stacked) are the texts of each table on its own."""
    import numpy as np

    from toolkit.report.privacy import frame_text, frame_texts

    frames = [tb.frame for tb in report_zh.tables()]
    odd = [pd.DataFrame({"a": [0.1, 1e-05, 1e20, np.nan], "b": [1, 2, 3, 4], "c": ["x", None, pd.NA, 3.5],
                         "d": [True, False, True, False]}),
           pd.DataFrame({"a": [2.5], "b": [7], "c": [None], "d": [True]}),
           pd.DataFrame({"n": pd.array([1, None], dtype="Int64"), "s": pd.array(["张", None], dtype="string")}),
           pd.DataFrame({"n": pd.array([None, 3], dtype="Int64"), "s": pd.array([None, "李"], dtype="string")}),
           pd.DataFrame({"k": pd.Categorical(["甲", None])}), pd.DataFrame({"t": pd.to_datetime(["2026-01-01", None])}),
           pd.DataFrame({"s": pd.Series(["王", None], dtype="str")}), pd.DataFrame({"s": pd.Series([None, "赵"], dtype="str")}),
           pd.DataFrame(), pd.DataFrame({"a": [], "b": []})]
    every = frames + odd
    assert frame_texts(every) == [frame_text(f) for f in every]
    assert len(frames) > 20
