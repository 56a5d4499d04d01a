"""Where a PostgreSQL project lives: a ``postgresql://`` URL, shown without its password.

The store names its project by ``project.path`` in every message and keys the window's
preferences by it. A server project's path is a :class:`ServerLocation`: a ``Path`` (so the
code that handles files keeps working: it simply never exists on disk) whose text is the URL
with any password left out. The password itself comes from libpq's usual places (``~/.pgpass``,
``PGPASSWORD``, a prompt in the CLI) and is never stored by the tool.
"""

from __future__ import annotations

from pathlib import PosixPath
from urllib.parse import unquote, urlsplit

from psycopg.conninfo import make_conninfo

from annotator.errors import ProjectError

SCHEMES = ("postgresql://", "postgres://")


def is_server_url(target: object) -> bool:
    """Return True for a ``postgresql://`` (or ``postgres://``) URL."""
    return isinstance(target, str | ServerLocation) and str(target).lower().startswith(SCHEMES)


class ServerLocation(PosixPath):
    """A PostgreSQL project's URL, standing where a project file's path stands."""

    url: str = ""
    password: str = ""  # typed at a prompt: for this process's connections only

    @classmethod
    def of(cls, url: str) -> ServerLocation:
        """Return the location of ``url``; refused when it names no database."""
        parts = urlsplit(url)
        if parts.scheme.lower() not in ("postgresql", "postgres"):
            raise ProjectError(f"not a PostgreSQL URL: {url}")
        database = parts.path.lstrip("/")
        if not database or "/" in database:
            raise ProjectError(
                f"{shown(url)}: name the database after the host, as in postgresql://HOST/DB"
            )
        location = cls(database)
        location.url = url
        return location

    @property
    def conninfo(self) -> str:
        """Return what libpq connects with: the URL, and a password typed at a prompt."""
        if not self.password:
            return self.url
        return make_conninfo(self.url, password=self.password)

    @property
    def database(self) -> str:
        """Return the database's name (a percent-encoded name decoded, as the server has it)."""
        return unquote(urlsplit(self.url).path.lstrip("/"))

    def __str__(self) -> str:
        return shown(self.url)

    def __repr__(self) -> str:
        return f"ServerLocation({shown(self.url)!r})"

    def __fspath__(self) -> str:
        return shown(self.url)


def shown(url: str) -> str:
    """Return ``url`` without its password (what messages and preferences may hold).

    Written out by hand rather than with ``urlunsplit``, which would turn ``postgresql:///db``
    (a server reached through its local socket) into ``postgresql:/db`` and drop an IPv6 host's
    brackets.
    """
    parts = urlsplit(url)
    netloc = parts.netloc
    if "@" in netloc:
        login, host = netloc.rsplit("@", 1)
        netloc = f"{login.split(':', 1)[0]}@{host}"
    query = "&".join(
        pair for pair in parts.query.split("&") if pair and not pair.lower().startswith("password=")
    )
    text = f"{parts.scheme}://{netloc}{parts.path}"
    if query:
        text += f"?{query}"
    if parts.fragment:
        text += f"#{parts.fragment}"
    return text
