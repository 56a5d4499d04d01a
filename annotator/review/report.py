"""Agreement reports: a plain-text table and a matplotlib chart (PNG or SVG). No Qt.

Arabic label names go to matplotlib as plain logical text: matplotlib >= 3.11 shapes and orders
Arabic itself, and reshaped text would come out reversed and broken.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from annotator.errors import InputError
from annotator.model.schema import Schema

CHART_SUFFIXES = (".png", ".svg")
METRICS = (
    ("span_f1_exact", "F1 exact"),
    ("span_f1_overlap", "F1 overlap"),
    ("kappa_tokens", "kappa"),
    ("alpha", "alpha"),
)


def number(value: float | None) -> str:
    """Format a score with three decimals, or "n/a" when it is undefined."""
    return "n/a" if value is None else f"{value:.3f}"


def table_lines(result: Mapping[str, Any], *, per_document: bool = False) -> list[str]:
    """Return the agreement result as tab-separated lines: per pair, overall then per label."""
    lines: list[str] = []
    header = "label\tspans a\tspans b\t" + "\t".join(title for _, title in METRICS)
    for pair in result["pairs"]:
        lines.append(f"{pair['a']} × {pair['b']}: {pair['documents']} document(s)")
        lines.append(header)
        rows = [("all", pair), *pair["per_label"].items()]
        for label, scores in rows:
            cells = [label, str(scores["spans_a"]), str(scores["spans_b"])]
            cells += [number(scores[key]) for key, _ in METRICS]
            lines.append("\t".join(cells))
        lines.append(f"links (SPEAKER, CLAIMANT) F1\t{number(pair['links_f1'])}")
        if per_document:
            lines.append("document\t" + "\t".join(t for _, t in METRICS) + "\tlinks F1")
            for doc in pair["per_document"]:
                cells = [doc["doc_id"], *(number(doc[key]) for key, _ in METRICS)]
                lines.append("\t".join([*cells, number(doc["links_f1"])]))
        lines.append("")
    if not result["pairs"]:
        lines.append("no pair of annotators to compare (need two or more)")
    return lines


def _use_arabic_font() -> list[str]:
    """Register the packaged Noto Sans Arabic with matplotlib; return the family list."""
    from matplotlib import font_manager

    families = ["DejaVu Sans"]
    try:
        import fontpkg_noto_sans_arabic as noto
    except ImportError:  # DejaVu Sans covers Arabic too, only less well
        return families
    for path in Path(noto.ROOT, "files").glob("*.ttf"):
        font_manager.fontManager.addfont(str(path))
    return [noto.FAMILY, *families]


def label_title(label: str, schema: Schema | None) -> str:
    """Return the label's Arabic name above its id (plain logical text), or the id alone."""
    if schema is None or label not in schema.label_ids:
        return label
    name = schema.label(label).name_ar
    # Long names wrap at word breaks so neighbouring ticks do not run into each other.
    return "\n".join([*textwrap.wrap(name, 10), label]) if name else label


def write_chart(result: Mapping[str, Any], out: Path, schema: Schema | None = None) -> Path:
    """Draw per-label F1 and kappa bars for each pair of annotators into a PNG or SVG file."""
    out = Path(out)
    if out.suffix.lower() not in CHART_SUFFIXES:
        raise InputError("the chart must be a .png or .svg file", path=out)
    from matplotlib.figure import Figure

    pairs = result["pairs"] or []
    families = _use_arabic_font()
    figure = Figure(figsize=(10, 3.6 * max(1, len(pairs))), layout="constrained")
    axes = figure.subplots(max(1, len(pairs)), 1, squeeze=False)[:, 0]
    for ax, pair in zip(axes, pairs, strict=False):
        _draw_pair(ax, pair, schema, families)
    if not pairs:
        axes[0].text(0.5, 0.5, "no pair of annotators to compare", ha="center")
        axes[0].set_axis_off()
    figure.savefig(out)
    return out


def _draw_pair(
    ax: Any, pair: Mapping[str, Any], schema: Schema | None, families: list[str]
) -> None:
    labels = ["all", *pair["per_label"]]
    rows = [pair, *pair["per_label"].values()]
    width = 0.8 / len(METRICS)
    for k, (key, title) in enumerate(METRICS):
        values = [row[key] if row[key] is not None else 0.0 for row in rows]
        xs = [i + (k - (len(METRICS) - 1) / 2) * width for i in range(len(rows))]
        ax.bar(xs, values, width, label=title)
    ax.set_xticks(range(len(rows)))
    ax.set_xticklabels([label_title(label, schema) for label in labels], fontfamily=families)
    ax.set_ylim(min(0.0, *(r["kappa_tokens"] or 0.0 for r in rows)) - 0.05, 1.05)
    ax.axhline(0, color="black", linewidth=0.6)
    ax.set_ylabel("agreement")
    links = number(pair["links_f1"])
    ax.set_title(
        f"{pair['a']} × {pair['b']} — {pair['documents']} document(s), links F1 {links}",
        fontfamily=families,
    )
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small")
