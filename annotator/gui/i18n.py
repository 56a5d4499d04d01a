"""English and Arabic UI strings; switching to Arabic mirrors the whole UI right to left.

Strings are keyed by their English text. Widgets register a setter with :class:`Texts` once;
:meth:`Texts.set_language` re-applies every registered string, so nothing is rebuilt.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

LANGUAGES = ("en", "ar")

ARABIC: dict[str, str] = {
    "&File": "&ملف",
    "&Edit": "&تحرير",
    "&View": "&عرض",
    "&Document": "&المستند",
    "&Help": "&مساعدة",
    "Review": "مراجعة",
    "Review mode": "وضع المراجعة",
    "&New project…": "مشروع &جديد…",
    "&Open project…": "&فتح مشروع…",
    "Open &server project…": "فتح مشروع على &خادم…",
    "Open server project": "فتح مشروع على خادم",
    "Server project URL:": "عنوان المشروع على الخادم:",
    "Your login name goes before the host. The password is read from PGPASSWORD or ~/.pgpass, else asked for when connecting; it is never saved.": "يُكتب اسم دخولك قبل اسم الخادم. تُقرأ كلمة المرور من PGPASSWORD أو ~/.pgpass، وإلا تُطلب عند الاتصال؛ ولا تُحفظ أبدًا.",
    "Type a PostgreSQL URL starting with postgresql://": "اكتب عنوان PostgreSQL يبدأ بـ postgresql://",
    "Recent projects": "المشاريع الأخيرة",
    "(none)": "(لا شيء)",
    "(not set)": "(غير محدد)",
    "Offsets": "الإزاحات",
    "Apply corrections to annotations already imported": "طبّق التصحيحات على التعليقات المستوردة",
    "Rename labels": "إعادة تسمية الوسوم",
    "Add labels the schema lacks": "أضف الوسوم غير الموجودة في المخطط",
    "Remove annotations the files no longer hold": "احذف التعليقات التي لم تعد في الملفات",
    "&Import…": "&استيراد…",
    "&Export…": "&تصدير…",
    "&Preferences…": "&التفضيلات…",
    "&Quit": "&خروج",
    "&Undo": "ت&راجع",
    "&Redo": "إ&عادة",
    "&Delete annotation": "&حذف التعليق",
    "&Find…": "&بحث…",
    "&Link mode": "وضع ال&ربط",
    "Zoom &in": "ت&كبير",
    "Zoom &out": "ت&صغير",
    "&Reset zoom": "إعادة ال&حجم",
    "Character &precision": "دقة ال&حرف",
    "Annotations shown": "التعليقات المعروضة",
    "Mine ({name})": "تعليقاتي ({name})",
    "All annotators": "كل المعلّقين",
    "Interface language": "لغة الواجهة",
    "Move start edge": "تحريك بداية التعليق",
    "Move end edge": "تحريك نهاية التعليق",
    "&About": "&حول",
    "&Keys and mouse": "المفاتيح وال&فأرة",
    "Status": "الحالة",
    "Show": "إظهار",
    "Other annotators made {count} annotation(s) here: choose them under Show": "للمعلّقين الآخرين {count} تعليق هنا: اخترها من قائمة إظهار",
    "not_started": "لم يبدأ",
    "in_progress": "قيد العمل",
    "done": "منتهٍ",
    "Documents": "المستندات",
    "Filter by title": "تصفية حسب العنوان",
    "Search titles and text": "البحث في العناوين والنصوص",
    "Any status": "أي حالة",
    "not done": "غير منتهٍ",
    "Any annotator": "أي معلّق",
    "Any label": "أي تسمية",
    "Open review cases": "حالات مراجعة مفتوحة",
    "Clear filter": "مسح التصفية",
    "counting…": "جارٍ العدّ…",
    "{count} document(s)": "{count} مستند",
    "&Next document": "المستند ال&تالي",
    "&Previous document": "المستند ال&سابق",
    "Next &not done": "التالي &غير المنتهي",
    "No document matches the filter": "لا مستند يطابق التصفية",
    "Start of the list: no previous document": "بداية القائمة: لا مستند سابق",
    "End of the list: no next document": "نهاية القائمة: لا مستند تالٍ",
    "Every later document in the list is done": "كل المستندات التالية في القائمة منتهية",
    # Team work (gui/team_controller.py, gui/filter_bar.py)
    "Next &assigned": "التالي من &المسند إليّ",
    "This is the last document assigned to you that is not done": "هذا آخر مستند مسند إليك لم يُنجز",
    "No document is assigned to you ({name})": "لا مستند مسند إليك ({name})",
    "Every document assigned to you is marked done": "كل المستندات المسندة إليك منجزة",
    "Assigned to me": "المسند إليّ",
    "Team &progress…": "&تقدم الفريق…",
    "Team progress": "تقدم الفريق",
    "Counting…": "جارٍ العدّ…",
    "Title": "العنوان",
    "Annotations": "التعليقات",
    "Labels": "التسميات",
    "Annotation": "التعليق",
    "Label": "التسمية",
    "Annotator": "المعلّق",
    "Created": "أُنشئ",
    "Updated": "عُدّل",
    "Links": "الروابط",
    "type": "النوع",
    "check_worthy": "جدير بالتحقق",
    "Text": "النص",
    "Delete link": "حذف الرابط",
    "No annotation selected": "لا يوجد تعليق محدد",
    "Find": "بحث",
    "Next": "التالي",
    "Previous": "السابق",
    "Annotate all…": "تعليق الكل…",
    "Close": "إغلاق",
    "{current} of {total}": "{current} من {total}",
    "no match": "لا نتائج",
    "Annotate all matches": "تعليق كل النتائج",
    "Annotate {n} match(es) as {label}?": "تعليق {n} نتيجة بوصفها {label}؟",
    "inside a longer word": "داخل كلمة أطول",
    "whole word": "كلمة كاملة",
    "already annotated": "معلّق مسبقًا",
    "inside a {label} annotation": "داخل تعليق {label}",
    "Select some text first": "حدّد نصًا أولًا",
    "Select an annotation first": "حدّد تعليقًا أولًا",
    "Link mode: click the span to link {label} to (Esc to stop)": "وضع الربط: انقر على المقطع الذي يُربط به {label} (Esc للخروج)",
    "Link mode: select a quote or claim first": "وضع الربط: حدّد اقتباسًا أو ادعاءً أولًا",
    "Choose the link type": "اختر نوع الرابط",
    "Link type:": "نوع الرابط:",
    "Link refused: {reason}": "رُفض الربط: {reason}",
    "Error": "خطأ",
    "Project": "المشروع",
    "Open project": "فتح مشروع",
    "New project": "مشروع جديد",
    "Export": "تصدير",
    "Import": "استيراد",
    "Format": "الصيغة",
    "File": "الملف",
    "Browse…": "استعراض…",
    "Split": "التقسيم",
    "Seed": "البذرة",
    "e.g. 80,10,10 (train, dev, test); empty: one file": "مثل 80,10,10 (تدريب، تطوير، اختبار)؛ فارغ: ملف واحد",
    "Encoding": "الترميز",
    "Annotators (none checked = all)": "المعلّقون (دون تحديد = الكل)",
    "Labels (none checked = all)": "التسميات (دون تحديد = الكل)",
    "Exporting…": "جارٍ التصدير…",
    "Importing…": "جارٍ الاستيراد…",
    "Cancel": "إلغاء",
    "Wrote {count} document(s) to {path}": "كُتب {count} مستند إلى {path}",
    "Imported {count} document(s)": "استُورد {count} مستند",
    "Export cancelled; no file was written": "أُلغي التصدير؛ لم يُكتب أي ملف",
    "Import cancelled; nothing was imported": "أُلغي الاستيراد؛ لم يُستورد شيء",
    "Preferences": "التفضيلات",
    "Your annotator name:": "اسمك كمعلّق:",
    "Read-only layer of {name}: switch View > Annotations shown to your own to edit": "طبقة {name} للقراءة فقط: اختر تعليقاتك من عرض > التعليقات المعروضة للتحرير",
    "This annotation belongs to {name}; only your own can be changed": "هذا التعليق يخص {name}؛ يمكنك تعديل تعليقاتك فقط",
    "{count} annotation(s) · layer: {layer} · {mode}": "{count} تعليق · الطبقة: {layer} · {mode}",
    "word snapping": "التقاط الكلمات",
    "character precision": "دقة الحرف",
    "Saved: {what}": "حُفظ: {what}",
    "About Arabic News Annotator": "حول أداة تعليق الأخبار العربية",
    "Error log: {path}": "سجل الأخطاء: {path}",
    "Keys and mouse": "المفاتيح والفأرة",
    "(no document)": "(لا مستند)",
    "Undone: {what}": "تم التراجع: {what}",
    "Redone: {what}": "أعيد: {what}",
    "Reset &layout": "إعادة ترتيب ال&نوافذ",
    "Move annotation edges": "تحريك حدود التعليق",
    "Label:": "التسمية:",
    "Consistency": "الاتساق",
    "Consistency report": "تقرير الاتساق",
    "Refresh": "تحديث",
    "Layer": "الطبقة",
    "Every layer, each on its own": "كل طبقة على حدة",
    "Checking…": "جارٍ الفحص…",
    "Cancelled": "أُلغي",
    "Fix": "الإصلاح",
    "relabel {n}": "إعادة وسم {n}",
    "annotate {n}": "وسم {n}",
    "unlabelled": "بلا وسم",
    "{labels} · unlabelled {n}": "{labels} · بلا وسم {n}",
    "{n} finding(s)": "{n} ملاحظة",
    "… and {n} more": "… و{n} غيرها",
    "Search": "بحث",
    "&Search the project…": "ال&بحث في المشروع…",
    "Search the project": "البحث في المشروع",
    "Whole words only": "كلمات كاملة فقط",
    "inside such annotations": "داخل هذه التعليقات",
    "outside such annotations": "خارج هذه التعليقات",
    "Document": "المستند",
    "In context": "في السياق",
    "Searching…": "جارٍ البحث…",
    "Reading every hit…": "جارٍ قراءة كل النتائج…",
    "«{query}»: {n} hit(s) in {d} document(s)": "«{query}»: {n} نتيجة في {d} مستند",
    "«{query}»: {n} hit(s) so far, {searched} of {total} documents searched": "«{query}»: {n} نتيجة حتى الآن، بُحث في {searched} من {total} مستند",
    "«{query}»: stopped; {n} hit(s) in the first {searched} of {total} documents": "«{query}»: توقف البحث؛ {n} نتيجة في أول {searched} من {total} مستند",
    "Search first: annotate all works on the hits listed": "ابحث أولًا: تعليق الكل يعمل على النتائج المعروضة",
    "Wait for the search to end, or cancel it": "انتظر انتهاء البحث أو ألغِه",
    "Annotate all in the project": "تعليق الكل في المشروع",
    "Hits of «{query}»": "نتائج «{query}»",
    "Annotate {n} hit(s) in {d} document(s) as {label}?": "تعليق {n} نتيجة في {d} مستند بوصفها {label}؟",
    "refused by the schema": "يرفضه المخطط",
    "Added {n} {label} annotation(s) in {d} document(s).": "أُضيف {n} تعليق {label} في {d} مستند.",
    "Skipped, already annotated: {n}": "تُخطّي، معلّق مسبقًا: {n}",
    "Left unchecked: {n}": "غير محدد: {n}",
    "Refused by the schema: {n}": "رفضه المخطط: {n}",
    "Annotate all: added {n}, already annotated {m}, unchecked {k}, refused {r}": "تعليق الكل: أُضيف {n}، معلّق مسبقًا {m}، غير محدد {k}، مرفوض {r}",
    # the Suggestions menu (gui/suggest_controller.py, gui/suggest_dialogs.py)
    "&Suggestions": "ا&قتراحات",
    "&Run recommender…": "&تشغيل المقترِح…",
    "&Next suggestion": "الاقتراح ال&تالي",
    "&Previous suggestion": "الاقتراح ال&سابق",
    "&Accept suggestion": "&قبول الاقتراح",
    "Re&ject suggestion": "&رفض الاقتراح",
    "Accept a&ll in this document": "قبول ال&كل في هذا المستند",
    "&Show suggestions": "إ&ظهار الاقتراحات",
    "Suggestion s&tatistics…": "إ&حصاءات الاقتراحات…",
    "{n} suggestion(s)": "{n} اقتراح",
    "Suggested {label} from {name}": "اقتراح {label} من {name}",
    "Enter accepts, Backspace rejects": "Enter للقبول، Backspace للرفض",
    "accepting adds the links {links}": "القبول يضيف الروابط {links}",
    "score {score}": "الدرجة {score}",
    "{label} «{words}» from {name}": "{label} «{words}» من {name}",
    "Suggestions are hidden: Suggestions > Show suggestions": "الاقتراحات مخفية: اقتراحات > إظهار الاقتراحات",
    "Suggestions are shown over your own layer: choose it under View > Annotations shown": "تظهر الاقتراحات فوق طبقتك: اخترها من عرض > التعليقات المعروضة",
    "no suggestions in this document": "لا اقتراحات في هذا المستند",
    "Accepted {label} «{words}» ({n} left in this document)": "قُبل {label} «{words}» (بقي {n} في هذا المستند)",
    "Rejected {label} «{words}» ({n} left in this document)": "رُفض {label} «{words}» (بقي {n} في هذا المستند)",
    "Backspace rejects a suggestion (Tab goes to one); Delete deletes the selected annotation": "Backspace يرفض اقتراحًا (Tab ينتقل إليه)؛ Delete يحذف التعليق المحدد",
    "Accepted {n} suggestion(s) in this document": "قُبل {n} اقتراح في هذا المستند",
    "A recommender is running: wait for it, or cancel it": "مقترِح قيد التشغيل: انتظره أو ألغِه",
    "Starting {name}…": "جارٍ بدء {name}…",
    "Cancelled: no suggestions were stored": "أُلغي: لم يُحفظ أي اقتراح",
    "Learning from {source}… {done} / {total}": "جارٍ التعلم من {source}… {done} / {total}",
    "Proposing… {done} / {total}": "جارٍ الاقتراح… {done} / {total}",
    "Run recommender": "تشغيل المقترِح",
    "Recommender:": "المقترِح:",
    "Learn from:": "التعلم من:",
    "Documents:": "المستندات:",
    "Your own layer ({name})": "طبقتك ({name})",
    "Gold": "الطبقة الذهبية",
    "This document": "هذا المستند",
    "The document list as filtered": "قائمة المستندات بعد التصفية",
    "All documents": "كل المستندات",
    "Train again": "إعادة التدريب",
    "what the layer (or gold) annotated, proposed at its other occurrences": "ما وُسم في الطبقة (أو الذهبية) مقترحًا في مواضعه الأخرى",
    "reporting verbs, quoted words and their speakers, by rules": "أفعال القول والكلام المنقول وقائلوه، بالقواعد",
    "entities tagged by a CRF trained on the layer (python-crfsuite)": "كيانات يوسمها نموذج CRF مدرَّب على الطبقة (python-crfsuite)",
    "Suggestion statistics": "إحصاءات الاقتراحات",
    "Recommender": "المقترِح",
    "Pending": "معلّق",
    "Accepted": "مقبول",
    "Rejected": "مرفوض",
    "Acceptance": "نسبة القبول",
    "No suggestions yet: run a recommender first": "لا اقتراحات بعد: شغّل مقترِحًا أولًا",
    "The project is open read-only: suggestions are not shown": (
        "المشروع مفتوح للقراءة فقط: لا تُعرض الاقتراحات"
    ),
    "left out: {link} (you rejected it)": "مستبعَد: {link} (رفضتَه)",
    "{said}; left out {what} you had rejected": "{said}؛ واستُبعد {what} الذي رفضتَه",
    "Source": "المصدر",
}

# Codes shown to users (document statuses) get readable English names too.
ENGLISH: dict[str, str] = {
    "not_started": "not started",
    "in_progress": "in progress",
    "check_worthy": "check-worthy",
}

_APPLIED_DIRECTION = {"en": Qt.LayoutDirection.LeftToRight, "ar": Qt.LayoutDirection.RightToLeft}


def translate(key: str, language: str, **values: object) -> str:
    """Return ``key`` in ``language`` with ``{name}`` fields filled in."""
    text = ARABIC.get(key, key) if language == "ar" else ENGLISH.get(key, key)
    return text.format(**values) if values else text


class Texts:
    """The window's UI strings: register setters once, switch the language at any time."""

    def __init__(self, language: str = "en") -> None:
        self.language = language if language in LANGUAGES else "en"
        self._bound: list[tuple[Callable[[str], object], str, dict[str, object]]] = []

    def __call__(self, key: str, **values: object) -> str:
        """Return ``key`` in the current language."""
        return translate(key, self.language, **values)

    def bind(self, setter: Callable[[str], object], key: str, **values: object) -> None:
        """Call ``setter`` with the translated ``key`` now and after every language switch."""
        self._bound.append((setter, key, values))
        setter(self(key, **values))

    def set_language(self, language: str) -> None:
        """Switch every bound string and mirror the application for Arabic."""
        self.language = language if language in LANGUAGES else "en"
        for setter, key, values in self._bound:
            setter(self(key, **values))
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.setLayoutDirection(_APPLIED_DIRECTION[self.language])
