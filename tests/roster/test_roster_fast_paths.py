"""The roster's fast paths give the same answers as the plain ones they stand in for."""
from __future__ import annotations

import unicodedata

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from toolkit.roster import fastre, parse
from toolkit.roster.encoding import _any_unusual, _usual, find_garbled, find_garbled_utf8

POOL = list("abc,123 \n\t") + list("王芳李强张伟瑶海区") + list("é×·ÃÂ€锟斤拷鍗椾含") + [
    "😀", "\u3000", "ｘ", "\ue000", "\u2500", "\uffff", "\ufffd", "\x7f", "\u4dc0", "\u3400"]


def _texts(n: int, seed: int = 3) -> list[str]:
    rng = np.random.default_rng(seed)
    return ["".join(rng.choice(POOL, int(rng.integers(1, 60)))) for _ in range(n)]


def test_garble_scan_on_bytes_finds_the_same_line_and_sample():
    for text in _texts(1500):
        assert find_garbled_utf8(text.encode(), 7) == find_garbled(text, 7), repr(text)
    bad = "姓名,地址\n王芳,瑶海区\n鍗椾含鍗椾含鍗椾含,x\n"
    assert find_garbled_utf8(bad.encode()) == find_garbled(bad) is not None


def test_unusual_precheck_agrees_with_the_table():
    usual = _usual()
    for text in _texts(60, seed=4):
        truth = any(ord(c) >= 0x10000 or not usual[ord(c)] for c in text)
        assert _any_unusual(text.encode())[0] == truth, repr(text)


def test_nfkc_is_skipped_only_where_it_changes_nothing():
    for cp in [*range(0x20, 0x2000, 7), *range(0x3000, 0xA000, 13), *range(0xF900, 0x10000, 11), 0x4DBF, 0x4DC0]:
        ch = chr(cp)
        arr = pa.array(["a" + ch + "王"])
        if parse._stable_under_nfkc(arr):
            assert unicodedata.normalize("NFKC", ch) == ch, hex(cp)
    mixed = pa.array(["１２３", "abc", None, "王ｘ", "é"], pa.large_string())
    assert parse._nfkc(mixed).to_pylist() == pc.utf8_normalize(mixed, "NFKC").to_pylist()
    plain = pa.chunked_array([pa.array(["王芳", "HF001", None])])
    assert parse._nfkc(plain) is plain


def test_polars_patterns_match_re2_ones():
    s = pd.Series(["340102199001011234", "34010219900101123X", "340102900101123", "3.40102E+17",
                   "(0551)6543210", "139 1234 5678", "12345", "１３９12345678", None, "٣٤٠"], dtype="string")
    arr = pa.array(s, from_pandas=True)
    for rx2, rx in ((r"^\d{17}[\dX]$", r"^[0-9]{17}[0-9X]$"), (r"^\d{15}$", r"^[0-9]{15}$"),
                    (r"\d+(\.\d+)?E\+?\d+$", r"[0-9]+(?:\.[0-9]+)?E\+?[0-9]+$")):
        want = pc.fill_null(pc.match_substring_regex(arr, rx2), False).to_pylist()
        assert fastre.contains(s, rx).tolist() == want
    assert fastre.duplicated(pd.Series(["a", "b", None, "a", None]), "first").tolist() == \
        [False, False, False, True, True]


def _gbk_lines(n: int, seed: int = 5) -> list[bytes]:
    rng = np.random.default_rng(seed)
    words = ["王芳", "瑶海区", "李强", "深度困难", "12,000元", "HF0001", "ｘ"]
    return [(",".join(rng.choice(words, 4)) + "\n").encode("gb18030") for _ in range(n)]


def _scan_answer(raw: bytes, parallel: bool, monkeypatch) -> object:
    from toolkit.errors import UserError
    from toolkit.roster import encoding

    monkeypatch.setattr(encoding, "BLOCK", 700)
    monkeypatch.setattr(encoding, "PARALLEL_MIN", 0 if parallel else 1 << 60)
    try:
        return encoding._scan(raw, "gb18030", "r.csv")
    except UserError as e:
        return (e.key, e.fields)


def test_gbk_decoded_in_two_processes_gives_the_same_answers(monkeypatch):
    lines = _gbk_lines(400)
    garbled = "鍗椾含鍗椾含鍗椾含,x\n".encode("gb18030")
    cases = {"clean": b"".join(lines),
             "undecodable late": b"".join(lines[:350] + [b"\x81\x20bad\n"] + lines[350:]),
             "undecodable early": b"".join(lines[:20] + [b"\xff\xfe\n"] + lines[20:]),
             "garbled early, undecodable late": b"".join(lines[:30] + [garbled] + lines[30:300] + [b"\x81\n"]),
             "garbled late": b"".join(lines[:390] + [garbled] + lines[390:]),
             "no line end": b"".join(lines) + b"x" * 2000,
             "garbled late, undecodable later": b"".join(lines[:330] + [garbled] + lines[330:380] + [b"\x81\n"]),
             "rare names, not garbled": b"".join(lines[:100] + ["王堃,李喆,瑶海区,x\n".encode("gb18030")] + lines[100:])}
    for name, raw in cases.items():
        plain = _scan_answer(raw, False, monkeypatch)
        fast = _scan_answer(raw, True, monkeypatch)
        assert fast == plain, name
        if name == "clean":
            assert plain == raw.decode("gb18030").encode("utf-8")
        elif name not in ("no line end", "rare names, not garbled"):
            assert isinstance(plain, tuple), name


def test_unchanged_distinct_values_keep_the_column():
    arr = pa.chunked_array([pa.array(["瑶海区", "庐阳区"] * 1000, pa.large_string()),
                            pa.array(["瑶海区", None] * 1000, pa.large_string())])
    out = parse._on_distinct(arr, parse._text)
    assert out is arr
    spaced = pa.chunked_array([pa.array(["瑶海区 ", "庐阳区", ""] * 1000, pa.large_string())])
    assert parse._on_distinct(spaced, parse._text).to_pylist() == parse._text(spaced).to_pylist()


def test_blank_line_search_matches_bytes_find():
    from toolkit.roster.read import _blank_line_inside

    rng = np.random.default_rng(9)
    for _ in range(300):
        data = bytes(rng.choice(np.frombuffer(b"a,\n\r", dtype=np.uint8), int(rng.integers(0, 40))))
        lo = int(rng.integers(0, len(data) + 1))
        hi = int(rng.integers(lo, len(data) + 1))
        want = data.find(b"\n\n", lo, hi) >= 0 or data.find(b"\n\r\n", lo, hi) >= 0
        assert _blank_line_inside(data, lo, hi, block=int(rng.integers(1, 8))) == want, (data, lo, hi)


def test_clean_columns_are_kept_only_where_trimming_changes_nothing():
    def plain(a):
        s = pc.utf8_trim_whitespace(pc.utf8_normalize(a, "NFKC"))
        return pc.if_else(pc.equal(s, ""), pa.scalar(None, s.type), s).to_pylist()

    edge = [chr(c) for c in [*range(0, 0x300), *range(0x1680, 0x1681), *range(0x2000, 0x2030), 0x205F, 0x3000,
                             0x3400, 0x4DFF, 0x4E00, 0x9FFF, 0xA000, 0xFEFF, 0xFF10]]
    for ch in edge:
        for cells in (["王芳" + ch, "李强"], [ch + "12", "34"], ["王" + ch + "芳", None], [ch, "a"]):
            arr = pa.chunked_array([pa.array(cells, pa.large_string())])
            assert parse._text(arr).to_pylist() == plain(arr), (hex(ord(ch)), cells)
    ids = pa.chunked_array([pa.array(["34010219900101123X", None, "王芳", "HF-01"], pa.large_string()).slice(1)])
    assert parse._text(ids) is ids


def test_arrow_reads_the_file_as_it_reads_its_bytes(tmp_path):
    from toolkit.roster.read import _arrow_csv

    body = "标题\n档案编号,姓名\nHF1, 王芳 \n\"HF2\",\"李,强\"\r\nHF3,\n".encode()
    for bom in (b"", b"\xef\xbb\xbf"):
        p = tmp_path / "r.csv"
        p.write_bytes(bom + body)
        from_file = _arrow_csv((p, len(bom)), 1, ",", 2)
        from_bytes = _arrow_csv(memoryview(body), 1, ",", 2)
        pd.testing.assert_frame_equal(from_file, from_bytes)
        assert from_file.iloc[3, 1] == "李,强"


def test_byte_pretest_never_hides_a_regex_match():
    """``parse._may_hold_bytes`` may say True needlessly, never False where
    RE2's ``[\\sx]`` matches a cell (ASCII bytes only occur as themselves in UTF-8)."""
    rng = np.random.default_rng(21)
    alphabet = ["3", "4", "X", "x", " ", "\t", "\u3000", "ｘ", "×", "王", "\n", "\x0b", "\r"]
    for _ in range(300):
        cells = ["".join(rng.choice(alphabet, int(rng.integers(0, 4)))) for _ in range(int(rng.integers(1, 9)))]
        arr = pa.array([c if rng.random() > 0.2 else None for c in cells], pa.large_string())
        lo = int(rng.integers(0, len(arr)))
        for a in (arr, arr.slice(lo), pa.chunked_array([arr.slice(0, lo), arr.slice(lo)]), arr.cast(pa.string())):
            hit = pc.any(pc.match_substring_regex(a, r"[\sx]")).as_py()
            if hit:
                assert parse._may_hold_bytes(a, parse._SPACE_OR_X), a
    clean = pa.array(["340102199001011234", "34010219900101123X", None], pa.large_string())
    assert not parse._may_hold_bytes(clean, parse._SPACE_OR_X)
    assert parse.as_id(pd.Series(["3401 02x", "34010219900101123X"], dtype="string"))[0].tolist() == \
        ["340102X", "34010219900101123X"]


def test_patterns_run_together_give_each_pattern_alone():
    s = pd.Series(["340102199001011234", "3.40102E+17", "合计", "注：本表", None, "340102900101123"], dtype="string")
    rxs = [r"^[0-9]{17}[0-9X]$", r"^[0-9]{15}$", r"^[0-9]+(?:\.[0-9]+)?E\+?[0-9]+$", "^注"]
    got = fastre.contains_each(s, rxs)
    for rx, m in zip(rxs, got):
        assert m.tolist() == fastre.contains(s, rx).tolist()
    assert [m.tolist() for m in fastre.contains_each(s.iloc[:0], rxs)] == [[]] * 4


def test_returning_pool_is_chosen_once_and_keeps_a_chosen_pool(monkeypatch):
    from toolkit.roster.read import returning_pool

    before = pa.default_memory_pool()
    try:
        monkeypatch.setenv("ARROW_DEFAULT_MEMORY_POOL", "mimalloc")
        pa.set_memory_pool(pa.mimalloc_memory_pool())
        assert returning_pool() == "mimalloc"   # the person's choice is kept
        monkeypatch.delenv("ARROW_DEFAULT_MEMORY_POOL")
        name = returning_pool()
        assert name == pa.default_memory_pool().backend_name
        assert returning_pool() == name
    finally:
        pa.set_memory_pool(before)


def test_blank_shortcut_gives_the_stripped_test():
    from toolkit.roster.validate import _blank

    for cells in (["王芳", None, "A1"], ["王芳", " ", None], ["\u3000", "x"], ["", "1"], [None, None]):
        s = parse._series(pa.array(cells, pa.large_string()), pd.RangeIndex(len(cells)))
        want = (s.isna() | (s.astype("string").str.strip() == "")).to_numpy(dtype=bool)
        assert _blank(s).to_numpy(dtype=bool).tolist() == want.tolist(), cells


@pytest.mark.parametrize("values", [["瑶海区", None, "x", "庐阳区"] * 50, ["瑶海区", "庐阳区"] * 3, [None, None], ["x"] * 4,
                                    [None, "x", "瑶海区", None, "x", "庐阳区"], []])
@pytest.mark.parametrize("mapping", [{"瑶海区": "340102", "庐阳区": "340103"}, {"瑶海区": 2000.0}, {}])
@pytest.mark.parametrize("kind", ["arrow", "object"])
def test_map_on_distinct_values_equals_map(values, mapping, kind):
    from toolkit.roster.validate import _map_distinct

    s = pd.Series(values, dtype="string[pyarrow]" if kind == "arrow" else object,
                  index=pd.RangeIndex(2, 2 + len(values), name="row"), name="county")
    want, got = s.map(mapping), _map_distinct(s, mapping)
    assert str(got.dtype) == str(want.dtype)
    pd.testing.assert_series_equal(got, want, check_exact=True)


def test_messages_by_position_equal_messages_by_label(monkeypatch):
    from toolkit.roster import validate as v

    rules = pd.Series(["sex_vs_id", "required", "id_check_char", "sex_vs_id", "date_order", "required"] * 3,
                      index=pd.RangeIndex(5, 23), dtype=object)
    details = pd.Series(["男", "", 7, None, float("nan"), "x", 1.5, pd.NA, "女"] * 2, index=rules.index, dtype=object)
    fast = v._messages(rules, details, "zh")
    monkeypatch.setattr(pd.Index, "is_unique", property(lambda self: False))   # the label-by-label way
    slow = v._messages(rules, details, "zh")
    assert fast.dtype == slow.dtype == object
    assert [(type(a), a if a == a else "missing") for a in fast] == [(type(a), a if a == a else "missing") for a in slow]
    pd.testing.assert_series_equal(fast, slow, check_exact=True)


def test_first_bad_utf8_is_where_decode_fails():
    from toolkit.roster.encoding import _first_bad_utf8

    text = "档案编号,姓名\n王芳,12\n".encode() * 50
    cases = [text, text + "李强".encode("gbk"), "王".encode("gbk") + text, text[:-2] + b"\xe7", text + b"\xe7\x8e",
             text[:301] + b"\xff" + text[301:], b"", b"ascii only", "欧阳娜娜".encode()[:-1] + b"x"]
    for raw in cases:
        for step in (1, 2, 3, 7, 64, 1 << 20):
            try:
                raw.decode("utf-8")
                want = None
            except UnicodeDecodeError as e:
                want = e.start
            assert _first_bad_utf8(raw, step) == want, (raw[:20], step)
