"""``fieldeval key``: the project key (encryption at rest) and the ODK key pair.

``fieldeval key init --project DIR [--key-file FILE]``   a new key, kept outside DIR; existing identifiable files encrypted
``fieldeval key status --project DIR``                   encrypting or not, where the key is, files encrypted / still plain
``fieldeval key rotate --project DIR``                   re-encrypt everything with a new key (crash-safe; rerun finishes)
``fieldeval key backup --project DIR --out FILE``        the key sealed with a passphrase read from stdin (scrypt)
``fieldeval key restore --project DIR BACKUP``           put a backed-up key back (passphrase from stdin)
``fieldeval key decrypt --project DIR FILE --out OUT``   a plain copy of an encrypted file (or folder: visit lists to print)
``fieldeval key pseudonyms --project DIR [--mapping F]`` new pseudonym key; mapping old → new for the evaluator
``fieldeval key odk-keypair --out DIR``                  RSA pair for an encrypted ODK form (public key for settings)

See docs/encryption.md. Everything printed is in words (zh, or en with --lang en).
"""
from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from toolkit.errors import UserError
from toolkit.i18n import t


def _passphrase(lang: str) -> str:
    if sys.stdin.isatty():
        text = getpass.getpass(t("keys.cli.passphrase", lang) + " ")
    else:
        text = sys.stdin.readline().rstrip("\r\n")
    if not text:
        raise UserError("keys.no_passphrase")
    return text


def _init(args: argparse.Namespace) -> int:
    from toolkit import keys

    ring, n = keys.init(Path(args.project), key_file=Path(args.key_file) if args.key_file else None)
    print(t("keys.cli.init", args.lang, path=ring.source, n=n))
    return 0


def _status(args: argparse.Namespace) -> int:
    from toolkit import keys

    s = keys.status(Path(args.project))
    if not s["encrypting"]:
        print(t("keys.status.off", args.lang, plain=s["plain"]))
        return 0
    print(t("keys.status.on", args.lang, **s))
    if s.get("found"):
        print(t("keys.status.found", args.lang))
        if s.get("keys", 1) > 1:
            print(t("keys.status.pending", args.lang))
        return 0
    print(t("common.error_prefix", args.lang) + s["problem"].message(args.lang), file=sys.stderr)
    return 2


def _rotate(args: argparse.Namespace) -> int:
    from toolkit import keys

    ring, n = keys.rotate(Path(args.project))
    print(t("keys.cli.rotate", args.lang, key_id=ring.current_id.hex(), n=n))
    return 0


def _backup(args: argparse.Namespace) -> int:
    from toolkit import keys

    out = keys.backup(Path(args.project), _passphrase(args.lang), Path(args.out))
    print(t("keys.cli.backup", args.lang, path=out))
    return 0


def _restore(args: argparse.Namespace) -> int:
    from toolkit import keys

    path = keys.restore(Path(args.project), _passphrase(args.lang), Path(args.backup))
    print(t("keys.cli.restore", args.lang, path=path))
    return 0


def _decrypt(args: argparse.Namespace) -> int:
    from toolkit import vault

    src, out = Path(args.file), Path(args.out)
    if src.is_dir():   # a folder (the team visit lists to print): every file, same names under OUT
        for f in sorted(p for p in src.rglob("*") if p.is_file() and not p.name.startswith(".")):
            vault.decrypt_to(f, out / f.relative_to(src))
        print(t("keys.cli.decrypted", args.lang, path=out))
        return 0
    if not src.is_file():
        raise UserError("common.file_not_found", path=str(src))
    print(t("keys.cli.decrypted", args.lang, path=vault.decrypt_to(src, out)))
    return 0


def _pseudonyms(args: argparse.Namespace) -> int:
    from toolkit import keys

    out, n = keys.rotate_pseudonym_key(Path(args.project), Path(args.mapping) if args.mapping else None)
    print(t("keys.cli.pseudonyms", args.lang, path=out, n=n))
    return 0


def _keypair(args: argparse.Namespace) -> int:
    from toolkit.ingest.odk_keys import write_keypair

    private, public, line = write_keypair(Path(args.out), bits=args.bits)
    print(t("keys.cli.keypair", args.lang, private=private, public=public, line=line))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """The ``key`` verb and its actions."""
    from toolkit.cli import add_lang

    p = sub.add_parser("key", help="项目密钥与加密 / project key, encryption at rest, ODK key pair")
    acts = p.add_subparsers(dest="action", metavar="ACTION")

    def action(name: str, func, help_: str, project: bool = True) -> argparse.ArgumentParser:  # noqa: ANN001
        a = acts.add_parser(name, help=help_)
        if project:
            a.add_argument("--project", required=True, help="评估项目目录 / project directory")
        add_lang(a)
        a.set_defaults(func=func)
        return a

    a = action("init", _init, "生成项目密钥并加密可识别文件 / make the key, encrypt identifiable files")
    a.add_argument("--key-file", default=None, help="密钥文件位置（项目文件夹以外）/ where to keep the key (outside DIR)")
    action("status", _status, "加密状态 / encryption status")
    action("rotate", _rotate, "换用新密钥并重新加密 / rotate the key, re-encrypt everything")
    a = action("backup", _backup, "用口令备份密钥（口令从标准输入读取）/ back the key up with a passphrase from stdin")
    a.add_argument("--out", required=True, help="备份文件 / backup file (outside DIR)")
    a = action("restore", _restore, "从备份恢复密钥 / restore the key from a backup")
    a.add_argument("backup", metavar="BACKUP")
    a = action("decrypt", _decrypt, "解密一个文件的明文副本 / a plain copy of one encrypted file")
    a.add_argument("file", metavar="FILE")
    a.add_argument("--out", required=True)
    a = action("pseudonyms", _pseudonyms, "更换假名密钥并写出新旧对照 / rotate the pseudonym key, write the mapping")
    a.add_argument("--mapping", default=None, help="对照表 CSV / mapping file")
    a = action("odk-keypair", _keypair, "生成 ODK 加密表单的密钥对 / RSA key pair for an encrypted ODK form",
               project=False)
    a.add_argument("--out", required=True, help="写入的文件夹 / folder to write the pair to")
    a.add_argument("--bits", type=int, default=2048, choices=(2048, 3072, 4096))
    p.set_defaults(func=lambda args: (p.print_help(), 2)[1])


__all__ = ["register"]
