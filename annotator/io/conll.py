"""CoNLL ``token TAG`` lines (ANERcorp, CoNLL-2003, Wojood's nested layout), read and written.

Export: ``-DOCSTART- O`` and a blank line open each document (not one read from a file without
them, ``meta["docstart"] = False``, so ANERcorp and Wojood files are written back as they came);
then one ``token TAG`` line per token and a blank line after each sentence. A token carries its
outermost entity; QUOTE, CUE and CLAIM are not entities unless asked for by ``--label``. With
``nested`` (``--nested``), a token carries one tag per nesting level, outermost first
(``طولكرم I-OCC I-ORG B-GPE``), as Wojood writes them; see
:func:`annotator.io.alignment.nested_tags`. ``bio_tokens`` says how a span after an attached
proclitic is tagged (:mod:`annotator.io.alignment`).

Import: whitespace-separated fields, the first the token. When every other field of the line is
a tag (``O``, ``B-X``, ``I-X``), each is a nesting level, outermost first (Wojood, and this
module's nested export); otherwise the last field is the tag and the others are left alone
(CoNLL-2003's ``token POS CHUNK TAG``). An ``I-X`` that does not continue an ``X`` of its level
starts a new entity, as conlleval reads it: ANERcorp has such tags, and IOB1 files (``B-`` only
between two adjacent entities) read correctly the same way; an entity ends with its sentence.
Each label goes through ``options.label`` (``--label-map``) and must be one of ``options.labels``
when given: an unknown one is an error naming the line of its tag. Anything else is an error
naming the file and line.

The text is rebuilt from the tokens: single spaces between tokens and a newline between sentences,
so it is exactly the tokens joined as an export writes them, and the document is marked as
holding its file's tokens (``meta["tokenization"] = "whitespace"``): splitting the text at
whitespace gives those tokens back unchanged, and every token export uses them. Sentences end at
blank lines, or, in a file without blank lines, after . ! ? ؟ …. Documents are split at
``-DOCSTART-`` lines, or every ``MAX_SENTENCES`` sentences in a file that has none. Entity spans
get import ids (:func:`annotator.store.importing.imported_id`) keyed by their position in the
document (by start, longest first, then level).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from annotator.errors import InputError
from annotator.io.alignment import bio_tags, nested_tags, report_of, tagged_sentences
from annotator.io.base import AnnotatedDocument, ReadOptions
from annotator.io.labels import unknown_label
from annotator.io.txt import decode
from annotator.model.document import DocumentRecord, Span
from annotator.model.tokens import SENTENCE_END
from annotator.store.importing import imported_id

DOCSTART = "-DOCSTART-"
MAX_SENTENCES = 200


def write(items: Iterable[AnnotatedDocument], out: IO[bytes], options: dict[str, Any]) -> None:
    """Write ``token TAG`` lines (one tag per nesting level with ``nested``), a blank line
    after each sentence."""
    report = report_of(options)
    nested = bool(options.get("nested"))
    tag = nested_tags if nested else bio_tags
    docstart = ""
    for item in items:
        # What follows each token on its line: " O\n", " B-PER\n", " I-ORG B-GPE\n".
        tokens, ends = tag(item, options, report, (" ", "\n"))
        for _, stop in tagged_sentences(tokens, ends, " I-", anywhere=nested):
            ends[stop - 1] += "\n"  # the blank line after the sentence
        # A document read from a file without -DOCSTART- lines (ANERcorp, Wojood) is written
        # without one, as its file was, until a document that had one is written.
        if docstart or item.document.meta.get("docstart") is not False:
            docstart = f"{DOCSTART} O\n\n"
        # One join per document over tokens and line ends side by side: millions of tokens go
        # through here, and no string is made per line.
        pieces = [docstart] * (2 * len(ends) + 1)
        pieces[1::2] = tokens.texts
        pieces[2::2] = ends
        out.write("".join(pieces).encode())
        report.documents += 1


# One token as read: its text, its tags (one per nesting level) and its line in the file.
_Token = tuple[str, tuple[str, ...], int]


@dataclass
class _Builder:
    """Collects the tokens and tags of one document while reading."""

    sentences: list[list[_Token]] = field(default_factory=lambda: [[]])
    first_line: int = 0

    def add(self, token: str, tags: tuple[str, ...], line: int) -> None:
        if not self.first_line:
            self.first_line = line
        self.sentences[-1].append((token, tags, line))

    def end_sentence(self) -> None:
        if self.sentences[-1]:
            self.sentences.append([])

    def full(self) -> bool:
        return len(self.sentences) > MAX_SENTENCES and not self.sentences[-1]

    def empty(self) -> bool:
        return not any(self.sentences)


def _is_tag(field_: str) -> bool:
    return field_ == "O" or (field_[:2] in ("B-", "I-") and len(field_) > 2)


class _Tags:
    """Reads the tags of a line: checks their shape, renames and checks their labels."""

    def __init__(self, options: ReadOptions, path: Path) -> None:
        self.options = options
        self.path = path
        self.seen: dict[str, str] = {"O": "O"}  # a tag as written -> as the project names it

    def line(self, raw: str, line: int) -> tuple[str, tuple[str, ...]]:
        """Return the token of a line and its tags, outermost first."""
        fields = raw.split()
        if len(fields) < 2:
            got = _shown(raw.strip())
            raise InputError(f"expected 'token TAG', got {got!r}", path=self.path, line=line)
        rest = fields[1:]
        tags = rest if all(map(_is_tag, rest)) else rest[-1:]
        return fields[0], tuple(self.seen.get(t) or self._first(t, line) for t in tags)

    def _first(self, tag: str, line: int) -> str:
        """Check a tag met for the first time; remember it under the project's label."""
        if not _is_tag(tag):
            raise InputError(f"tag {_shown(tag)!r} is not O, B-X or I-X", path=self.path, line=line)
        written = tag[2:]
        label = self.options.label(written)
        known = self.options.labels
        if known and label not in known:
            schema = self.options.schema
            names = schema.label_ids if schema is not None else sorted(known)
            raise InputError(
                unknown_label(label, written, names),
                path=self.path,
                line=line,
            )
        self.seen[tag] = found = f"{tag[:2]}{label}"
        return found


def _shown(text: str, limit: int = 40) -> str:
    # A message quotes the bad input, but a one-line megabyte file must not fill the screen.
    return text if len(text) <= limit else text[:limit] + "…"


def _record(
    builder: _Builder, options: ReadOptions, path: Path, n: int, docstarts: bool
) -> DocumentRecord:
    parts: list[str] = []
    found: list[tuple[int, int, int, str]] = []  # start, end, level, label
    opened: list[list[Any] | None] = []  # per level: [start, end, label] of the open entity
    pos = 0
    for s, sentence in enumerate(s for s in builder.sentences if s):
        if s:
            parts.append("\n")
            pos += 1
            # An entity ends with its sentence, as conlleval reads it: none crosses a line.
            found += [(c[0], c[1], level, c[2]) for level, c in enumerate(opened) if c]
            opened = []
        for k, (token, tags, _line) in enumerate(sentence):
            if k:
                parts.append(" ")
                pos += 1
            start, pos = pos, pos + len(token)
            parts.append(token)
            opened += [None] * (len(tags) - len(opened))
            for level, current in enumerate(opened):
                tag = tags[level] if level < len(tags) else "O"
                if current is not None and (tag[0] != "I" or tag[2:] != current[2]):
                    found.append((current[0], current[1], level, current[2]))
                    current = opened[level] = None
                if current is not None:
                    current[1] = pos
                elif tag != "O":
                    opened[level] = [start, pos, tag[2:]]
    found += [(c[0], c[1], level, c[2]) for level, c in enumerate(opened) if c]
    found.sort(key=lambda f: (f[0], -f[1], f[2]))
    spans = tuple(
        Span(imported_id("s", options.annotator, None, k), "", a, b, label, options.annotator)
        for k, (a, b, _level, label) in enumerate(found)
    )
    return DocumentRecord(
        text="".join(parts),
        id=f"{path.stem}-{n:04d}",
        meta={
            "source": path.name,
            "source_format": "conll",
            "tokenization": "whitespace",
            **({} if docstarts else {"docstart": False}),
        },
        spans=spans,
        source=str(path),
        line=builder.first_line,
    )


def read(path: Path, options: ReadOptions) -> Iterator[DocumentRecord]:
    """Yield documents rebuilt from a CoNLL file, with their entity spans (nested ones too)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", path=path) from None
    # The checks of plain text hold here too: an unknown or non-text codec, a byte order mark
    # of another encoding, UTF-8 read as cp1256 or UTF-16 (see annotator.io.txt.decode).
    text = decode(data, options.encoding, path)
    builder, n, tags = _Builder(), 0, _Tags(options, path)
    with io.StringIO(text, newline=None) as fh:  # universal newlines, as open() reads text
        # A first pass decides how sentences end (at blank lines, or else after . ! ? ؟ …) and
        # documents (at -DOCSTART- lines, or else every MAX_SENTENCES sentences).
        blank_lines = docstarts = False
        for _, raw in _lines(fh):
            stripped = raw.strip()
            blank_lines = blank_lines or not stripped
            docstarts = docstarts or stripped.startswith(DOCSTART)
        fh.seek(0)
        for line_no, raw in _lines(fh):
            stripped = raw.strip()
            if stripped.startswith(DOCSTART) or (not docstarts and builder.full()):
                if not builder.empty():
                    n += 1
                    yield _record(builder, options, path, n, docstarts)
                builder = _Builder()
                if stripped.startswith(DOCSTART):
                    continue
            if not stripped:
                builder.end_sentence()
                continue
            token, token_tags = tags.line(raw, line_no)
            builder.add(token, token_tags, line_no)
            if not blank_lines and token in SENTENCE_END:
                builder.end_sentence()
    if not builder.empty():
        n += 1
        yield _record(builder, options, path, n, docstarts)
    if n == 0:
        raise InputError("the file holds no tokens", path=path)


def _lines(fh: IO[str]) -> Iterator[tuple[int, str]]:
    for line_no, raw in enumerate(fh, start=1):
        yield line_no, raw.lstrip("\ufeff") if line_no == 1 else raw
