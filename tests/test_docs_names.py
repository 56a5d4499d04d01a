"""The files and modules the docs name exist, and so do the documents the code cites.

A name in backticks that looks like a path (``annotator/gui/offsets.py``, ``store/migrations.py``,
``bench/run.py``, ``.ci/run``) must be a file or folder of the repository. It is looked up from the
top of the repository, from ``annotator/``, and from the folders its own section names (the
architecture's "Inside the window (`annotator/gui/`, ...)" section names ``app.py`` alone).
Names are checked against the files git knows, so the answer is the same on a fresh clone.
"""

from __future__ import annotations

import re
import subprocess
from functools import cache
from pathlib import PurePosixPath

import pytest
from fresh_clone import ROOT

DOCS = ["README.md", "docs/architecture.md", "docs/ARABIC_TEXT.md"]
FENCE = re.compile(r"^```.*?^```[ \t]*$", re.S | re.M)
INLINE = re.compile(r"`([^`\n]+)`")
LINK = re.compile(r"\]\(([^)\s]+)\)")
PATHLIKE = re.compile(r"^[\w.-]+(/[\w.-]+)*/?$")
CODE_SUFFIXES = (".py", ".md", ".toml")
# Places the docs name that a fresh clone does not hold, and why.
NOT_IN_A_CLONE = {
    "projects/": "project files are the user's: the examples name files their commands create",
    "out/": "the export examples' output folder, made by the example itself",
    ".venv/": "the virtual environment the quick start makes",
    "bench/data/": "benchmark projects cached by bench/generate.py (git-ignored)",
}
# Files that may cite a document in a comment or docstring; a document is a path under docs/
# or an upper-case name such as the README's (file names in test data are lower-case).
CITING = ["annotator/**/*.py", "tests/**/*.py", "bench/**/*.py", "pyproject.toml", *DOCS]
CITED = re.compile(r"(?<![\w/.-])((?:docs/[\w./-]+|[A-Z][A-Z0-9_]+)\.md)\b")


@cache
def known() -> frozenset[str]:
    """Return every file git knows (committed or not, ignored ones left out) and its folders."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    names = {n for n in listed.split("\0") if n and (ROOT / n).exists()}
    folders = {f"{p}/" for n in names for p in PurePosixPath(n).parents if str(p) != "."}
    return frozenset(names | folders)


def sections(text: str) -> list[str]:
    """Split Markdown text (fenced blocks removed) at its headings."""
    return re.split(r"(?m)^(?=#)", FENCE.sub("", text))


def is_repo_path(name: str) -> bool:
    """Tell whether an inline code name is meant as a path of the repository: a folder, a file
    with a suffix, or a name under a folder of the repository (``.ci/run``, not ``n/a``)."""
    if not PATHLIKE.match(name) or name.startswith(tuple(NOT_IN_A_CLONE)):
        return False
    if name.endswith((*CODE_SUFFIXES, "/")):
        return True
    top = name.split("/")[0]
    return "/" in name and (f"{top}/" in known() or f"annotator/{top}/" in known())


def exists(name: str, bases: list[str]) -> bool:
    """Tell whether ``name`` is a known file or folder under one of ``bases`` ("" is the top)."""
    bare = name.rstrip("/")
    return any(f"{base}{bare}" in known() or f"{base}{bare}/" in known() for base in bases)


def missing_names(doc: str) -> list[str]:
    """Return the path-like inline code names of ``doc`` that the repository does not have."""
    missing = []
    for section in sections((ROOT / doc).read_text(encoding="utf-8")):
        names = [n for n in INLINE.findall(section) if is_repo_path(n)]
        bases = ["", "annotator/"]
        bases += [f"{b}{n}" for n in names if n.endswith("/") for b in ("", "annotator/")]
        missing += [n for n in names if not exists(n, bases)]
    return missing


@pytest.mark.parametrize("doc", DOCS)
def test_named_files_and_modules_exist(doc: str) -> None:
    """Every file, module or folder named in backticks is in the repository."""
    assert missing_names(doc) == []


@pytest.mark.parametrize("doc", DOCS)
def test_links_and_images_exist(doc: str) -> None:
    """Every relative link or image of the document points to a file of the repository."""
    folder = PurePosixPath(doc).parent
    targets = [t.split("#")[0] for t in LINK.findall((ROOT / doc).read_text(encoding="utf-8"))]
    local = [t for t in targets if t and "://" not in t and not t.startswith("mailto:")]
    if doc == "README.md":
        assert local, "the README links its screenshots and docs: is the pattern still right?"
    missing = [t for t in local if str(PurePosixPath(folder, t)).removeprefix("./") not in known()]
    assert missing == []


def test_the_scan_finds_what_it_checks() -> None:
    """The scan sees module names in both documents, so an empty result means something."""
    readme = [n for s in sections((ROOT / "README.md").read_text()) for n in INLINE.findall(s)]
    assert "annotator/errors.py" in readme and is_repo_path("annotator/errors.py")
    assert not is_repo_path("out/ner.jsonl") and not is_repo_path("NAME.sqlite.vN.bak")
    assert exists("app.py", ["", "annotator/gui/"]) and not exists("app.py", ["", "annotator/"])


def cited_documents() -> list[tuple[str, str]]:
    """Return (citing file, cited name) for every ``*.md`` named in the sources and docs."""
    found = []
    for pattern in CITING:
        for path in sorted(ROOT.glob(pattern)):
            relative = path.relative_to(ROOT).as_posix()
            if relative not in known():
                continue
            text = path.read_text(encoding="utf-8")
            found += [(relative, name) for name in CITED.findall(text)]
    return found


def test_cited_documents_are_in_the_repository() -> None:
    """A cited document (a path, or a bare name found anywhere) is a file of the repository."""
    documents = {n for n in known() if n.endswith(".md")}
    by_name = {PurePosixPath(n).name for n in documents}
    cited = cited_documents()
    # The scan sees citations in code, e.g. "ARABIC_TEXT.md section 6" (as a bare name or a path).
    assert any(s.endswith(".py") and n.endswith("ARABIC_TEXT.md") for s, n in cited)
    unresolved = [
        (source, name)
        for source, name in cited
        if name not in documents and not ("/" not in name and name in by_name)
    ]
    assert unresolved == []


def test_pyproject_comments_cite_an_explanation_that_is_there() -> None:
    """A dependency whose comment names a document is explained there, by package name."""
    checked = 0
    comment = ""
    for line in (ROOT / "pyproject.toml").read_text(encoding="utf-8").splitlines():
        if line.lstrip().startswith("#"):
            comment += line
            continue
        cited = re.search(r"\((docs/[\w.-]+\.md)", comment)
        package = re.match(r'\s*"([\w.-]+)', line)
        if cited and package:
            text = (ROOT / cited.group(1)).read_text(encoding="utf-8")
            assert package.group(1) in text, f"{cited.group(1)} does not explain {package[1]}"
            checked += 1
        comment = ""
    assert checked >= 1  # the PySide6 pin
