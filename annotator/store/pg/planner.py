"""Table statistics for the server's query planner, gathered at the end of a large import.

PostgreSQL plans each query from the statistics ANALYZE gathers. Autovacuum gathers them by
itself, but only up to a minute after a table changed by a tenth; until then a project just
filled by a large import or merge is planned as if it were nearly empty. The export's query for
a chunk of documents' spans then scans every span of the project: measured at 10,000
documents, 16 ms a chunk instead of 1 ms; at 100,000 an export right after the merge took 65 s
instead of 12 s (a project file's: 13 s). So an import that grows the project by a tenth or
more analyzes the tables it filled (0.7 s at 100,000 documents), inside its own transaction
(ANALYZE counts the rows its transaction inserted), and the statistics are committed with the
documents.

Only the tables' owner (the project's creator) or a superuser may analyze them: for anyone else
PostgreSQL skips them with a warning, and autovacuum comes by within the minute.
"""

from __future__ import annotations

from typing import Any

TABLES = ("documents", "spans", "relations")
GROWTH = 0.1  # as autovacuum's default analyze scale factor
MIN_DOCUMENTS = 1_000  # below this, scanning a whole table costs next to nothing


def grew_much(before: int, added: int) -> bool:
    """Return True when ``added`` documents on top of ``before`` call for fresh statistics."""
    return added >= MIN_DOCUMENTS and added >= GROWTH * before


def analyze(db: Any) -> None:
    """Gather the planner's statistics of the documents, spans and relations tables."""
    db.execute(f"ANALYZE {', '.join(TABLES)}")
