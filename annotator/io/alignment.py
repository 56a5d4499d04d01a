"""Spans on tokens for the token-based formats, and the export report of what did not fit.

A document has one tokenization, whatever the export selects: the tokenizer's tokens
(:mod:`annotator.model.tokens`), or, for a document read from a token file (CoNLL), that file's
tokens unchanged. A proclitic (و ف ب ل ك ...) written attached to a word is split off the
tokenizer's token where a span of the document starts right after it, a span of any layer and
label (``AnnotatedDocument.span_starts``), so conll, hf and spacy give the same tokens whichever
``--label`` or ``--annotator`` they export. BIO formats can instead tag whole tokens with their
proclitics (``bio_tokens="whole"``, the convention of ANERcorp and Wojood). Any other span edge
inside a token is reported, never moved.

Tokens travel as :class:`annotator.model.tokens.TokenColumns` (parallel lists of texts and
offsets): a CoNLL export of a large project goes through millions of them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import orjson

from annotator.errors import InputError
from annotator.io.base import AnnotatedDocument
from annotator.model.document import Document, Span
from annotator.model.offsets import is_aligned
from annotator.model.schema import Schema, load_default_schema
from annotator.model.tokens import (
    Token,
    TokenColumns,
    proclitic_start,
    split_columns,
    token_columns,
    whitespace_columns,
)

MAX_EXAMPLES = 5
BIO_TOKENS = ("split", "whole")  # how BIO formats tag a span after an attached proclitic


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
    whole_tokens: int = 0
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
        if self.whole_tokens:
            out.append(
                f"{self.whole_tokens} span(s) tagged on whole tokens, with their attached proclitic"
            )
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


def span_starts(item: AnnotatedDocument) -> Iterable[int]:
    """Return where the document's spans start: of every layer and label when the export read
    them (``span_starts``), else of the spans the item carries (a writer called on its own)."""
    if item.span_starts is not None:
        return item.span_starts
    return [s.start for s in item.spans]


def document_tokens(item: AnnotatedDocument, whole: bool = False) -> tuple[TokenColumns, int]:
    """Return the document's tokens and how many were split after a proclitic.

    A token file's tokens are kept as they are; the tokenizer's are split where any span of the
    document starts right after an attached proclitic, unless ``whole`` keeps them whole.
    """
    doc = item.document
    columns = document_columns(doc)
    if whole or whitespace_tokenized(doc):
        return columns, 0
    return split_columns(columns, span_starts(item))


def align(
    item: AnnotatedDocument,
    spans: list[Span],
    report: ExportReport | None = None,
    *,
    whole: bool = False,
) -> Aligned:
    """Tokenize the document and map ``spans`` to tokens, reporting those that do not fit.

    With ``whole``, a span that starts after an attached proclitic covers its whole token.
    """
    doc = item.document
    columns, split = document_tokens(item, whole)
    ranges: dict[str, tuple[int, int]] = {}
    moved = 0
    for span in spans:
        # Strict, as the store: a span whose edge splits a letter from its marks or an emoji
        # (only a project written before that rule holds one) is reported, never moved to fit.
        found = None
        if is_aligned(doc.text, span.start, span.end):  # in the text: check_spans_fit saw to it
            start = proclitic_start(columns, span.start) if whole else span.start
            found = columns.span(start, span.end)
            moved += found is not None and start != span.start
        if found is None:
            if report is not None:
                report.add_misaligned(doc, span, columns)
            continue
        ranges[span.id] = found
    if report is not None:
        report.split_tokens += split
        report.whole_tokens += moved
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


def whole_tokens(options: dict[str, Any]) -> bool:
    """Return True when ``bio_tokens`` asks BIO tags on whole tokens, proclitics included."""
    value = options.get("bio_tokens") or "split"
    if value not in BIO_TOKENS:
        raise InputError(f"bio_tokens must be one of {', '.join(BIO_TOKENS)}, not {value!r}")
    return bool(value == "whole")


def token_options(fmt: str, bio: bool, nested: bool, bio_tokens: str) -> dict[str, Any]:
    """Return the writer options of ``export --nested --bio-tokens``, checked for the format
    ``fmt`` (``bio``: it writes BIO tags)."""
    if nested and fmt != "conll":
        raise InputError(f"--nested writes one CoNLL tag column per nesting level: not for {fmt}")
    if bio_tokens not in BIO_TOKENS:
        raise InputError(f"--bio-tokens must be one of {', '.join(BIO_TOKENS)}, not {bio_tokens!r}")
    if bio_tokens != "split" and not bio:
        raise InputError(f"--bio-tokens {bio_tokens} is for the BIO formats (conll, hf), not {fmt}")
    return {"nested": nested, "bio_tokens": bio_tokens}


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
    aligned = align(item, spans, report, whole=whole_tokens(options))
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


def nested_tags(
    item: AnnotatedDocument,
    options: dict[str, Any],
    report: ExportReport,
    around: tuple[str, str] = ("", ""),
) -> tuple[TokenColumns, list[str]]:
    """Return tokens and, for each, its BIO tags at every nesting level, outermost first,
    separated by spaces (``O`` when it has none): Wojood's layout, one column per level.

    A span takes the first level free over its tokens, spans taken by start and longest first:
    an entity inside another is one level deeper; spans of the same tokens take one level each,
    by label. Trailing ``O`` columns are left out, as Wojood writes them.
    """
    before, after = around
    allowed = bio_labels(options)
    spans = [s for s in item.spans if s.label in allowed]
    aligned = align(item, spans, report, whole=whole_tokens(options))
    n = len(aligned.columns.texts)
    placed = sorted((aligned.ranges[s.id], s.label, s.id) for s in spans if s.id in aligned.ranges)
    placed.sort(key=lambda p: (p[0][0], -p[0][1]))  # stable: by label and id among equals
    levels: list[list[str]] = []
    level_ends: list[int] = []  # the last token taken at each level
    for (first, last), label, _ in placed:
        level = next((k for k, end in enumerate(level_ends) if end < first), len(levels))
        if level == len(levels):
            levels.append(["O"] * n)
            level_ends.append(-1)
        level_ends[level] = last
        levels[level][first : last + 1] = [f"B-{label}"] + [f"I-{label}"] * (last - first)
        report.spans += 1
    lines = []
    for k in range(n):
        column = [tags[k] for tags in levels]
        while column and column[-1] == "O":
            column.pop()
        lines.append(f"{before}{' '.join(column) or 'O'}{after}")
    return aligned.columns, lines


def tagged_sentences(
    tokens: TokenColumns, tags: list[str], inside: str = "I-", anywhere: bool = False
) -> list[tuple[int, int]]:
    """Return the ``[first, stop)`` token range of each sentence, never breaking inside an
    entity (a sentence whose first tag starts with ``inside``, or holds it ``anywhere`` when a
    token has a tag per nesting level, joins the one before)."""
    n = len(tags)
    ranges: list[tuple[int, int]] = []
    first = 0
    for k in tokens.breaks:
        if k + 1 < n and not (
            inside in tags[k + 1] if anywhere else tags[k + 1].startswith(inside)
        ):
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
