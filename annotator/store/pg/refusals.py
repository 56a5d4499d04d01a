"""The server's refusals of a write outside the person's role, as the user's OwnershipError.

PostgreSQL refuses such a write with SQLSTATE 42501 (insufficient_privilege): a table or column
the role may not write ("permission denied for table project"), a new row outside the writer's
lane ("new row violates row-level security policy for table "spans""), or a row of someone
else's changed or deleted (the project's guard trigger, :mod:`annotator.store.pg.roles`, whose
message names whose row it is). The message says what was refused and why.
"""

from __future__ import annotations

from pathlib import Path

import psycopg

from annotator.errors import OwnershipError

# The first words of PostgreSQL's own messages, and what they mean to a person.
_MEANINGS = (
    (
        "new row violates row-level security policy",
        "an annotator writes only their own layer, a curator also the gold layer",
    ),
    (
        "permission denied",
        "another role on this project is needed for that: see `annotator team list`",
    ),
)


def refusal(exc: psycopg.Error, user: str = "", path: Path | None = None) -> OwnershipError:
    """Return the OwnershipError saying what the server refused (``exc`` is SQLSTATE 42501)."""
    message = (exc.diag.message_primary or str(exc)).strip()
    whose = f"{user}'s change" if user else "the change"
    for start, meaning in _MEANINGS:
        if message.startswith(start):
            return OwnershipError(f"the server refused {whose}: {message} ({meaning})", path=path)
    # The guard trigger's own message names the person, whose row it is and the rule.
    return OwnershipError(f"the server refused {whose}: {message}", path=path)
