"""The evaluation project: ``evaluation.toml`` loaded into frozen dataclasses.

A project directory holds ``evaluation.toml`` (name, language, counties with
their 6-digit area code, 低保 line and minimum wage, thresholds, paths). Every
error names the key and the line of the file, so an evaluator can fix it in a
text editor. Amounts are yuan; 低保 and minimum wage are per person per month.
"""
from __future__ import annotations

import re
import secrets
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import tomli_w

from toolkit.errors import UserError

CONFIG_NAME = "evaluation.toml"

CATEGORIES = ("深度困难", "相对困难", "意外致困")
STATUSES = ("在档", "已脱困", "已解困", "注销")
LEVELS = ("全国级", "省级", "地市级", "区县级", "基层")


@dataclass(frozen=True)
class County:
    """One evaluated county: name, 6-digit area code, 低保 line and local
    minimum wage (yuan per person per month)."""

    name: str
    code: str
    dibao: float
    min_wage: float


@dataclass(frozen=True)
class Thresholds:
    """Pass/fail lines for the indicators (shares, 0-1).

    The three published ones (错退率 < 2 %, 漏评率 < 2 %, 认可度 ≥ 90 %) come
    from China's poverty-exit evaluations; the others are this project's
    defaults, to be set per evaluation.
    """

    wrong_exit_rate_max: float = 0.02
    missed_rate_max: float = 0.02
    approval_rate_min: float = 0.90
    wrong_inclusion_rate_max: float = 0.05
    missed_exit_rate_max: float = 0.05
    archive_match_rate_min: float = 0.90
    needs_identification_rate_min: float = 0.90
    helper_coverage_rate_min: float = 0.95
    funds_to_household_rate_min: float = 0.98
    data_completeness_rate_min: float = 0.95
    overall_precision_rate_min: float = 0.95
    relative_hardship_multiple: float = 2.0   # 相对困难: below this × 低保
    income_tolerance_relative: float = 0.10   # per-capita income check tolerance


@dataclass(frozen=True)
class Paths:
    """Files of the project, relative to the project directory."""

    roster: str = "roster.xlsx"
    help_records: str = "help_records.xlsx"
    store: str = "fieldeval.db"
    key_file: str = ".fieldeval/pseudonym.key"
    output: str = "output"


@dataclass(frozen=True)
class Evaluation:
    """A loaded evaluation project. ``root`` is the directory of the file;
    ``extra`` keeps tables that later steps (sampling, quality) read."""

    name: str
    language: str
    counties: tuple[County, ...]
    thresholds: Thresholds = field(default_factory=Thresholds)
    paths: Paths = field(default_factory=Paths)
    root: Path = Path(".")
    extra: dict[str, Any] = field(default_factory=dict)

    def county(self, name_or_code: str) -> County | None:
        """The county with this name or area code, or None."""
        for c in self.counties:
            if name_or_code in (c.name, c.code):
                return c
        return None

    def path(self, name: str) -> Path:
        """Absolute path of ``paths.<name>``."""
        return (self.root / getattr(self.paths, name)).resolve()

    def key(self) -> bytes:
        """The pseudonym key (created with ``init``); kept apart from the data."""
        p = self.path("key_file")
        if not p.exists():
            raise UserError("config.key_missing", path=str(p))
        from toolkit.vault import read_bytes   # encrypted with the project key when there is one

        return bytes.fromhex(read_bytes(p).decode("ascii").strip())


# --- locating keys in the file -------------------------------------------------

_TABLE = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-]+)\s*\]\]?")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-]+)\s*=")


def _key_lines(text: str) -> dict[str, int]:
    """Map dotted key paths (``counties.1.dibao``) to 1-based line numbers."""
    out: dict[str, int] = {}
    prefix = ""
    counters: dict[str, int] = {}
    for no, line in enumerate(text.splitlines(), start=1):
        m = _TABLE.match(line)
        if m:
            name = m.group(2)
            if m.group(1) == "[[":
                counters[name] = counters.get(name, -1) + 1
                prefix = f"{name}.{counters[name]}"
            else:
                prefix = name
            out.setdefault(prefix, no)
            continue
        k = _KEY.match(line)
        if k:
            out[f"{prefix}.{k.group(1)}" if prefix else k.group(1)] = no
    return out


class _Checker:
    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.lines = _key_lines(text)

    def fail(self, key: str, problem_key: str, **fields: object) -> UserError:
        line = self.lines.get(key) or self.lines.get(key.rsplit(".", 1)[0], 0)
        return UserError("config.bad_value", path=str(self.path), key=key, line=line,
                         problem=_Problem(problem_key, fields))

    def number(self, table: dict, key: str, dotted: str, *, low: float = 0.0,
               required: bool = True, default: float | None = None) -> float:
        if key not in table:
            if required:
                raise self.fail(dotted, "config.p_missing")
            return default  # type: ignore[return-value]
        v = table[key]
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise self.fail(dotted, "config.p_not_number", value=v)
        if v < low:
            raise self.fail(dotted, "config.p_too_small", value=v, low=low)
        return float(v)


class _Problem:
    """A nested, translatable description of what is wrong with a value."""

    def __init__(self, key: str, fields: dict) -> None:
        self.key, self.fields = key, fields

    def __format__(self, spec: str) -> str:
        from toolkit.i18n import t

        return t(self.key, spec or None, **self.fields)

    def __str__(self) -> str:
        return format(self, "")


def load(project: str | Path) -> Evaluation:
    """Load and check ``evaluation.toml`` from a project directory or file path.

    Raises UserError naming the key and line for any missing or bad value.
    """
    p = Path(project)
    path = p / CONFIG_NAME if p.is_dir() else p
    if not path.exists():
        raise UserError("config.not_found", path=str(path))
    text = path.read_text(encoding="utf-8")
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise UserError("config.syntax", path=str(path), detail=str(e)) from None
    chk = _Checker(path, text)

    ev = raw.get("evaluation", {})
    name = ev.get("name")
    if not isinstance(name, str) or not name.strip():
        raise chk.fail("evaluation.name", "config.p_missing")
    lang = ev.get("language", "zh")
    if lang not in ("zh", "en"):
        raise chk.fail("evaluation.language", "config.p_choice", value=lang, choices="zh, en")

    counties_raw = raw.get("counties", [])
    if not isinstance(counties_raw, list) or not counties_raw:
        raise chk.fail("counties", "config.p_no_counties")
    counties: list[County] = []
    seen: set[str] = set()
    for i, c in enumerate(counties_raw):
        base = f"counties.{i}"
        cname = c.get("name")
        if not isinstance(cname, str) or not cname.strip():
            raise chk.fail(f"{base}.name", "config.p_missing")
        code = str(c.get("code", ""))
        if not re.fullmatch(r"\d{6}", code):
            raise chk.fail(f"{base}.code", "config.p_area_code", value=c.get("code"))
        if cname in seen or code in seen:
            raise chk.fail(f"{base}.name", "config.p_duplicate", value=cname)
        seen.update((cname, code))
        dibao = chk.number(c, "dibao", f"{base}.dibao", low=1)
        wage = chk.number(c, "min_wage", f"{base}.min_wage", low=1)
        counties.append(County(cname.strip(), code, dibao, wage))

    th_raw = raw.get("thresholds", {})
    th_kwargs = {}
    for f in fields(Thresholds):
        if f.name in th_raw:
            v = chk.number(th_raw, f.name, f"thresholds.{f.name}")
            if f.name.endswith(("_max", "_min")) and v > 1:
                raise chk.fail(f"thresholds.{f.name}", "config.p_share", value=v)
            th_kwargs[f.name] = v
    unknown = set(th_raw) - {f.name for f in fields(Thresholds)}
    if unknown:
        k = sorted(unknown)[0]
        raise chk.fail(f"thresholds.{k}", "config.p_unknown_key", value=k)

    paths_raw = raw.get("paths", {})
    known_paths = {f.name for f in fields(Paths)}
    for k, v in paths_raw.items():
        if k not in known_paths:
            raise chk.fail(f"paths.{k}", "config.p_unknown_key", value=k)
        if not isinstance(v, str):
            raise chk.fail(f"paths.{k}", "config.p_not_text", value=v)
    extra = {k: v for k, v in raw.items() if k not in ("evaluation", "counties", "thresholds", "paths")}
    return Evaluation(name=name.strip(), language=lang, counties=tuple(counties),
                      thresholds=Thresholds(**th_kwargs), paths=Paths(**paths_raw),
                      root=path.parent.resolve(), extra=extra)


# Hefei-like defaults for a new project: area codes are the real ones;
# 低保 and minimum wage are illustrative figures to be replaced per evaluation.
DEFAULT_COUNTIES = (
    County("瑶海区", "340102", 880.0, 2060.0),
    County("庐阳区", "340103", 880.0, 2060.0),
    County("蜀山区", "340104", 880.0, 2060.0),
    County("包河区", "340111", 880.0, 2060.0),
    County("长丰县", "340121", 850.0, 1930.0),
    County("肥东县", "340122", 850.0, 1930.0),
)


def _value(v: Any) -> str:
    return tomli_w.dumps({"v": v})[4:].strip()


def to_toml(evaluation: Evaluation) -> str:
    """Serialise a project (without root and key) to readable TOML text:
    one ``[[counties]]`` table per county so each line can be edited."""
    out = ["# fieldeval evaluation project (评估项目). Amounts in yuan; dibao (低保) and",
           "# min_wage are per person per month. Thresholds are shares (0-1).", "",
           "[evaluation]", f"name = {_value(evaluation.name)}",
           f"language = {_value(evaluation.language)}", ""]
    for c in evaluation.counties:
        out += ["[[counties]]", f"name = {_value(c.name)}", f"code = {_value(c.code)}",
                f"dibao = {_value(c.dibao)}", f"min_wage = {_value(c.min_wage)}", ""]
    out.append("[thresholds]  # 错退率 < 2 %, 漏评率 < 2 %, 认可度 >= 90 % are published; the rest are defaults")
    out += [f"{f.name} = {_value(getattr(evaluation.thresholds, f.name))}" for f in fields(Thresholds)]
    out += ["", "[paths]  # relative to this file"]
    out += [f"{f.name} = {_value(getattr(evaluation.paths, f.name))}" for f in fields(Paths)]
    text = "\n".join(out) + "\n"
    if evaluation.extra:
        text += "\n" + tomli_w.dumps(evaluation.extra)
    return text


def parse_lines(text: str) -> tuple[float, float]:
    """``"880,2060"`` → (低保 line, minimum wage), yuan per person per month."""
    parts = [x.strip() for x in re.split(r"[,，/;；\s]+", str(text).strip()) if x.strip()]
    try:
        values = [float(x.replace("元", "")) for x in parts]
    except ValueError:
        values = []
    if len(values) != 2 or min(values) <= 0:
        raise UserError("roster2.init.bad_lines", value=text)
    return values[0], values[1]


def parse_counties(text: str, lines: str | None = None) -> tuple[County, ...]:
    """Counties as a person types them on the command line: comma separated,
    each ``名称:6位区划代码`` and optionally ``:低保:最低工资`` (yuan per
    person per month); ``lines`` ("880,2060") gives the two lines of every
    county written without its own. UserError in words otherwise."""
    default = parse_lines(lines) if lines else None
    out: list[County] = []
    for item in (x.strip() for x in re.split(r"[,，、;；]+", str(text)) if x.strip()):
        parts = [x.strip() for x in re.split(r"[:：]", item)]
        if len(parts) not in (2, 4) or not parts[0] or not re.fullmatch(r"\d{6}", parts[1]):
            raise UserError("roster2.init.bad_county", value=item)
        if len(parts) == 4:
            dibao, wage = parse_lines(f"{parts[2]},{parts[3]}")
        elif default is not None:
            dibao, wage = default
        else:
            raise UserError("roster2.init.no_lines", county=parts[0])
        out.append(County(parts[0], parts[1], dibao, wage))
    if not out:
        raise UserError("roster2.init.bad_county", value=text)
    return tuple(out)


def init(directory: str | Path, *, name: str = "评估项目", language: str = "zh",
         counties: tuple[County, ...] = DEFAULT_COUNTIES, overwrite: bool = False,
         key: bytes | None = None, roster: str | Path | None = None) -> Path:
    """Write ``DIR/evaluation.toml`` and a fresh pseudonym key; return the file.

    Refuses to overwrite an existing project unless ``overwrite``. The key is
    32 random bytes (hex) in ``.fieldeval/pseudonym.key``, mode 0600.
    roster: the roster file, recorded as ``paths.roster`` (relative to the
    project when it lies inside it, else absolute) so that ``verify`` finds it.
    The defaults (counties, name) serve tests and the synthetic city; the
    ``fieldeval init`` command never uses them silently (it asks, or fails
    naming the flags).
    """
    d = Path(directory)
    path = d / CONFIG_NAME
    if path.exists() and not overwrite:
        raise UserError("config.exists", path=str(path))
    d.mkdir(parents=True, exist_ok=True)
    paths = Paths()
    if roster is not None:
        r = Path(roster).expanduser().resolve()
        try:
            recorded = r.relative_to(d.resolve()).as_posix()
        except ValueError:
            recorded = str(r)
        paths = Paths(roster=recorded)
    ev = Evaluation(name=name, language=language, counties=counties, root=d, paths=paths)
    path.write_text(to_toml(ev), encoding="utf-8")
    keyp = d / ev.paths.key_file
    if not keyp.exists() or overwrite:
        keyp.parent.mkdir(parents=True, exist_ok=True)
        keyp.write_text((key or secrets.token_bytes(32)).hex() + "\n")
        keyp.chmod(0o600)
    return path


__all__ = ["County", "Thresholds", "Paths", "Evaluation", "load", "init", "to_toml", "parse_counties", "parse_lines",
           "CATEGORIES", "STATUSES", "LEVELS", "DEFAULT_COUNTIES", "replace"]
