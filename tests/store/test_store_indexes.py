"""0003_indexes: the walkthrough's and dashboards' look-ups have an index (issue 21)."""
from __future__ import annotations

import sqlalchemy as sa

from toolkit.store import open_store

EXPECTED = {
    "submission_keys": ["round_id", "archive_id"],
    "submission_reviews": ["round_id", "archive_id"],
    "findings": ["archive_id", "finding_type"],
    "units": ["archive_id"],
    "audit_log": ["table_name", "record_key"],
}


def test_lookup_indexes_exist(store_url: str) -> None:
    with open_store(store_url) as store:
        insp = sa.inspect(store.engine)
        for table, cols in EXPECTED.items():
            have = [ix["column_names"] for ix in insp.get_indexes(table)]
            assert cols in have, (table, have)
