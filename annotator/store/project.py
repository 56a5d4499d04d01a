"""The project: one SQLite file holding the schema, documents, spans and relations.

Every edit method is its own committed transaction, checked before anything is written: when it
returns, the edit is on disk; when it raises, nothing changed.

Example::

    from annotator.store import Project

    with Project.open("projects/news.sqlite", annotator="mona") as project:
        doc = project.add_document("قال الرئيس إن ...")
        quote = project.add_span(doc.id, 12, 40, "QUOTE", attrs={"type": "indirect"})
"""

from __future__ import annotations

import getpass
import os
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager, suppress
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from annotator.errors import (
    DuplicateError,
    InputError,
    NotFoundError,
    ProjectBusyError,
    ProjectError,
    StorageError,
    StoredValueError,
    ValidationError,
)
from annotator.model.document import DOCUMENT_STATUSES, Document, DocumentRecord
from annotator.model.schema import (
    Schema,
    load_default_schema,
    load_schema,
    parse_schema,
    with_new_labels,
)
from annotator.store import importing, values
from annotator.store.annotations import TOUCH_STATUS, AnnotationsMixin, now
from annotator.store.assignments import AssignmentsMixin
from annotator.store.bulk import BulkSpansMixin
from annotator.store.connection import (
    READ_ONLY_HINT,
    connect,
    needs_upgrade,
    prepare_schema,
    upgraded_snapshot,
)
from annotator.store.documents import DocumentRow, DocumentsMixin
from annotator.store.failures import DAMAGED_HINT
from annotator.store.importing import CancelCheck, ImportReport, Progress
from annotator.store.journals import stamp_commit
from annotator.store.pg import roles
from annotator.store.pg import schema as pg_schema
from annotator.store.pg.connection import PgDatabase, as_database, is_server
from annotator.store.pg.connection import connect as pg_connect
from annotator.store.pg.location import ServerLocation, is_server_url
from annotator.store.pg.team import login_annotator
from annotator.store.reading import snapshot
from annotator.store.search import SearchMixin
from annotator.store.suggestion_decisions import SuggestionDecisionsMixin

__all__ = [
    "CancelCheck",
    "DatabaseError",
    "DocumentRow",
    "ImportReport",
    "Progress",
    "Project",
    "default_annotator",
]

# Files up to this size are checked whole before a batch is written to them (check_intact);
# larger ones in the tables a batch writes.
FULL_CHECK_BYTES = 256 * 2**20
BATCH_TABLES = ("documents", "spans", "relations")

# What SQLite raises for a failure the store has not turned into a ProjectError: the CLI's last
# net, so code outside the store never imports sqlite3 to name it.
DatabaseError = sqlite3.Error


def default_annotator() -> str:
    """Return the annotator name: $ANNOTATOR_NAME, else the operating-system user."""
    name = os.environ.get("ANNOTATOR_NAME", "").strip()
    if name:
        return name
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "annotator"


def _stored_schema(source: str, path: Path) -> Schema:
    try:
        return parse_schema(source, f"{path} (schema)", stored=True)
    except InputError as exc:
        raise StoredValueError(
            f"the label schema stored in the project is not valid: {exc.message}",
            table="project",
            row="schema",
            path=path,
        ) from exc


class Project(
    DocumentsMixin,
    AnnotationsMixin,
    BulkSpansMixin,
    SearchMixin,
    SuggestionDecisionsMixin,
    AssignmentsMixin,
):
    """An open project file. Use :meth:`open` or :meth:`create`; close it or use ``with``."""

    def __init__(self, db: Database, path: Path, *, read_only: bool, annotator: str) -> None:
        self.db = db
        self.path = path
        self._snapshot: Path | None = None  # an upgraded temporary copy of an older file
        self.read_only = read_only
        # Opened with immutable=1 from read-only media (a folder that cannot take NAME-shm):
        # read as it is, with no locks, so a change made elsewhere meanwhile is not seen.
        self.immutable = bool(getattr(db.conn, "immutable", False))
        self.annotator = annotator
        self._touch_after_commit: set[str] = set()
        source = self._setting("schema")
        if source is None:
            raise ProjectError("the project has no label schema", path=path)
        self.schema: Schema = _stored_schema(source, path)

    # ---- opening -------------------------------------------------------------------------

    @classmethod
    def create(
        cls,
        path: str | Path,
        *,
        schema: str | Path | None = None,
        annotator: str | None = None,
        name: str | None = None,
    ) -> Project:
        """Create a new project file with the default schema or the schema TOML at ``schema``.

        ``path`` may be a ``postgresql://HOST/DB`` URL: the project is made in that (empty)
        database (:mod:`annotator.store.pg`).
        """
        if is_server_url(path):
            return cls._create_on_server(_url(path), schema=schema, annotator=annotator, name=name)
        path = Path(path)
        if path.is_dir():
            raise ProjectError("is a folder; give a file name such as news.sqlite", path=path)
        if path.exists():
            raise ProjectError("a file already exists there", path=path)
        loaded = load_schema(schema) if schema else load_default_schema()
        db = connect(path, read_only=False, create=True)
        try:
            prepare_schema(db, path, read_only=False)
            _write_settings(db, loaded, name or path.stem)
        except BaseException:
            db.close()
            path.unlink(missing_ok=True)
            raise
        return cls(db, path, read_only=False, annotator=annotator or default_annotator())

    @classmethod
    def open(
        cls,
        path: str | Path,
        *,
        read_only: bool = False,
        annotator: str | None = None,
    ) -> Project:
        """Open an existing project; ``read_only`` opens it with ``mode=ro`` (for merging).

        ``path`` may be a ``postgresql://HOST/DB`` URL of a project made by :meth:`create`.
        """
        if is_server_url(path):
            return cls._open_on_server(_url(path), read_only=read_only, annotator=annotator)
        path = Path(path)
        db = connect(path, read_only=read_only, create=False)
        snapshot: Path | None = None
        try:
            if read_only and needs_upgrade(db):
                db, snapshot = upgraded_snapshot(db, path)
            else:
                prepare_schema(db, path, read_only=read_only)
            if "project" not in db.table_names():
                raise ProjectError("not an annotator project", path=path)
            project = cls(db, path, read_only=read_only, annotator=annotator or default_annotator())
            project._refresh_search_index()
        except BaseException:
            db.close()
            if snapshot is not None:
                snapshot.unlink(missing_ok=True)
            raise
        project._snapshot = snapshot
        return project

    @classmethod
    def _create_on_server(
        cls, url: str, *, schema: str | Path | None, annotator: str | None, name: str | None
    ) -> Project:
        location = ServerLocation.of(url)
        loaded = load_schema(schema) if schema else load_default_schema()
        db = pg_connect(location, read_only=False)
        try:
            if pg_schema.applied(db):
                raise ProjectError("a project already exists in that database", path=location)
            roles.check_can_create_roles(db)  # before anything is made
            pg_schema.prepare(db, read_only=False, create=True)
            roles.setup(db)
            _write_settings(db, loaded, name or location.database)
            who = login_annotator(db, annotator)
        except BaseException:
            db.close()
            raise
        return cls(as_database(db), location, read_only=False, annotator=who)

    @classmethod
    def _open_on_server(cls, url: str, *, read_only: bool, annotator: str | None) -> Project:
        location = ServerLocation.of(url)
        db = pg_connect(location, read_only=read_only)
        try:
            pg_schema.prepare(db, read_only=read_only, create=False)
            who = login_annotator(db, annotator)
            return cls(as_database(db), location, read_only=read_only, annotator=who)
        except BaseException:
            db.close()
            raise

    @property
    def on_server(self) -> bool:
        """Return True for a project in a PostgreSQL database, False for a project file."""
        return is_server(self.db)

    def close(self) -> None:
        """Close the project file."""
        self.db.close()
        if self._snapshot is not None:
            self._snapshot.unlink(missing_ok=True)

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def name(self) -> str:
        """Return the project's display name."""
        return self._setting("name") or self.path.stem

    def _setting(self, key: str) -> str | None:
        with values.decoding(self.path, "project"):
            row = self.db.execute("SELECT value FROM project WHERE key = ?", [key]).fetchone()
        if row is None:
            return None
        return values.text(self.path, "project", f"setting {key!r}", "value", row[0])

    @contextmanager
    def write(self) -> Iterator[Database]:
        """Run a block as one committed transaction (BEGIN IMMEDIATE): all of it or none."""
        if self.read_only:
            raise ProjectError("the project is open read-only", path=self.path)
        outermost = not self.db.conn.in_transaction
        try:
            try:
                with _transaction(self.db):
                    yield self.db
            except BaseException:
                if outermost:
                    self._touch_after_commit.clear()  # rolled back: no span was added
                raise
            if outermost:
                self._touch_statuses()
        except StorageError as exc:
            # Said once, of this file: a source read inside the block names its own file.
            if not outermost or exc.path != str(self.path):
                raise
            raise StorageError(f"the edit was not saved: {exc.message}", path=self.path) from exc
        except sqlite3.OperationalError as exc:
            text = str(exc)
            if "locked" in text or "busy" in text:
                raise ProjectBusyError(
                    "the project is busy: another window or command is writing to it;"
                    " the edit was not saved, try again",
                    path=self.path,
                ) from exc
            if "readonly" in text:
                raise ProjectError(
                    f"the edit was not saved: the project file is read-only; {READ_ONLY_HINT}",
                    path=self.path,
                ) from exc
            if "disk" in text or "I/O" in text:
                raise ProjectError(f"the edit was not saved: {text}", path=self.path) from exc
            raise

    def _touch_statuses(self) -> None:
        """Mark the documents a server write added spans to as in progress, each on its own."""
        while self._touch_after_commit:
            doc_id = self._touch_after_commit.pop()
            # Another annotator marking it at the same moment is the same outcome.
            with suppress(sqlite3.OperationalError):
                self.db.execute(TOUCH_STATUS, [doc_id])

    def snapshot(self) -> AbstractContextManager[None]:
        """Read the block from one state of the file (one read transaction), e.g. a whole export.

        Another program's transaction committed meanwhile is either all in what the block
        reads or not at all. See :mod:`annotator.store.reading`.
        """
        return snapshot(self.db, self.path)

    def check_intact(self) -> None:
        """Raise StorageError when the pages an import or a merge writes to are damaged.

        A damaged page elsewhere would let the batch in and fail the next export: the whole
        file is checked when it is small (``PRAGMA quick_check``, about 0.5 s at 300 MB), the
        tables a batch writes, with their indexes, when it is larger. A server keeps its own
        pages: nothing to check here.
        """
        if self.on_server:
            return
        pages = self.db.execute("PRAGMA page_count").fetchone()[0]
        size = pages * self.db.execute("PRAGMA page_size").fetchone()[0]
        if size <= FULL_CHECK_BYTES:
            pragmas = ["quick_check"]
        else:
            pragmas = [f"quick_check({table})" for table in BATCH_TABLES]
        for pragma in pragmas:
            try:
                found = self.db.execute(f"PRAGMA {pragma}").fetchall()
            except StorageError as exc:  # damage the check itself could not read past
                found = [(str(exc.__cause__ or exc.message),)]
            if found != [("ok",)]:
                raise StorageError(
                    f"the project file is damaged ({found[0][0]}); nothing was written to it:"
                    f" {DAMAGED_HINT}",
                    path=self.path,
                )

    def data_version(self) -> int | None:
        """Return a number that changes when another connection commits to the file.

        Returns None once the project is closed (a window's timer may still ask). On a
        server, it counts the changes other clients committed (their NOTIFY, see
        :mod:`annotator.store.pg.changes`).
        """
        if isinstance(self.db, PgDatabase):
            return self.db.changes()
        try:
            return int(self.db.execute("PRAGMA data_version").fetchone()[0])
        except sqlite3.ProgrammingError:  # "Cannot operate on a closed database."
            return None

    def checkpoint(self) -> None:
        """Fold the write-ahead log into the project file, so the file alone holds everything."""
        if not self.on_server:
            self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    # ---- documents -----------------------------------------------------------------------

    def add_document(
        self,
        text: str,
        *,
        title: str | None = None,
        doc_id: str | None = None,
        meta: Mapping[str, Any] | None = None,
    ) -> Document:
        """Add one document whose ``text`` is already in stored form; raise if it exists."""
        report = self.import_documents(
            [DocumentRecord(text=text, id=doc_id, title=title, meta=dict(meta or {}))]
        )
        if report.duplicates:
            raise DuplicateError(f"this text is already document {report.duplicates[0][1]}")
        return self.document(report.added[0])

    def import_documents(
        self,
        records: Iterable[DocumentRecord],
        *,
        progress: Progress | None = None,
        merge_annotations: bool = False,
        cancelled: CancelCheck | None = None,
        update: bool = False,
        refuse_changes: bool = False,
        remove_missing: bool = False,
        carried_labels: frozenset[str] | None = None,
    ) -> ImportReport:
        """Add documents with their annotations in one transaction: the whole batch or none.

        A text already in the project (same content hash) is reported, not added twice; with
        ``merge_annotations`` its new spans and relations are added to the existing document
        (importing the same work twice adds nothing). An annotation the file changed is
        reported; it is applied to its own layer with ``update``, and refuses the import with
        ``refuse_changes``. With ``remove_missing`` the file's layers lose what the file lacks.
        ``cancelled`` is asked before every record and before the commit; when it returns
        True, Cancelled is raised and nothing is imported. See :mod:`annotator.store.importing`.
        """
        self.check_intact()
        return importing.import_documents(
            self,
            records,
            progress=progress,
            merge_annotations=merge_annotations,
            cancelled=cancelled,
            update=update,
            refuse_changes=refuse_changes,
            remove_missing=remove_missing,
            carried_labels=carried_labels,
        )

    def reload_schema(self) -> bool:
        """Read the stored schema again (another program may have added labels); True if new."""
        source = self._setting("schema")
        if source is None or source == self.schema.source:
            return False
        self.schema = _stored_schema(source, self.path)
        return True

    def add_labels(self, ids: Iterable[str]) -> list[str]:
        """Add an entity label to the stored schema for each of ``ids`` it lacks; return them.

        Inside an import's transaction the labels go with the import: a failed import keeps
        none of them (the caller restores :attr:`schema` then; see ``import_paths``).
        """
        new = [i for i in dict.fromkeys(ids) if not self.schema.has_label(i)]
        if not new:
            return []
        source = with_new_labels(self.schema, new)
        schema = parse_schema(source, f"{self.path} (schema)", stored=True)
        with self.write():
            self.db.execute("UPDATE project SET value = ? WHERE key = 'schema'", [source])
        self.schema = schema
        return new

    def set_document_status(self, doc_id: str, status: str) -> None:
        """Set a document's status: not_started, in_progress or done."""
        if status not in DOCUMENT_STATUSES:
            raise ValidationError(f"status must be one of {', '.join(DOCUMENT_STATUSES)}")
        self._update_document(doc_id, status=status)

    def set_document_title(self, doc_id: str, title: str) -> None:
        """Override a document's title."""
        self._update_document(doc_id, title=title.strip())

    def _update_document(self, doc_id: str, **values: str) -> None:
        values = {**values, "updated": now()}
        assignments = ", ".join(f"{name} = ?" for name in values)
        with self.write():
            changed = self.db.execute(
                f"UPDATE documents SET {assignments} WHERE id = ?", [*values.values(), doc_id]
            ).rowcount
            if changed != 1:
                raise NotFoundError(f"no document {doc_id!r} in the project", path=self.path)


@contextmanager
def _transaction(db: Database) -> Iterator[None]:
    # BEGIN IMMEDIATE takes the write lock up front, so busy_timeout applies and two
    # processes never deadlock upgrading read locks.
    if db.conn.in_transaction:
        with db.atomic():
            yield
        return
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield
        # Every commit marks the file, so that a -wal can be told from another database's.
        if not is_server(db):
            stamp_commit(db.conn)
    except BaseException:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise
    db.conn.execute("COMMIT")


def _write_settings(db: Database | PgDatabase, schema: Schema, name: str) -> None:
    """Write a new project's settings: its schema, name and time of creation."""
    with _transaction(as_database(db)):
        db.conn.executemany(
            "INSERT INTO project (key, value) VALUES (?, ?)",
            [("schema", schema.source), ("name", name), ("created", now())],
        )


def _url(target: str | Path) -> str:
    """Return a server project's URL, its password included when the URL held one."""
    return target.url if isinstance(target, ServerLocation) else str(target)
