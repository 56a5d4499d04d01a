"""The people of a server project: login roles in its groups, and whose name the project writes.

A person is a PostgreSQL login role, a member of one of the project's groups
(:mod:`annotator.store.pg.roles`). Their password is turned into a SCRAM verifier here, as
``psql``'s ``\\password`` does, so the password itself never reaches the server, its logs or
this program's files. Only a login that may create roles (the project's creator, a superuser)
adds and removes people; a manager switches a project blind or back.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import psycopg
from psycopg import sql

from annotator.errors import NotFoundError, ProjectError, ValidationError
from annotator.model.document import GOLD_ANNOTATOR
from annotator.store.pg.connection import PgDatabase
from annotator.store.pg.refusals import refusal
from annotator.store.pg.roles import NAME_BYTES, ROLES, SEPARATOR, can_create_roles, group_names

BLIND_SETTING = "blind"
FILES_HAVE_NO_ROLES = (
    "roles are for server projects (postgresql://HOST/DB): a project file has none, whoever"
    " may write the file may change all of it"
)
OWNER = "owner"  # the role shown for the project's creator, its administrator


@dataclass(frozen=True, slots=True)
class Member:
    """One person of the project: their login name and role (annotator, curator, manager)."""

    name: str
    role: str


@dataclass(frozen=True, slots=True)
class Added:
    """What :meth:`Team.add` did: a new login or an existing one, and the role it had before."""

    name: str
    role: str
    created: bool
    previous: str | None = None


class OpenProject(Protocol):
    """What :meth:`Team.of` needs of a project: its database and where it is."""

    db: Any
    path: Path


class Team:
    """The members of one server project (``Team(db)`` of a project's PgDatabase)."""

    def __init__(self, db: PgDatabase) -> None:
        self.db = db
        self.raw: psycopg.Connection[Any] = db.conn.raw
        self.location = db.conn.path
        self.groups = group_names(self.location.database)

    @classmethod
    def of(cls, project: OpenProject) -> Team:
        """Return the team of an open project; refused for a project file."""
        if not isinstance(project.db, PgDatabase):
            raise ProjectError(FILES_HAVE_NO_ROLES, path=project.path)
        return cls(project.db)

    # ---- reading -------------------------------------------------------------------------

    def members(self) -> list[Member]:
        """Return the project's owner, then every member by name, with their role."""
        found = [Member(self.owner(), OWNER)]
        role_of = {group: role for role, group in self.groups.items()}
        rows = self.raw.execute(
            "SELECT m.rolname, g.rolname FROM pg_auth_members AS a"
            " JOIN pg_roles AS g ON g.oid = a.roleid JOIN pg_roles AS m ON m.oid = a.member"
            " WHERE g.rolname = ANY(%s) ORDER BY m.rolname, g.rolname",
            [list(self.groups.values())],
        )
        found += [Member(str(name), role_of[str(group)]) for name, group in rows]
        return found

    def owner(self) -> str:
        """Return the login that owns the project's tables (its administrator)."""
        row = self.raw.execute(
            "SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = 'project'::regclass"
        ).fetchone()
        return str(row[0]) if row else ""

    def role_of(self, name: str) -> str | None:
        """Return ``name``'s role in the project, or None when they are not a member."""
        roles = [m.role for m in self.members()[1:] if m.name == name]
        return roles[0] if roles else None

    def login_exists(self, name: str) -> bool:
        """Return True when the server already has a role called ``name``."""
        row = self.raw.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [name]).fetchone()
        return row is not None

    @property
    def blind(self) -> bool:
        """Return True when annotators read only their own layer until a document is reviewed."""
        row = self.raw.execute(
            "SELECT value FROM project WHERE key = %s", [BLIND_SETTING]
        ).fetchone()
        return row is not None and row[0] == "on"

    # ---- changing ------------------------------------------------------------------------

    def set_blind(self, on: bool) -> None:
        """Switch the project blind (annotators see only their own layer) or back; managers only."""
        try:
            self.raw.execute(
                "INSERT INTO project (key, value) VALUES (%s, %s)"
                " ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
                [BLIND_SETTING, "on" if on else "off"],
            )
        except psycopg.errors.InsufficientPrivilege as exc:
            raise refusal(exc, self.raw.info.user, self.location) from exc

    def add(self, name: str, role: str, password: str | None) -> Added:
        """Make ``name`` a member with ``role``; a new login gets ``password``.

        A login the server already has keeps its password (it may be in other projects); a
        member given another role leaves their former group.
        """
        check_name(name, self.location.database)
        if role not in ROLES:
            raise ValidationError(f"no role {role!r}: use {', '.join(ROLES)}")
        self.check_admin("add people")
        previous = self.role_of(name)
        created = not self.login_exists(name)
        if not created:
            self._check_person(name)
        elif not password:
            raise ValidationError(f"{name} is a new login on this server: give a password")
        with self.raw.transaction():
            if created:
                self.raw.execute(
                    sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(
                        sql.Identifier(name), sql.Literal(self._verifier(name, str(password)))
                    )
                )
            self._revoke(name)
            self.raw.execute(
                sql.SQL("GRANT {} TO {}").format(
                    sql.Identifier(self.groups[role]), sql.Identifier(name)
                )
            )
        return Added(name, role, created, previous)

    def remove(self, name: str) -> str:
        """Take ``name`` out of the project; return the role they had. Their login stays."""
        self.check_admin("remove people")
        previous = self.role_of(name)
        if previous is None:
            raise NotFoundError(f"{name} is not a member of this project", path=self.location)
        with self.raw.transaction():
            self._revoke(name)
        return previous

    def _revoke(self, name: str) -> None:
        """Take ``name`` out of every group of the project it is in."""
        held = {m.role for m in self.members()[1:] if m.name == name}
        for role in sorted(held):
            self.raw.execute(
                sql.SQL("REVOKE {} FROM {}").format(
                    sql.Identifier(self.groups[role]), sql.Identifier(name)
                )
            )

    def check_admin(self, what: str) -> None:
        """Refuse a login that may not create roles (``what`` it was to do)."""
        if not can_create_roles(self.db):
            raise ProjectError(
                f"{self.raw.info.user} may not {what}: that needs a login that may create roles"
                f" on this server (CREATEROLE or superuser), such as the project's owner"
                f" {self.owner()}",
                path=self.location,
            )

    def _check_person(self, name: str) -> None:
        row = self.raw.execute(
            "SELECT rolcanlogin FROM pg_roles WHERE rolname = %s", [name]
        ).fetchone()
        if row is not None and not row[0]:
            raise ValidationError(f"{name} is a role without a login on this server, not a person")

    def _verifier(self, name: str, password: str) -> str:
        # As psql's \password: the server stores and sees only the SCRAM verifier.
        verifier = self.raw.pgconn.encrypt_password(
            password.encode(), name.encode(), b"scram-sha-256"
        )
        return verifier.decode("ascii")


def check_name(name: str, database: str) -> None:
    """Refuse a name that cannot be a person's login in the project."""
    if not name or name != name.strip():
        raise ValidationError(
            f"{name!r}: a person's name is not empty and has no spaces at its ends"
        )
    if len(name.encode()) > NAME_BYTES:
        raise ValidationError(f"{name!r} is longer than PostgreSQL's {NAME_BYTES} bytes")
    if name == GOLD_ANNOTATOR:
        raise ValidationError(f"{GOLD_ANNOTATOR!r} is the reviewed layer, not a person")
    if name.startswith("pg_") or SEPARATOR in name or "\x00" in name:
        raise ValidationError(
            f"{name!r}: names starting with pg_ are PostgreSQL's, and {SEPARATOR} marks the"
            " projects' groups"
        )


def login_annotator(db: PgDatabase, wanted: str | None) -> str:
    """Return the project's annotator on a server: the login, or ``wanted`` where it may write.

    Every write is the login's (``current_user``): a member's edits under another name would
    each be refused, so a name other than the login is refused at once. The owner, a superuser
    and a manager may write any layer, and name the one they work in.
    """
    raw = db.conn.raw
    login = str(raw.info.user)
    row = raw.execute("SELECT current_user").fetchone()
    login = str(row[0]) if row else login
    if wanted is None or wanted == login or _may_write_any(db):
        return wanted or login
    raise ProjectError(
        f"--annotator {wanted}: you are connected as {login}, and on a server project each"
        f" person's annotations are saved under their login; leave --annotator out or give"
        f" --annotator {login}",
        path=db.conn.path,
    )


def _may_write_any(db: PgDatabase) -> bool:
    """Return True for the project's owner, a superuser and a member of its managers."""
    managers = group_names(db.conn.path.database)["manager"]
    row = db.conn.raw.execute(
        "SELECT r.rolsuper OR r.rolbypassrls"
        " OR pg_has_role(current_user, c.relowner, 'USAGE')"
        " OR EXISTS (SELECT 1 FROM pg_roles AS g WHERE g.rolname = %s"
        "   AND pg_has_role(current_user, g.oid, 'USAGE'))"
        " FROM pg_roles AS r, pg_class AS c"
        " WHERE r.rolname = current_user AND c.oid = 'project'::regclass",
        [managers],
    ).fetchone()
    return bool(row and row[0])
