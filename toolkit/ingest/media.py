"""Photos taken at the visit, kept from the field exports (evaluator side).

Where the files are in an export:

- **ODK Central** (``submissions.csv.zip`` with media): every attachment sits
  flat in ``media/<file name>``; the image question's column holds that file
  name (ruODK ``submission_export``: "attachment filenames (e.g. 12345.jpg)
  should be prepended with ``media``").
- **KoboToolbox** ("download media attachments"): a zip of
  ``<user>/attachments/<form uuid>/<submission uuid>/<file name>``, given to
  ``fieldeval ingest`` beside the XLSX/CSV export; the submission is the one
  whose KEY is ``uuid:<submission uuid>``. A zip that holds no CSV but such
  files is a media zip (:func:`split_inputs`), never read as data.

What is kept: for each ACCEPTED submission and each ``image`` question of the
main form, the file its answer names, when it is a JPEG, PNG or WebP by its
first bytes (the name's suffix is not trusted). Everything else is an issue in
words (``issues.csv``, severity warning; the submission stays as validation
left it): a name with a path or ``..`` in it (never looked up), a file the
export does not hold, a file that is not a photo (an HTML page named
``.jpg`` is never opened, executed or shown), a file over
:attr:`MediaLimits.max_file_bytes`, or past :attr:`MediaLimits.max_total_bytes`
in all. Zips are bounded by :mod:`toolkit.safezip` first (a member name with
``..`` refuses the whole zip there).

Where it goes: the ingest stage, ``media/<key>/<question>_<name>.<jpg|png|webp>``
(each part reduced to letters, digits, ``. _ -``; the key part carries a short
hash of the real KEY so two keys never share a folder) and ``media.parquet``
(KEY, question, file, bytes, sha256; ``file`` relative to the ingest folder).
The stage is written as a whole (toolkit.project.stagefiles: a fresh folder
swapped in by rename), folders 0700, files 0600, and encrypted with the
rest of the stage when the project has a key (toolkit.vault, docs/encryption.md).
"""
from __future__ import annotations

import hashlib
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import pandas as pd

from toolkit import safezip
from toolkit.forms.model import Form
from toolkit.i18n import t
from toolkit.photos import EXTENSION, MEDIA_COLUMNS, MEDIA_DIR, MEDIA_TABLE, MIME, sniff

MiB = 1 << 20
_ISSUE_COLUMNS = ("key", "field", "value", "rule", "severity", "message", "repeat_key")
_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class MediaLimits:
    """Bounds on the photos kept from one ingest run (bytes)."""

    max_file_bytes: int = 20 * MiB
    max_total_bytes: int = 4096 * MiB
    max_files: int = 50_000


LIMITS = MediaLimits()


def safe_component(text: str, limit: int = 60) -> str:
    """``text`` as one harmless path component: letters, digits, ``. _ -``
    only, no leading dot, at most ``limit`` characters, never empty."""
    s = _SAFE.sub("_", str(text)).lstrip(".")[:limit]
    return s or "_"


def key_folder(key: str) -> str:
    """The folder of one submission's photos (see the module doc)."""
    return f"{safe_component(key, 48)}-{hashlib.sha256(str(key).encode()).hexdigest()[:8]}"


@dataclass(frozen=True)
class Planned:
    """One photo to copy: from ``member`` of ``zip_path`` to ``file`` (relative to the ingest folder)."""

    key: str
    question: str
    zip_path: str
    member: str
    file: str


@dataclass(frozen=True)
class MediaPlan:
    """What :func:`collect` found: the photos to keep and the issues (ISSUE_COLUMNS)."""

    files: tuple[Planned, ...] = ()
    issues: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(_ISSUE_COLUMNS)))
    limits: MediaLimits = LIMITS


def _media_members(path: Path) -> pd.DataFrame:
    """Attachment members of one zip: zip, member, name, folder (the Kobo
    submission uuid, else ""), size. ODK: ``media/<name>``; Kobo:
    ``…/attachments/…/<uuid>/<name>``."""
    rows = []
    for i in safezip.check(path):
        if i.is_dir():
            continue
        parts = PurePosixPath(i.filename.replace("\\", "/")).parts
        if len(parts) == 2 and parts[0].lower() == MEDIA_DIR:
            rows.append((str(path), i.filename, parts[1], "", i.file_size))
        elif "attachments" in (p.lower() for p in parts[:-1]) and len(parts) >= 3:
            rows.append((str(path), i.filename, parts[-1], parts[-2], i.file_size))
    return pd.DataFrame(rows, columns=["zip", "member", "name", "folder", "size"])


def is_media_zip(path: Path) -> bool:
    """A zip holding no CSV but attachments (a Kobo media download)."""
    if path.suffix.lower() != ".zip" or not path.is_file():
        return False
    names = [i.filename.lower() for i in safezip.check(path) if not i.is_dir()]
    return bool(names) and not any(n.endswith(".csv") for n in names) and len(_media_members(path)) > 0


def split_inputs(paths: list[Path]) -> tuple[list[Path], list[Path]]:
    """(data exports, media-only zips) among the inputs of one ingest run."""
    media = [p for p in paths if is_media_zip(p)]
    return [p for p in paths if p not in media], media


#: a photo name from an answer that is never looked up: a path (``/`` or ``\\``),
#: a ``..``, a NUL, a leading dot or a drive letter
_UNSAFE = r"[/\\\x00]|\.\.|^\.|^.:"


def collect(paths: list[Path], main: pd.DataFrame, form: Form, lang: str = "zh",
            limits: MediaLimits | None = None) -> MediaPlan:
    """The photos of the accepted submissions in ``main`` found in the zip
    inputs ``paths``, checked (module doc: names, presence, declared size,
    first bytes); nothing is written here. Matching is done on whole
    columns; only the files matched are opened (their first 16 bytes).
    ``limits``: :data:`LIMITS` unless given."""
    limits = limits or LIMITS
    questions = [q.name for q in form.questions if q.type == "image" and not q.repeat and q.name in main.columns]
    if not questions or not len(main):
        return MediaPlan(limits=limits)
    accepted = main[main["_status"] == "accepted"] if "_status" in main.columns else main
    src = (accepted["source_file"].astype(str) if "source_file" in accepted.columns
           else pd.Series("", index=accepted.index))
    want = pd.concat([pd.DataFrame({"KEY": accepted["KEY"].astype(str).to_numpy(), "question": q,
                                    "name": accepted[q].to_numpy(), "src": src.str.split("!", n=1).str[0].to_numpy()})
                      for q in questions], ignore_index=True)
    want = want[want["name"].notna()]
    want["name"] = want["name"].astype(str).str.strip()
    want = want[want["name"] != ""].reset_index(drop=True)
    want["uuid"] = want["KEY"].str.removeprefix("uuid:")
    rows: list[pd.DataFrame] = []

    def issue(frame: pd.DataFrame, rule: str, **f: object) -> None:
        if len(frame):
            rows.append(pd.DataFrame({
                "key": frame["KEY"].to_numpy(), "field": frame["question"].to_numpy(),
                "value": frame["name"].to_numpy(), "rule": f"media_{rule}", "severity": "warning",
                "message": [t(f"evidence.issue.{rule}", lang, name=n, **f) for n in frame["name"]],
                "repeat_key": ""}))

    bad = want["name"].str.contains(_UNSAFE, regex=True)
    issue(want[bad], "unsafe_name")
    want = want[~bad]
    zips = [Path(p) for p in paths if Path(p).suffix.lower() == ".zip"]
    members = pd.concat([_media_members(z) for z in zips], ignore_index=True) if zips else _media_members_empty()
    members["zipname"] = members["zip"].map(lambda z: Path(z).name)
    m = want.reset_index().merge(members, on="name", how="inner")
    m = m[(m["folder"] == "") | (m["folder"] == m["uuid"])]
    m = (m.assign(other=(m["zipname"] != m["src"]).astype(int)).sort_values(["index", "other"])
         .drop_duplicates("index"))
    issue(want[~want.index.isin(m["index"])], "missing")
    big = m["size"].astype("int64") > limits.max_file_bytes
    issue(m[big], "too_large", limit=_mb(limits.max_file_bytes))
    m = m[~big]
    over = (m["size"].astype("int64").cumsum() > limits.max_total_bytes) | \
        (pd.Series(range(len(m)), index=m.index) >= limits.max_files)
    issue(m[over], "over_total", limit=_mb(limits.max_total_bytes))
    m = m[~over]
    kinds = _kinds(m)
    issue(m[kinds.isna()], "not_image")
    m = m.assign(kind=kinds)[kinds.notna()]
    stem = m["name"].map(lambda n: PurePosixPath(n).stem)
    files = (MEDIA_DIR + "/" + m["KEY"].map(key_folder) + "/" + m["question"].map(lambda q: safe_component(q, 40))
             + "_" + stem.map(safe_component) + "." + m["kind"].map(EXTENSION))
    planned = tuple(Planned(k, q, z, mb, f) for k, q, z, mb, f in
                    zip(m["KEY"], m["question"], m["zip"], m["member"], files))
    issues = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=list(_ISSUE_COLUMNS))
    return MediaPlan(planned, issues[list(_ISSUE_COLUMNS)], limits)


def _kinds(m: pd.DataFrame) -> pd.Series:
    """The photo type of each matched member from its first 16 bytes (None: not a photo)."""
    out = pd.Series(None, index=m.index, dtype=object)
    for z, grp in m.groupby("zip", sort=False):
        with zipfile.ZipFile(z) as zf:
            for i, member in zip(grp.index, grp["member"]):
                try:
                    with zf.open(member) as f:
                        out[i] = sniff(f.read(16))
                except (zipfile.BadZipFile, OSError, EOFError, ValueError):
                    out[i] = None
    return out


def _media_members_empty() -> pd.DataFrame:
    return pd.DataFrame(columns=["zip", "member", "name", "folder", "size"])


def _read(zip_path: Path, member: str, limits: MediaLimits) -> bytes:
    """One member's bytes, inflated within the photo bound (toolkit.safezip.read_member)."""
    cap = safezip.ZipLimits(max_member_bytes=limits.max_file_bytes)
    with zipfile.ZipFile(zip_path) as zf:
        return safezip.read_member(zf, zf.getinfo(member), zip_path, cap)


def write(plan: MediaPlan | None, outdir: Path) -> list[Path]:
    """Copy the planned photos into ``outdir/media/…`` (folders 0700, files
    0600, each written under a temporary name and renamed; read within the
    photo bound) and write ``media.parquet``. Returns the paths written."""
    from toolkit.ingest.pipeline import write_parquet

    if plan is None:
        return []
    out = Path(outdir)
    written: list[Path] = []
    rows = []
    for p in plan.files:
        data = _read(Path(p.zip_path), p.member, plan.limits)
        target = out / p.file
        for d in (out / MEDIA_DIR, target.parent):
            d.mkdir(exist_ok=True, mode=0o700)
            d.chmod(0o700)
        tmp = target.with_name(f".{target.name}.partial")
        with open(_open_private(tmp), "wb") as f:
            f.write(data)
        tmp.replace(target)
        written.append(target)
        rows.append((p.key, p.question, p.file, len(data), hashlib.sha256(data).hexdigest()))
    table = pd.DataFrame(rows, columns=list(MEDIA_COLUMNS)).astype({"bytes": "int64"})
    written.append(write_parquet(table, out / MEDIA_TABLE))
    (out / MEDIA_TABLE).chmod(0o600)
    return written


def _open_private(path: Path) -> int:
    import os

    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), 0o600)


def load(ingest_dir: Path) -> pd.DataFrame:
    """``media.parquet`` of an ingest folder (empty with MEDIA_COLUMNS when absent)."""
    p = Path(ingest_dir) / MEDIA_TABLE
    if not p.is_file():
        return pd.DataFrame(columns=list(MEDIA_COLUMNS))
    from toolkit.vault import source

    return pd.read_parquet(source(p))


def _mb(n: int) -> str:
    return f"{n / MiB:,.1f} MB"


__all__ = ["LIMITS", "MEDIA_COLUMNS", "MEDIA_DIR", "MEDIA_TABLE", "MIME", "MediaLimits", "MediaPlan", "Planned",
           "collect", "is_media_zip", "key_folder", "load", "safe_component", "sniff", "split_inputs",
           "write"]
