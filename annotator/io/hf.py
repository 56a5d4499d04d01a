"""Hugging Face token classification JSONL: ``id``, ``doc_id``, ``tokens``, ``ner_tags`` (BIO).

One line per sentence, tags as strings; the label list (``O``, then ``B-``/``I-`` per entity label)
is written beside the export as ``OUT.labels.json`` (``news.jsonl`` -> ``news.labels.json``) so a
training script can build a ``ClassLabel``. No offsets: tokens and tags only.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import ExitStack
from pathlib import Path
from typing import IO, Any

import orjson

from annotator.io.alignment import bio_tags, report_of, tagged_sentences
from annotator.io.base import AnnotatedDocument, atomic_write


def labels_path(out: Path) -> Path:
    """Return where the label list of the export ``out`` goes: ``OUT.labels.json``."""
    return out.with_name(out.stem + ".labels.json") if out.suffix else Path(f"{out}.labels.json")


def label_list(entity_labels: Iterable[str]) -> list[str]:
    """Return ``O`` followed by ``B-`` and ``I-`` of each entity label, in the given order."""
    tags = ["O"]
    for label in entity_labels:
        tags += [f"B-{label}", f"I-{label}"]
    return tags


def write(items: Iterable[AnnotatedDocument], out: IO[bytes], options: dict[str, Any]) -> None:
    """Write one JSON line per sentence, then the label list beside the file."""
    report = report_of(options)
    seen: set[str] = set()
    for item in items:
        tokens, tags = bio_tags(item, options, report)
        for n, (first, stop) in enumerate(tagged_sentences(tokens, tags), start=1):
            record = {
                "id": f"{item.document.id}-{n}",
                "doc_id": item.document.id,
                "tokens": tokens.texts[first:stop],
                "ner_tags": tags[first:stop],
            }
            seen.update(tag[2:] for tag in set(tags[first:stop]) if tag != "O")
            out.write(orjson.dumps(record))
            out.write(b"\n")
        report.documents += 1
    entity_labels = options.get("bio_labels") or sorted(seen)
    path = options.get("path")
    # One label list for all parts of a split: written once, beside OUT.
    if path is not None and labels_path(Path(path)) not in report.files:
        side = labels_path(Path(path))
        with ExitStack() as own:
            # export() keeps side files temporary until every part is complete.
            opener = options.get("open_side_file") or (lambda p: own.enter_context(atomic_write(p)))
            fh = opener(side)
            fh.write(orjson.dumps(label_list(entity_labels), option=orjson.OPT_INDENT_2))
            fh.write(b"\n")
        report.files.append(side)
