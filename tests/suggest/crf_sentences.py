"""Arabic news sentences written for the crf tests, with their entities marked in brackets.

``[سيرجي لافروف|PER]`` marks an entity; an attached proclitic stays outside the brackets
(``و[واشنطن|GPE]``), as the annotation conventions leave it. The training documents repeat a
few patterns with names drawn in turn, so a CRF learns them in a few seconds; the held-out
sentences mix the same names in sentences the training never had.
"""

from __future__ import annotations

import re

from annotator.model.document import DocumentRecord, Span

MARK = re.compile(r"\[([^|\]]+)\|([A-Z]+)\]")

PERSONS = (
    "سيرجي لافروف",
    "جو بايدن",
    "فلاديمير بوتين",
    "دميتري بيسكوف",
    "إيمانويل ماكرون",
    "أولاف شولتس",
    "أنتوني بلينكن",
)
SURNAMES = ("لافروف", "بايدن", "بوتين", "بيسكوف", "ماكرون", "شولتس", "بلينكن")
PLACES = ("موسكو", "واشنطن", "باريس", "برلين", "لندن", "القاهرة", "بكين", "جنيف", "طهران")
GROUPS = ("الكرملين", "وكالة تاس", "الاتحاد الأوروبي", "حلف الناتو", "الأمم المتحدة")

TEMPLATES = (
    "قال وزير الخارجية [{p}|PER] إن [{g}|GPE] لن تقبل الشروط الجديدة.",
    "وأضاف [{s}|PER] أن [{o}|ORG] يتابع الموقف في [{g}|GPE] عن كثب.",
    "أعلن [{o}|ORG] أن [{s}|PER] سيزور [{g}|GPE] و[{h}|GPE] الأسبوع المقبل.",
    "التقى [{s}|PER] و[{t}|PER] في [{g}|GPE] يوم الخميس.",
    "ونقلت [{o}|ORG] عن [{p}|PER] قوله إن المحادثات مستمرة.",
    "وصل [{p}|PER] إلى [{g}|GPE] قادما من [{h}|GPE] مساء أمس.",
    "وقال المتحدث إن الاجتماع كان مثمرا وإن الحوار سيستمر.",
    "وأشار التقرير إلى أن الأسعار ارتفعت خلال الشهر الماضي.",
)


def parse(marked: str, annotator: str = "gold") -> tuple[str, list[Span]]:
    """Return the text of a marked sentence (brackets removed) and its spans."""
    text, spans, at = "", [], 0
    for found in MARK.finditer(marked):
        text += marked[at : found.start()]
        start = len(text)
        text += found.group(1)
        spans.append(
            Span(f"s{len(spans)}", "", start, len(text), found.group(2), annotator=annotator)
        )
        at = found.end()
    return text + marked[at:], spans


def training_sentences(count: int, offset: int = 0) -> list[str]:
    """Return ``count`` marked sentences: the templates in turn, each kind of name in turn."""
    out = []
    for k in range(offset, offset + count):
        # Slot j of sentence k takes the (2k + j)-th name of its kind: every name comes back
        # in every template and next to every other.
        out.append(
            TEMPLATES[k % len(TEMPLATES)].format(
                p=PERSONS[(2 * k) % len(PERSONS)],
                s=SURNAMES[(2 * k) % len(SURNAMES)],
                t=SURNAMES[(2 * k + 1 + k // 7) % len(SURNAMES)],
                g=PLACES[(2 * k) % len(PLACES)],
                h=PLACES[(2 * k + 1 + k // 9) % len(PLACES)],
                o=GROUPS[(2 * k) % len(GROUPS)],
            )
        )
    return out


def document(sentences: list[str], doc_id: str, annotator: str = "gold") -> DocumentRecord:
    """Return a document of ``sentences`` (one paragraph) with their spans."""
    text, spans = parse(" ".join(sentences), annotator)
    return DocumentRecord(text=text, id=doc_id, spans=tuple(spans))


def documents(count: int, per_document: int = 6, annotator: str = "gold") -> list[DocumentRecord]:
    """Return ``count`` training documents of ``per_document`` sentences each."""
    return [
        document(training_sentences(per_document, k * per_document), f"train{k:03}", annotator)
        for k in range(count)
    ]
