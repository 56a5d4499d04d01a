"""CoNLL ``token TAG`` lines (ANERcorp style): BIO tags, a blank line between sentences.

Export: ``-DOCSTART- O`` and a blank line open each document; then one ``token TAG`` line per token
and a blank line after each sentence. A token carries its outermost entity; QUOTE, CUE and CLAIM are
not entities unless asked for by ``--label``.

Import: two or more whitespace-separated fields per line, the first is the token and the last the
tag (so CoNLL-2003's four columns work too). Tags are ``O``, ``B-X`` or ``I-X``. An ``I-X`` that
follows ``O`` or another label starts a new entity, as conlleval reads it: ANERcorp has such tags,
and IOB1 files (``B-`` only between two adjacent entities) read correctly the same way. Anything
else is an error naming the file and line. The text is rebuilt with single spaces between tokens
and a newline between sentences; without blank lines, a sentence ends after . ! ? ؟ …. Documents
are split at ``-DOCSTART-`` lines, else every ``MAX_SENTENCES`` sentences. Entity spans get import
ids (:func:`annotator.store.importing.imported_id`) keyed by their position in the document.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from annotator.errors import InputError
from annotator.io.alignment import bio_tags, report_of, tagged_sentences
from annotator.io.base import AnnotatedDocument, ReadOptions
from annotator.io.txt import decode
from annotator.model.document import DocumentRecord, Span
from annotator.model.tokens import SENTENCE_END
from annotator.store.importing import imported_id

DOCSTART = "-DOCSTART-"
MAX_SENTENCES = 200


def write(items: Iterable[AnnotatedDocument], out: IO[bytes], options: dict[str, Any]) -> None:
    """Write ``token TAG`` lines, a blank line after each sentence."""
    report = report_of(options)
    for item in items:
        # What follows each token on its line: " O\n", " B-PER\n".
        tokens, ends = bio_tags(item, options, report, (" ", "\n"))
        for _, stop in tagged_sentences(tokens, ends, " I-"):
            ends[stop - 1] += "\n"  # the blank line after the sentence
        # One join per document over tokens and line ends side by side: millions of tokens go
        # through here, and no string is made per line.
        pieces = [f"{DOCSTART} O\n\n"] * (2 * len(ends) + 1)
        pieces[1::2] = tokens.texts
        pieces[2::2] = ends
        out.write("".join(pieces).encode())
        report.documents += 1


@dataclass
class _Builder:
    """Collects the tokens and tags of one document while reading."""

    sentences: list[list[tuple[str, str, int]]] = field(default_factory=lambda: [[]])
    first_line: int = 0

    def add(self, token: str, tag: str, line: int) -> None:
        if not self.first_line:
            self.first_line = line
        self.sentences[-1].append((token, tag, line))

    def end_sentence(self) -> None:
        if self.sentences[-1]:
            self.sentences.append([])

    def full(self) -> bool:
        return len(self.sentences) > MAX_SENTENCES and not self.sentences[-1]

    def empty(self) -> bool:
        return not any(self.sentences)


def _parse_line(raw: str, path: Path, line: int) -> tuple[str, str]:
    fields = raw.split()
    if len(fields) < 2:
        got = _shown(raw.strip())
        raise InputError(f"expected 'token TAG', got {got!r}", path=path, line=line)
    token, tag = fields[0], fields[-1]
    if tag != "O" and not (tag[:2] in ("B-", "I-") and len(tag) > 2):
        raise InputError(f"tag {_shown(tag)!r} is not O, B-X or I-X", path=path, line=line)
    return token, tag


def _shown(text: str, limit: int = 40) -> str:
    # A message quotes the bad input, but a one-line megabyte file must not fill the screen.
    return text if len(text) <= limit else text[:limit] + "…"


def _record(builder: _Builder, options: ReadOptions, path: Path, n: int) -> DocumentRecord:
    parts: list[str] = []
    spans: list[Span] = []
    pos = 0
    open_span: list[Any] | None = None  # [start, end, label]
    for s, sentence in enumerate(s for s in builder.sentences if s):
        if s:
            parts.append("\n")
            pos += 1
        for k, (token, tag, _line) in enumerate(sentence):
            if k:
                parts.append(" ")
                pos += 1
            start, pos = pos, pos + len(token)
            parts.append(token)
            if open_span is not None and (
                tag == "O" or tag.startswith("B-") or tag[2:] != open_span[2]
            ):
                spans.append(_span(open_span, len(spans), options))
                open_span = None
            if tag != "O" and open_span is None:
                open_span = [start, pos, tag[2:]]
            elif open_span is not None:
                open_span[1] = pos
    if open_span is not None:
        spans.append(_span(open_span, len(spans), options))
    return DocumentRecord(
        text="".join(parts),
        id=f"{path.stem}-{n:04d}",
        meta={"source": path.name, "source_format": "conll", "tokenization": "whitespace"},
        spans=tuple(spans),
        source=str(path),
        line=builder.first_line,
    )


def _span(raw: list[Any], k: int, options: ReadOptions) -> Span:
    start, end, label = raw
    return Span(
        imported_id("s", options.annotator, None, k), "", start, end, label, options.annotator
    )


def read(path: Path, options: ReadOptions) -> Iterator[DocumentRecord]:
    """Yield documents rebuilt from a CoNLL file, with their entity spans."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", path=path) from None
    # The checks of plain text hold here too: an unknown or non-text codec, a byte order mark
    # of another encoding, UTF-8 read as cp1256 or UTF-16 (see annotator.io.txt.decode).
    text = decode(data, options.encoding, path)
    builder, n = _Builder(), 0
    with io.StringIO(text, newline=None) as fh:  # universal newlines, as open() reads text
        # A first pass decides how sentences end: at blank lines, or else after . ! ? ؟ …
        blank_lines = any(not raw.strip() for _, raw in _lines(fh, path))
        fh.seek(0)
        for line_no, raw in _lines(fh, path):
            stripped = raw.strip()
            if stripped.startswith(DOCSTART) or builder.full():
                if not builder.empty():
                    n += 1
                    yield _record(builder, options, path, n)
                builder = _Builder()
                if stripped.startswith(DOCSTART):
                    continue
            if not stripped:
                builder.end_sentence()
                continue
            token, tag = _parse_line(raw, path, line_no)
            builder.add(token, tag, line_no)
            if not blank_lines and token in SENTENCE_END:
                builder.end_sentence()
    if not builder.empty():
        n += 1
        yield _record(builder, options, path, n)
    if n == 0:
        raise InputError("the file holds no tokens", path=path)


def _lines(fh: IO[str], path: Path) -> Iterator[tuple[int, str]]:
    for line_no, raw in enumerate(fh, start=1):
        yield line_no, raw.lstrip("\ufeff") if line_no == 1 else raw
