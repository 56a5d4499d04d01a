"""Spans on tokens for the token-based formats, and the export report of what did not fit.

A span whose edge falls inside a token is reported, never moved. The one exception to "tokens come
from the tokenizer" is a proclitic (و ف ب ل ك ...) written attached to a word: when a span starts
right after it, the token is split there (see ``annotator.model.tokens.split_proclitics``).

Tokens travel as :class:`annotator.model.tokens.TokenColumns` (parallel lists of texts and
offsets): a CoNLL export of a large project goes through millions of them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import orjson

from annotator.io.base import AnnotatedDocument
from annotator.model.document import Document, Span
from annotator.model.offsets import Alignment, char_span
from annotator.model.schema import Schema, load_default_schema
from annotator.model.tokens import (
    Token,
    TokenColumns,
    split_columns,
    token_columns,
    whitespace_columns,
)

MAX_EXAMPLES = 5


@dataclass
class ExportReport:
    """What an export wrote and what did not fit the format (never silently shifted)."""

    documents: int = 0
    spans: int = 0
    relations: int = 0
    misaligned: int = 0
    examples: list[str] = field(default_factory=list)
    overlapping: int = 0
    split_tokens: int = 0
    files: list[Path] = field(default_factory=list)
    parts: list[tuple[str, int, Path]] = field(default_factory=list)  # split: name, count, file
    # What a writer must tell beyond the counts (doccano: overlapping spans, the project
    # settings a file needs): the places of each, one per thing counted.
    notes: dict[str, list[str]] = field(default_factory=dict)

    def add_misaligned(self, doc: Document, span: Span, tokens: TokenColumns) -> None:
        """Count a span whose edge falls inside a token; keep a few examples to show."""
        self.misaligned += 1
        if len(self.examples) >= MAX_EXAMPLES:
            return
        inside = [
            tok
            for tok, start in zip(tokens.texts, tokens.starts, strict=True)
            if start < span.end and span.start < start + len(tok)
        ]
        self.examples.append(
            f"{doc.id} [{span.start}, {span.end}) {span.label} «{span.text_in(doc.text)}»"
            f" cuts token(s) «{' '.join(inside)}»"
        )

    def note(self, what: str, where: str) -> None:
        """Count one more ``what`` (e.g. "span(s) overlap ...") found at ``where`` (a document)."""
        self.notes.setdefault(what, []).append(where)

    def part_lines(self) -> list[str]:
        """Return one line per part of a split export: its name, document count and file."""
        return [f"{name}: {count} document(s) in {path}" for name, count, path in self.parts]

    def lines(self) -> list[str]:
        """Return the report as lines for a terminal: counts first, then examples."""
        out: list[str] = []
        if self.misaligned:
            out.append(
                f"{self.misaligned} span(s) left out: an edge falls inside a token"
                " (not shifted; fix the span or the tokenization)"
            )
            out.extend(f"  {example}" for example in self.examples)
        if self.overlapping:
            out.append(
                f"{self.overlapping} nested or overlapping span(s) left out of BIO tags"
                " (a token carries its outermost entity)"
            )
        if self.split_tokens:
            out.append(f"{self.split_tokens} token(s) split after an attached proclitic")
        for what, where in self.notes.items():
            places = list(dict.fromkeys(where))  # a document named once however often it counts
            more = f", and {len(places) - 3} more" if len(places) > 3 else ""
            out.append(f"{len(where)} {what}: {', '.join(places[:3])}{more}")
        return out


def report_of(options: dict[str, Any]) -> ExportReport:
    """Return the report to fill from the writer options (a fresh one when none was given)."""
    report = options.get("report")
    if not isinstance(report, ExportReport):
        report = ExportReport()
        options["report"] = report
    return report


def write_record_lines(
    items: Iterable[AnnotatedDocument],
    out: IO[bytes],
    options: dict[str, Any],
    records: Callable[[AnnotatedDocument, dict[str, Any]], list[dict[str, Any]]],
) -> None:
    """Write one JSON line per record that ``records`` makes of each document (quotes, claims)."""
    report = report_of(options)
    for item in items:
        for record in records(item, options):
            out.write(orjson.dumps(record))
            out.write(b"\n")
            report.spans += 1
        report.documents += 1


def whitespace_tokenized(doc: Document) -> bool:
    """Return True for documents rebuilt from pre-tokenized input (CoNLL): keep its tokens."""
    return doc.meta.get("tokenization") == "whitespace"


@dataclass(frozen=True)
class Aligned:
    """A document's tokens and, for each span that fits them, its inclusive token range."""

    text: str
    columns: TokenColumns
    ranges: dict[str, tuple[int, int]]

    @property
    def tokens(self) -> list[Token]:
        """Return the tokens as :class:`Token` objects."""
        return self.columns.tokens(self.text)


def document_columns(doc: Document) -> TokenColumns:
    """Tokenize the document: its own tokens if it came pre-tokenized, else the tokenizer's."""
    return whitespace_columns(doc.text) if whitespace_tokenized(doc) else token_columns(doc.text)


def align(
    item: AnnotatedDocument, spans: list[Span], report: ExportReport | None = None
) -> Aligned:
    """Tokenize the document and map ``spans`` to tokens, reporting those that do not fit."""
    doc = item.document
    columns, split = split_columns(document_columns(doc), [s.start for s in spans])
    ranges: dict[str, tuple[int, int]] = {}
    for span in spans:
        # Strict, as the store: a span whose edge splits a letter from its marks or an emoji
        # (only a project written before that rule holds one) is reported, never moved to fit.
        found = None
        if char_span(doc.text, span.start, span.end, Alignment.STRICT) is not None:
            found = columns.span(span.start, span.end)
        if found is None:
            if report is not None:
                report.add_misaligned(doc, span, columns)
            continue
        ranges[span.id] = found
    if report is not None:
        report.split_tokens += split
    return Aligned(doc.text, columns, ranges)


def schema_of(options: dict[str, Any]) -> Schema:
    """Return the project's schema from the writer options (the default one when none is given)."""
    schema = options.get("schema")
    if not isinstance(schema, Schema):
        # A writer called on its own, without export(): the schema every project starts with.
        schema = load_default_schema()
        options["schema"] = schema
    return schema


def label_kinds(options: dict[str, Any]) -> dict[str, str]:
    """Return the kind (entity, quote, cue, claim) of each label of the schema."""
    kinds: dict[str, str] | None = options.get("label_kinds")
    if kinds is None:
        # Kept in the options: the quote and claim writers ask for every span of every document.
        kinds = {label.id: label.kind for label in schema_of(options).labels}
        options["label_kinds"] = kinds
    return kinds


def bio_labels(options: dict[str, Any]) -> frozenset[str]:
    """Return the labels tagged in BIO formats: ``bio_labels``, else the schema's entities."""
    labels = options.get("bio_labels")
    if labels is None:
        labels = [label for label, kind in label_kinds(options).items() if kind == "entity"]
    return frozenset(labels)


def bio_tags(
    item: AnnotatedDocument,
    options: dict[str, Any],
    report: ExportReport,
    around: tuple[str, str] = ("", ""),
) -> tuple[TokenColumns, list[str]]:
    """Return tokens and one BIO tag per token; a token carries its outermost entity.

    ``around`` is put before and after each tag (CoNLL's ``(" ", "\\n")`` gives whole line ends).
    """
    before, after = around
    allowed = bio_labels(options)
    spans = [s for s in item.spans if s.label in allowed]
    aligned = align(item, spans, report)
    tags = [f"{before}O{after}"] * len(aligned.columns.texts)
    last = -1
    # Longest first among spans starting together: the outer span wins, inner ones are reported.
    for span in sorted(spans, key=lambda s: (s.start, -s.end, s.id)):
        found = aligned.ranges.get(span.id)
        if found is None:
            continue
        first, end = found
        if first <= last:
            report.overlapping += 1
            continue
        tags[first] = f"{before}B-{span.label}{after}"
        if end > first:
            tags[first + 1 : end + 1] = [f"{before}I-{span.label}{after}"] * (end - first)
        last = end
        report.spans += 1
    return aligned.columns, tags


def tagged_sentences(
    tokens: TokenColumns, tags: list[str], inside: str = "I-"
) -> list[tuple[int, int]]:
    """Return the ``[first, stop)`` token range of each sentence, never breaking inside an
    entity (a sentence whose first tag starts with ``inside`` joins the one before)."""
    n = len(tags)
    ranges: list[tuple[int, int]] = []
    first = 0
    for k in tokens.breaks:
        if k + 1 < n and not tags[k + 1].startswith(inside):
            ranges.append((first, k + 1))
            first = k + 1
    if first < n:
        ranges.append((first, n))
    return ranges


def sentence_bounds(doc: Document) -> list[tuple[int, int]]:
    """Return the ``[start, end)`` character range of each sentence of the document."""
    tokens = document_columns(doc)
    texts, starts = tokens.texts, tokens.starts
    bounds: list[tuple[int, int]] = []
    first = 0
    for k in [*tokens.breaks, len(texts) - 1]:
        if k >= first:
            bounds.append((starts[first], starts[k] + len(texts[k])))
            first = k + 1
    return bounds
