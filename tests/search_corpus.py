"""A few short news articles for corpus search and annotate-all tests, and the scan they must match.

«الأمم المتحدة» is written the ways articles write it: with and without hamza and ة, with a
shadda, with a clitic attached (بالأمم, والأمم: hits inside a longer word), and «الحوار» with
a kasra and inside بالحوار.
"""

from __future__ import annotations

from annotator.model.document import DocumentRecord
from annotator.model.text import find_matches
from annotator.store import Project
from annotator.store.search import Hit

ARTICLES = [
    (
        "موسكو تدعو إلى الحوار",
        "قال وزير الخارجية الروسي سيرجي لافروف إن موسكو مستعدة للحوار مع واشنطن.\n"
        "وأضاف أن الحوار مع الأمم المتحدة يجب أن يكون متكافئا.",
    ),
    (
        "كييف ترفض الضغط",
        "أكدت الرئاسة الأوكرانية أن المفاوضات متوقفة، وقال المتحدث إن كييف لن تقبل بالحوار"
        " تحت الضغط، ورحبت بالأمم المتحدة وسيطا.",
    ),
    ("لافروف في أنقرة", "التقى لافروف نظيره التركي في أنقرة، وبحث الجانبان ملف الحوار الإقليمي."),
    (
        "نفي روسي",
        "نفت موسكو الاتهامات الغربية بالقرصنة، وقالت الخارجية الروسيه إن لا دليل عليها.",
    ),
    ("عقوبات جديدة", "أعلنت واشنطن فرض عقوبات جديدة على شركات روسية."),
    (
        "دعوة من جنيف",
        "دعا الأمين العام للأمم المتحدة إلى استئناف الحوار في جنيف، وقال إن الامم المتحده"
        " مستعدة للوساطة.",
    ),
    ("الطريق الوحيد", "قال لافروف: «الحِوار هو الطريق الوحيد، والأمم المتّحدة شاهدة»."),
]
UN = "الامم المتحده"  # typed without hamza and without ة
UN_WHOLE = 2  # hits of UN that are whole words (articles 1 and 6)
UN_INSIDE = 2  # hits inside a longer word (بالأمم, والأمم)


def add_articles(project: Project) -> list[str]:
    """Import the articles; return their ids in project order."""
    report = project.import_documents(DocumentRecord(text=t, title=title) for title, t in ARTICLES)
    return list(report.added)


def brute_force(project: Project, query: str, whole_words: bool = False) -> list[Hit]:
    """Find over every document, one after another: what a corpus search must give."""
    return [
        Hit(doc.id, m.start, m.end, m.whole_word)
        for doc in project.documents()
        for m in find_matches(doc.text, query)
        if m.whole_word or not whole_words
    ]
