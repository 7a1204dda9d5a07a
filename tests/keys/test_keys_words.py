"""Every ``keys.`` message the encryption code raises or prints exists in both
languages with the same placeholders, and none is left unused."""
from __future__ import annotations

import re
from pathlib import Path

from toolkit.i18n import catalog

ROOT = Path(__file__).resolve().parents[2] / "toolkit"
FILES = [ROOT / "vault.py", ROOT / "keys.py", ROOT / "commands" / "key.py", ROOT / "ingest" / "odk_crypt.py",
         ROOT / "ingest" / "odk_keys.py", ROOT / "ingest" / "unseal.py", ROOT / "config.py"]


def test_keys_messages_exist_match_and_are_used():
    src = "\n".join(p.read_text(encoding="utf-8") for p in FILES)
    used = set(re.findall(r'"(keys\.[a-z_.]+)"', src))
    cat = catalog()
    assert used and used <= set(cat), used - set(cat)
    mine = {k for k in cat if k.startswith("keys.")}
    assert mine <= used, mine - used
    for k in mine:
        zh, en = cat[k]
        assert sorted(set(re.findall(r"{(\w+)}", zh))) == sorted(set(re.findall(r"{(\w+)}", en))), k
        assert "Traceback" not in en and "None" not in en, k
