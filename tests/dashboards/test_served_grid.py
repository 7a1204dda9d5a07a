"""The grid's DataTables bundle is served once as a file in Voilà, not sent with every table (issue 15)."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from toolkit.commands.serve import write_template
from toolkit.widgets import served_grid


def test_template_carries_the_bundle_under_its_versioned_name(tmp_path: Path) -> None:
    write_template(tmp_path)
    static = tmp_path / "voila" / "templates" / "fieldeval" / "static"
    js, css = served_grid.asset_names()
    import itables.widget

    assert (static / js).read_bytes() == (Path(itables.widget.__file__).parent / "static" / "widget.js").read_bytes()
    assert (static / css).stat().st_size > 10_000
    assert js in served_grid.shim() and css in served_grid.shim()


def test_a_table_in_voila_carries_the_small_module_not_the_bundle(monkeypatch: pytest.MonkeyPatch) -> None:
    from toolkit.widgets.progress import grid

    frame = pd.DataFrame({"访员": ["E01", "E02"], "份数": [3, 4]})
    for k in ("VOILA_KERNEL_ID", "VOILA_PREHEAT", "VOILA_APP_PORT", "VOILA_SERVER_URL"):
        monkeypatch.delenv(k, raising=False)
    plain = grid(frame)
    assert len(plain._esm) > 500_000          # outside Voilà: itables' own widget, bundle inline
    monkeypatch.setenv("VOILA_PREHEAT", "True")
    served = grid(frame)
    assert type(served).__name__ == "ServedTable"
    assert len(served._esm) < 2_000 and served._css == ""
    assert served._dt_args == plain._dt_args  # the same table, only its code travels differently
