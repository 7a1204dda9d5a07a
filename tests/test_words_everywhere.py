"""Every table and message a person reads is in words (issue 16, item 4).

The demo runs ONCE at a small size (module fixture, ~600 households); then

* every file it writes that a person opens — CSV, every sheet of every xlsx
  (titles, headers, cells), docx (paragraphs, tables, header and footer),
  html (visible text) — is read and must hold no snake_case identifier,
  ``True``/``False``, ``nan``/``NaN``/``None``/``<NA>``, object repr, raw rule
  string, nor (zh run) lower-case English word outside the allow-list
  (:data:`ALLOWED_WORDS`; paths, file names, commands, submission ids and
  algorithm names are data or proper names, stripped first by :data:`NOT_WORDS`);
* the CLI messages of each verb's common paths (help excluded) in zh, the same way;
* every catalogue entry: zh text without English words outside the allow-list,
  en text without Chinese characters.

Machine files read back by the toolkit or by another program are exempt, each
listed in :data:`EXEMPT` with the reason. A file the demo writes that is
neither checked nor exempt fails the test, so a new output gets looked at.
Failure messages name the file, sheet/column (or the verb) and the bad text.
"""
from __future__ import annotations

import csv
import fnmatch
import io
import re
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "dashboards"))
from visible_text import html_text  # noqa: E402

from toolkit.cli import main  # noqa: E402

HOUSEHOLDS = 700          # the smallest city whose two-stage demo draw has 4 townships per stratum
SEED = 7

EXEMPT: dict[str, str] = {
    # the toolkit's own stored results, read back by fieldeval (verify, report, dashboards)
    "*.parquet": "stored results the toolkit reads back; people read the xlsx/csv/docx made from them",
    "*.json": "manifests (sample manifest.json, ingest.json, meta.json) read back by fieldeval and by "
              "`fieldeval sample verify`; their field names are a published format",
    "*.jsonl": "audit logs read by the toolkit",
    "*.db": "the evaluation store (SQLite)",
    ".fieldeval/cache/roster/*": "the roster snapshot (toolkit.roster.snapshot): the checked roster kept in "
                                 "Arrow files for the next command, read only by fieldeval; nobody opens it",
    "*.toml": "evaluation.toml: the project's settings, edited by the evaluator with its documented keys",
    "*.key": "the pseudonym key (secret, machine only)",
    "*.zip": "photos as a KoboToolbox-style media download (input to ingest)",
    "*.png": "photos",
    "*.ipynb": "notebooks: checked by tests/report/test_report_notebooks.py and the dashboard word tests",
    "output/sample/visit_lists/odk_preload.csv": "ODK's pulldata/entity preload: ODK reads it by its own "
                                                 "column names (name, label, archive_id …)",
    "output/visits/visits.xlsx": "the simulated field export: the form's own column names, as ODK/Kobo "
                                 "export them (an input to ingest, not a toolkit output)",
    "output/visits/dispositions.csv": "the simulated field record of visit results (input read by "
                                      "`fieldeval ingest`/verify by its documented codes)",
    "output/field/dispositions.csv": "the project's stored visit results, read back by fieldeval; people "
                                     "record results on the visit lists, in words",
    "truth_rates.csv": "the synthetic city's planted truth, for checking the method (tests and benches "
                       "read it by column name); never part of a real evaluation",
    "output/planted_indicators.csv": "the planted truth per indicator, for checking the method (as above)",
    "truth*.parquet": "planted truth (as above)",
    "truth_*.csv": "planted truth of the synthetic city (the fabricating interviewer, the careless back-checker, "
                   "the planted location problems), for tests only; never part of a real evaluation",
    "output/backcheck/lists/backcheck_preload.csv": "ODK's preload for the back-check form, read by ODK by its "
                                                    "own column names (as odk_preload.csv)",
    "output/backcheck/picks.csv": "the back-check draw's picks, read back by `fieldeval backcheck` (the "
                                  "back-checkers' lists beside it are the people's version, in words)",
    # a closed round's stage folders (issue 19), moved whole under output/rounds/<name>/stages/: the same
    # machine files as above, in their new place (the files people read there are still checked)
    "output/rounds/*/stages/visits/*": "the baseline's simulated field export and record (as output/visits/)",
    "output/rounds/*/stages/field/dispositions.csv": "the baseline's stored visit results (as output/field/)",
    "output/rounds/*/stages/sample/visit_lists/odk_preload.csv": "the baseline's ODK preload (as above)",
    "output/rounds/*/stages/backcheck/lists/backcheck_preload.csv": "the baseline's back-check preload (as above)",
    "output/rounds/*/stages/backcheck/picks.csv": "the baseline's back-check picks (as above)",
}
"""Files a person does not open as a result table, with the reason (glob on the path under the demo)."""

PEOPLE = (".csv", ".xlsx", ".docx", ".html")

ALLOWED_WORDS = frozenset({
    # statistical and software proper names written in lower case
    "svyciprop", "beta", "logit", "asin", "xlogit", "wald", "wilson",
    "uuid",
    # file formats and text encodings, named as such ("（roster.xlsx，xlsx）", "csv, utf-8")
    "xlsx", "xls", "csv", "docx", "html", "json", "parquet", "pdf", "utf", "gbk",
})
"""Lower-case English words that are names (an R function, a method) in a zh text."""

NOT_WORDS = re.compile(
    r"\b(?:sudo\s+)?apt-get\s+install\s+\S+|(?:\S*/)?pip install \S+"     # an install command to type
    r"|\b[a-z_]+=True\b"                                # a Python argument to write (partial=True)
    r"|(?<!\w)\.[a-z]{2,7}\b"                            # a file extension (.sav)
    r"|(?:[A-Za-z]:)?[\w.*~\-]*/[\w./*~\-]*"          # a path or a versioned algorithm name (fieldeval-sampling/1)
    r"|[\w*\-]+\.(?:xlsx|xls|csv|docx|html|parquet|jsonl|json|toml|db|zip|ipynb|py|key|txt|xml|sav|dta|jpg|jpeg|png|heic|pdf)\b"
    r"|\bfieldeval(?:\s+(?:--?[\w-]+|[\w*\-]+\.\w+|[a-z][\w-]*|[\w\-]+/[\w.\-/]+))*"   # a command line
    r"|uuid:[0-9a-f\-]+"                                 # submission ids (data)
    r"|\w+://\S*"                                       # URLs and database URLs (sqlite:///)
    r"|\bHH-[\w-]+"                                      # pseudonyms (data)
    r"|--[\w-]+(?:[ =](?:none|auto|[a-z]+(?:,[a-z]+)+))?"   # a command option the person types (--per-stratum)
    r"|\[\[?[a-z_]+\]\]?(?:\s*[a-z_]+\b)?"               # evaluation.toml's tables and keys ([privacy] small_cell)
    r"|\b[a-z][a-z0-9]*(?:-[a-z0-9]+)+\b"                # hyphenated names: packages, encodings (fonts-noto-cjk, utf-8)
    r"|\b(?:make|bash)\s+[\w./-]+"                        # a set-up command to type (make sysdeps, bash scripts/x.sh)
    r"|\b\w+\(\)"                                        # a function as written in a form (regex())
    r"|(?<=[\u3400-\u9fff）])（[a-z][a-z0-9_]*）")          # an internal name offered as an alias after its words:
                                                        # 所属区县（county）; a form's id after its title
"""Text that is data, a name or something a person types, removed before looking for codes."""

LITERALS = frozenset({
    # XLSForm's own vocabulary: the sheets and columns of a form file a person edits
    "survey", "choices", "settings", "name", "type", "label", "begin", "end", "calculate", "relevant",
    "constraint", "required", "choice_filter",
    # XLSForm question types, counted by `fieldeval form check` for the form's author
    "calculate", "decimal", "deviceid", "geopoint", "image", "integer", "note", "select_multiple", "select_one",
    "start", "text", "today", "audit",
    # the back-check form's own columns and the household form's settings a person fills in
    "bc_type", "bc_tolerance", "bc_compare", "public_key",
    # a command the message tells a person to type
    "chmod",
    # values a person may type where the toolkit accepts them (corrections, review decisions, CLI choices)
    "keep", "drop", "new_id", "confirmed", "overturned", "unclear", "none", "auto", "borrow",
    "adjust", "average", "certainty", "remove", "fail", "partial", "likelihood",
    # column and question names given as examples of what to type (inc_wage), settings keys
    "inc_wage", "yes", "small_cell", "p_h", "issues", "meta", "fpc", "corrections",
    # the roles `fieldeval hub user add NAME --role ROLE` takes (issue 20)
    "admin", "supervisor", "evaluator", "leadership",
})
"""Words a person types (XLSForm terms, accepted values, examples of names) and may be told to type."""

SUSPECT = re.compile(r"\b[a-z]+_[a-z0-9_]+\b|\bTrue\b|\bFalse\b|\bNaN\b|\bnan\b|\bNone\b|<NA>|\bNaT\b"
                     r"|object at 0x|\b[a-z_]+\s*(?:==|!=|>=|<=)\s*[\w.]+|\bnet_pc\b")
ENGLISH = re.compile(r"\b[a-z]{3,}\b")
CJK = re.compile(r"[\u3400-\u9fff]")
CJK_OK = re.compile(r"[\u3400-\u9fff（）]+\s*\([^)]*[A-Za-z][^)]*\)|e\.g\.[^)]*|低保|男|女")
"""Chinese an English text may hold: a zh header with its English gloss ("结果代码 (result code)"),
an example of what to type (e.g. 瑶海区:340102), 低保 (the programme's name), the sex values 男/女."""


def bad_words(text: str, lang: str = "zh") -> list[str]:
    """What a reader must not see in ``text``: codes (:data:`SUSPECT`) and, in
    zh, lower-case English words not in :data:`ALLOWED_WORDS`."""
    clean = NOT_WORDS.sub(" ", str(text))
    found = [m.group(0) for m in SUSPECT.finditer(clean) if m.group(0) not in LITERALS
]
    if lang == "zh":
        found += [w for w in ENGLISH.findall(clean) if w not in ALLOWED_WORDS and w not in LITERALS]
    return found


def exempt(rel: str) -> str | None:
    """The reason ``rel`` (path under the demo) is not checked, or None."""
    name = rel.rsplit("/", 1)[-1]
    for pattern, why in EXEMPT.items():
        if fnmatch.fnmatch(rel, pattern) or ("/" not in pattern and fnmatch.fnmatch(name, pattern)):
            return why
    return None


# --- reading what a person sees ------------------------------------------------------------------
def file_texts(path: Path) -> list[tuple[str, str]]:
    """(where, text) of everything a person sees in ``path``: ``where`` names
    the sheet and cell, the CSV column and row, or the docx part."""
    out: list[tuple[str, str]] = []
    if path.suffix == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh))
        head = rows[0] if rows else []
        out += [(f"header column {i + 1}", h) for i, h in enumerate(head)]
        for r, row in enumerate(rows[1:], start=2):
            out += [(f"row {r}, column {head[i] if i < len(head) else i + 1!r}", v) for i, v in enumerate(row) if v]
    elif path.suffix == ".xlsx":
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True)
        for ws in wb.worksheets:
            out.append((f"sheet name {ws.title!r}", ws.title))
            for r, row in enumerate(ws.iter_rows(values_only=True), start=1):
                out += [(f"sheet {ws.title!r} row {r} column {c}", str(v)) for c, v in enumerate(row, start=1)
                        if v is not None and not isinstance(v, (int, float))]
    elif path.suffix == ".docx":
        import docx

        d = docx.Document(str(path))
        out += [(f"paragraph {i + 1}", p.text) for i, p in enumerate(d.paragraphs) if p.text]
        for ti, table in enumerate(d.tables, start=1):
            for ri, row in enumerate(table.rows, start=1):
                out += [(f"table {ti} row {ri} cell {ci}", c.text) for ci, c in enumerate(row.cells, start=1)
                        if c.text]
        for si, s in enumerate(d.sections, start=1):
            for part, hf in (("header", s.header), ("footer", s.footer)):
                out += [(f"section {si} {part}", p.text) for p in hf.paragraphs if p.text]
    elif path.suffix == ".html":
        text = html_text(path.read_text(encoding="utf-8"))
        out += [(f"line {i + 1}", line) for i, line in enumerate(text.splitlines()) if line.strip()]
    return out


def problems_in(root: Path, lang: str = "zh") -> tuple[list[str], list[str]]:
    """(problems "file: where: bad → text", files neither checked nor exempt)."""
    problems: list[str] = []
    unknown: list[str] = []
    for p in sorted(root.rglob("*")):
        if not p.is_file():
            continue
        rel = p.relative_to(root).as_posix()
        if exempt(rel):
            continue
        if p.suffix not in PEOPLE:
            unknown.append(rel)
            continue
        seen: set[str] = set()
        for where, text in file_texts(p):
            bad = bad_words(text, lang)
            key = " ".join(sorted(set(bad)))
            if bad and key not in seen:          # one line per kind of bad text per file
                seen.add(key)
                problems.append(f"{rel}: {where}: {sorted(set(bad))} in {text[:120]!r}")
    return problems, unknown


# --- the demo, once ------------------------------------------------------------------------------
def run(argv: list[str]) -> tuple[int, str]:
    """``fieldeval argv`` in this process; (exit code, stdout + stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as e:    # argparse's own errors
            code = int(e.code or 0)
    return code, out.getvalue() + err.getvalue()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """The demo project and the zh output of each verb run on it."""
    d = tmp_path_factory.mktemp("words") / "demo"
    said: dict[str, str] = {}
    code, said["demo"] = run(["demo", str(d), "--households", str(HOUSEHOLDS), "--seed", str(SEED)])
    assert code == 0, said["demo"][-2000:]
    extra = d.parent / "extra"
    extra.mkdir()
    verbs = {
        "roster check": ["roster", "check", str(d / "roster.xlsx"), "--project", str(d),
                         "--problems", str(extra / "problems.xlsx")],
        "roster check (missing file)": ["roster", "check", str(d / "no_such_roster.xlsx")],
        "sample plan": ["sample", "plan", "--project", str(d), "--roster", str(d / "roster.xlsx"),
                        "--strata", "所属区县"],
        "sample plan (no such column)": ["sample", "plan", "--project", str(d), "--roster", str(d / "roster.xlsx"),
                                         "--strata", "不存在的列"],
        "sample verify": ["sample", "verify", str(next(d.glob("output/rounds/*/stages/sample/manifest.json"),   # a main
                                                       d / "output" / "sample" / "manifest.json")),   # draw (issue 19)
                          "--roster", str(d / "roster.xlsx"), "--comparison", str(d / "comparison.xlsx")],
        "progress": ["progress", "--project", str(d), "--out", str(extra / "progress.xlsx")],
        "review export": ["review", "export", "--project", str(d), "--out", str(extra / "review.xlsx")],
        "form check": ["form", "check", str(Path(__file__).resolve().parents[1] / "toolkit" / "questionnaires"
                                          / "household_visit.xlsx")],
        "ingest (no such file)": ["ingest", str(d / "no_such_export.xlsx"), "--project", str(d)],
        "notebooks list": ["notebooks", "list"],
        "round status": ["round", "status", "--project", str(d)],   # issue 19: rounds and the change
        "round verify": ["round", "verify", "--project", str(d)],
    }
    for name, argv in verbs.items():
        _, said[name] = run(argv)
    return d, said


# --- the tests -----------------------------------------------------------------------------------
def test_every_file_a_person_opens_is_in_words(demo: tuple[Path, dict[str, str]]) -> None:
    root, _ = demo
    problems, unknown = problems_in(root)
    extra, _ = problems_in(root.parent / "extra")
    problems += [f"(verbs) {p}" for p in extra]
    assert not unknown, f"files the demo wrote that are neither checked nor listed in EXEMPT: {unknown}"
    assert not problems, "codes where words belong:\n" + "\n".join(problems)


def test_every_cli_message_is_in_words(demo: tuple[Path, dict[str, str]]) -> None:
    _, said = demo
    problems = []
    for verb, text in said.items():
        assert "Traceback" not in text, f"{verb}: a traceback\n{text[-1500:]}"
        for line in text.splitlines():
            bad = bad_words(line)
            if bad:
                problems.append(f"fieldeval {verb}: {sorted(set(bad))} in {line.strip()[:160]!r}")
    assert not problems, "codes in what the commands print:\n" + "\n".join(dict.fromkeys(problems))


def test_english_on_request_gives_english_headers(demo: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    root, _ = demo
    run(["roster", "check", str(root / "roster.xlsx"), "--project", str(root), "--lang", "en",
         "--problems", str(tmp_path / "problems.xlsx")])
    from openpyxl import load_workbook

    for ws in load_workbook(tmp_path / "problems.xlsx", read_only=True).worksheets:
        head = next(ws.iter_rows(values_only=True), ())
        assert head and not any(CJK.search(str(h)) for h in head if h), f"problems.xlsx sheet {ws.title!r}: {head}"
        assert not any(bad_words(str(h), "en") for h in head if h), f"problems.xlsx sheet {ws.title!r}: {head}"


def test_every_catalogue_entry_in_its_language() -> None:
    from toolkit.i18n import catalog

    problems = []
    for key, (zh, en) in catalog().items():
        if re.search(r"\.help(?:_\w+)?$", key):
            continue            # command help: "zh / en" in one line by design (cli.py), not a message
        bad = [w for w in bad_words(zh) if w not in _PLACEHOLDER_WORDS(zh)]
        if bad:
            problems.append(f"{key} (zh): {sorted(set(bad))} in {zh[:120]!r}")
        if CJK.search(CJK_OK.sub(" ", en)):
            problems.append(f"{key} (en): Chinese in {en[:120]!r}")
    assert not problems, "catalogue entries out of their language:\n" + "\n".join(problems)


def _PLACEHOLDER_WORDS(text: str) -> set[str]:  # noqa: N802 - reads as a set
    """The ``{name}`` placeholders of a catalogue text: filled in at run time, never shown."""
    return {w for name in re.findall(r"\{(\w+)[^}]*\}", text) for w in [name, *ENGLISH.findall(name)]}


def test_the_checker_catches_codes() -> None:
    """The rule itself can fail: each kind of code is found, words and data are not."""
    for bad in ("household_size", "True", "nan", "<NA>", "None", "<Foo object at 0x7f>", "net_pc=1464.38",
                "按 county 分层", "helper on file"):
        assert bad_words(bad), bad
    for ok in ("家庭人口", "已写出：/tmp/x/output/roster_problems.xlsx", "运行 fieldeval sample verify manifest.json "
               "--roster 档案文件", "uuid:0e5f-11", "Wilson 得分区间", "抽样算法 fieldeval-sampling/1", "HH-3F2A",
               "R 的 svyciprop \"beta\""):
        assert not bad_words(ok), (ok, bad_words(ok))
    assert exempt("output/ingest/submissions.parquet") and not exempt("output/ingest/issues.csv")
