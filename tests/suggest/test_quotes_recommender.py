"""The quotes recommender on news sentences written for these tests, and on the seed article.

Every expected quote, verb and speaker is a slice of the test's own text, worked out by hand.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from annotator.errors import Cancelled, ValidationError
from annotator.model.document import Document, Span
from annotator.model.schema import Schema, load_default_schema, parse_schema
from annotator.model.suggestions import Proposals
from annotator.store import Project
from annotator.suggest.quality import score_proposals
from annotator.suggest.quotes import QuotesRecommender, load_lexicon, reporting_verbs
from annotator.suggest.run import run_recommender

from conftest import SEED_ID


def entity(text: str, word: str, label: str, nth: int = 0) -> Span:
    """The person's span over the ``nth`` occurrence of ``word``."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(word, start + 1)
    return Span(f"k{start}", "doc", start, start + len(word), label, "tester")


@dataclass(frozen=True)
class Quote:
    """One proposed quote as a reader sees it: its words, type, verb and speaker."""

    quote: str
    type: str
    cue: str
    speaker: str | None


def quotes_in(text: str, known: list[Span], schema: Schema | None = None) -> list[Quote]:
    """Run the recommender on ``text``; return its quotes with what they link to."""
    found = propose(text, known, schema)
    by_key = {p.key: p for p in found.spans}
    out = []
    for p in found.spans:
        if p.label != "QUOTE":
            continue
        ends = {link.type: by_key[link.tail] for link in found.links if link.head == p.key}
        speaker = ends.get("SPEAKER")
        out.append(
            Quote(
                text[p.start : p.end],
                p.attrs.get("type", ""),
                text[ends["CUE"].start : ends["CUE"].end],
                None if speaker is None else text[speaker.start : speaker.end],
            )
        )
    return out


def propose(text: str, known: list[Span], schema: Schema | None = None) -> Proposals:
    recommender = QuotesRecommender()
    recommender.schema = schema or load_default_schema()
    return recommender.propose(Document("doc", "", text), known)


def test_direct_quotes_in_guillemets_and_curly_quotes_with_a_title_before_the_name() -> None:
    text = (
        "القاهرة - قال وزير الخارجية المصري سامح شكري، اليوم الأحد: «نرفض أي حل على حساب دول"
        " الجوار». وأضافت المتحدثة باسم الوزارة: “الاتصالات مستمرة مع جميع الأطراف”."
    )
    known = [
        entity(text, "القاهرة", "GPE"),
        entity(text, "المصري", "NORP"),
        entity(text, "سامح شكري", "PER"),
        entity(text, "المتحدثة باسم الوزارة", "PER"),
    ]
    assert quotes_in(text, known) == [
        Quote("نرفض أي حل على حساب دول الجوار", "direct", "قال", "سامح شكري"),
        Quote("الاتصالات مستمرة مع جميع الأطراف", "direct", "أضافت", "المتحدثة باسم الوزارة"),
    ]


def test_indirect_quotes_after_in_and_an_with_feminine_and_plural_verbs() -> None:
    text = (
        "وقالت الحكومة الأردنية إن المعابر ستفتح أمام الشاحنات خلال أيام.\n\n"
        "وكان المفاوضون الأردنيون قد أكدوا أن الاتفاق لا يشمل الوقود، مشيرين إلى أنه سيراجع"
        " بعد شهر."
    )
    known = [
        entity(text, "الحكومة الأردنية", "ORG"),
        entity(text, "المفاوضون", "PER"),
        entity(text, "الأردنيون", "NORP"),
    ]
    assert quotes_in(text, known) == [
        Quote("المعابر ستفتح أمام الشاحنات خلال أيام", "indirect", "قالت", "الحكومة الأردنية"),
        # the subject before the verb; the clause stops where the next verb takes over
        Quote("الاتفاق لا يشمل الوقود", "indirect", "أكدوا", "المفاوضون"),
        # أنه carries its pronoun, the subject of the clause; the speaker is the first verb's
        Quote("أنه سيراجع بعد شهر", "indirect", "مشيرين", "المفاوضون"),
    ]


def test_a_quotation_inside_an_indirect_quote_makes_it_mixed() -> None:
    text = "وأوضح الوزير أن الخطة «واقعية وقابلة للتنفيذ» رغم الصعوبات."
    known = [entity(text, "الوزير", "PER")]
    assert quotes_in(text, known) == [
        Quote("الخطة «واقعية وقابلة للتنفيذ» رغم الصعوبات", "mixed", "أوضح", "الوزير")
    ]


def test_the_subject_ends_at_its_comma_and_a_second_verb_keeps_the_first_speaker() -> None:
    text = (
        "وأكدت وزارة الخارجية الإيرانية، ردا على الوزير الأمريكي أنتوني بلينكن، أن طهران لن"
        " تتراجع، مشيرة إلى أن واشنطن تتحمل المسؤولية."
    )
    known = [
        entity(text, "وزارة الخارجية الإيرانية", "ORG"),
        entity(text, "الإيرانية", "NORP"),
        entity(text, "الأمريكي", "NORP"),
        entity(text, "أنتوني بلينكن", "PER"),
        entity(text, "طهران", "GPE"),
        entity(text, "واشنطن", "GPE"),
    ]
    assert quotes_in(text, known) == [
        Quote("طهران لن تتراجع", "indirect", "أكدت", "وزارة الخارجية الإيرانية"),
        Quote("واشنطن تتحمل المسؤولية", "indirect", "مشيرة", "وزارة الخارجية الإيرانية"),
    ]


def test_a_place_after_a_preposition_or_an_adjective_does_not_speak() -> None:
    text = (
        "وأكدت مصادر دبلوماسية في جنيف أن الجولة ستعقد قريبا. وقال مصدر بموسكو إن الوفد جاهز."
        " وأوضح الوزير الروسي أن الخطة جاهزة. وقال الروس إن الرد سيأتي."
    )
    known = [
        entity(text, "جنيف", "GPE"),
        entity(text, "موسكو", "GPE"),  # in بموسكو: after an attached preposition
        entity(text, "الروسي", "NORP"),  # an adjective of الوزير
        entity(text, "الروس", "NORP", 1),  # the subject itself, right after the verb
    ]
    assert [q.speaker for q in quotes_in(text, known)] == [None, None, None, "الروس"]


def test_a_title_followed_by_the_name_gives_way_to_the_name() -> None:
    text = "قال المتحدث باسم الكرملين دميتري بيسكوف إن الاتصالات جارية."
    known = [
        entity(text, "المتحدث باسم الكرملين", "PER"),
        entity(text, "الكرملين", "ORG"),
        entity(text, "دميتري بيسكوف", "PER"),
    ]
    assert quotes_in(text, known) == [Quote("الاتصالات جارية", "indirect", "قال", "دميتري بيسكوف")]


def test_a_verb_after_one_whose_speaker_is_unknown_gets_none_either() -> None:
    text = (
        "قال لافروف إن الحوار ممكن.\n\n«نحن لا نغلق أي باب»، أكدت المتحدثة الأمريكية، مضيفة"
        ' أن الاتصالات لم تنقطع. وفي وقت لاحق أضافت أن "الرد سيصل قريبا".'
    )
    known = [entity(text, "لافروف", "PER")]
    assert quotes_in(text, known) == [
        Quote("الحوار ممكن", "indirect", "قال", "لافروف"),
        Quote("نحن لا نغلق أي باب", "direct", "أكدت", None),
        Quote("الاتصالات لم تنقطع", "indirect", "مضيفة", None),
        # no subject written: the speaker of the quote before (unknown, not لافروف); أن and
        # then a quotation alone: direct
        Quote("الرد سيصل قريبا", "direct", "أضافت", None),
    ]


def test_a_sentence_end_inside_a_quotation_does_not_end_the_sentence_quoting_it() -> None:
    text = "وقال الوزير: «لن نتراجع. هذا قرارنا»، مؤكدا في الوقت نفسه أن الحكومة موحدة."
    known = [entity(text, "الوزير", "PER")]
    assert quotes_in(text, known) == [
        Quote("لن نتراجع. هذا قرارنا", "direct", "قال", "الوزير"),
        Quote("الحكومة موحدة", "indirect", "مؤكدا", "الوزير"),
    ]


def test_the_verb_after_the_quote() -> None:
    text = "«لن نقبل بتأجيل الانتخابات»، قال رئيس الحزب خالد يوسف للصحفيين."
    known = [entity(text, "خالد يوسف", "PER")]
    assert quotes_in(text, known) == [
        Quote("لن نقبل بتأجيل الانتخابات", "direct", "قال", "خالد يوسف")
    ]


def test_a_name_inside_the_quotation_does_not_say_it() -> None:
    text = "«لقاء بوتين كان مثمرا»، قال مصدر دبلوماسي."
    known = [entity(text, "بوتين", "PER")]
    assert quotes_in(text, known) == [Quote("لقاء بوتين كان مثمرا", "direct", "قال", None)]


def test_only_punctuation_or_a_linking_word_between_a_quotation_and_its_verb() -> None:
    text = "رفعت الجماهير شعار «لا للحرب» في الساحة التي قال عنها المحافظ.\n«نرفض العنف» كما قال."
    assert quotes_in(text, []) == [Quote("نرفض العنف", "direct", "قال", None)]


def test_the_nearest_verb_before_a_quotation_takes_it() -> None:
    text = "قال المتحدث ثم أضاف: «الأبواب مفتوحة»."
    assert quotes_in(text, []) == [Quote("الأبواب مفتوحة", "direct", "أضاف", None)]


def test_a_quote_the_person_has_already_is_not_proposed() -> None:
    text = "قال المتحدث: «الأبواب مفتوحة». وأضاف أن الحوار مستمر."
    start = text.index("الأبواب")
    mine = Span("q", "doc", start, start + len("الأبواب مفتوحة"), "QUOTE", "tester")
    assert quotes_in(text, [mine]) == [Quote("الحوار مستمر", "indirect", "أضاف", None)]


def test_a_quotation_left_open_ends_with_its_paragraph() -> None:
    text = 'قال الوزير: "نحن مستعدون.\n\nوقال السفير: " الأمر صعب ".'
    assert quotes_in(text, []) == [
        Quote("نحن مستعدون", "direct", "قال", None),  # after the colon, to the sentence end
        Quote("الأمر صعب", "direct", "قال", None),  # the spaces inside the marks left out
    ]


def test_a_verb_with_nothing_before_its_quote_keeps_the_speaker_before() -> None:
    text = (
        "قال رئيس الوزراء أحمد سالم إن الميزانية جاهزة.\n\nوأضاف: «سنعرضها على البرلمان»."
        " وشدد على أن النواب سيقرونها. وذكرت وكالة الأنباء أن الجلسة تأجلت."
    )
    known = [entity(text, "أحمد سالم", "PER")]
    assert quotes_in(text, known) == [
        Quote("الميزانية جاهزة", "indirect", "قال", "أحمد سالم"),
        Quote("سنعرضها على البرلمان", "direct", "أضاف", "أحمد سالم"),
        Quote("النواب سيقرونها", "indirect", "شدد", "أحمد سالم"),
        Quote("الجلسة تأجلت", "indirect", "ذكرت", None),  # a subject nobody marked
    ]


def test_no_speaker_known_still_proposes_the_quote_and_its_verb() -> None:
    text = "وقال متحدث: «سنرد في الوقت المناسب»."
    found = propose(text, [])
    assert [(text[p.start : p.end], p.label) for p in found.spans] == [
        ("سنرد في الوقت المناسب", "QUOTE"),
        ("قال", "CUE"),
    ]
    assert [link.type for link in found.links] == ["CUE"]


def test_the_speaker_is_proposed_again_as_it_is_known_so_the_link_stays_in_the_layer() -> None:
    text = "قال لافروف: «الحوار ممكن». وأضاف لافروف أن الرد تأخر."
    known = [entity(text, "لافروف", "PER", 0), entity(text, "لافروف", "PER", 1)]
    found = propose(text, known)
    copies = [p for p in found.spans if p.label == "PER"]
    assert [(p.start, p.end) for p in copies] == [(k.start, k.end) for k in known]
    keys = {p.key for p in found.spans}
    assert all(link.head in keys and link.tail in keys for link in found.links)
    assert len(keys) == len(found.spans)  # every proposal has a key of its own


def test_an_emoji_and_a_joiner_right_before_a_quotation_mark() -> None:
    # The joiner joins nothing after the emoji: « opens the quotation, and a verb written
    # right after an emoji and a joiner is still read.
    text = "قال الوزير 🔴\u200d«المحادثات مستمرة».\n🔴\u200dوأضاف لافروف: «الحوار ممكن»."
    known = [entity(text, "الوزير", "PER"), entity(text, "لافروف", "PER")]
    assert quotes_in(text, known) == [
        Quote("المحادثات مستمرة", "direct", "قال", "الوزير"),
        Quote("الحوار ممكن", "direct", "أضاف", "لافروف"),
    ]


def test_a_quote_starts_on_a_character_edge_and_a_mark_inside_a_cluster_opens_nothing() -> None:
    # A fatha after a space belongs to the space: the quote starts after it. An Arabic number
    # sign joins the « after it into one character: no quotation opens there.
    text = "قال الوزير: « \u064eنعم ». وأضاف: «لا»."
    assert quotes_in(text, []) == [
        Quote("نعم", "direct", "قال", None),
        Quote("لا", "direct", "أضاف", None),
    ]
    text = "قال الوزير \u0600«نعم». وأضاف: «لا»."
    assert quotes_in(text, []) == [Quote("لا", "direct", "أضاف", None)]


ONE_SPEAKER = "قال لافروف: «الحوار ممكن». وأضاف: «الرد تأخر». وشدد على أن الاتفاق قريب."


def test_one_speaker_of_several_quotes_is_proposed_once_and_every_link_goes_to_it() -> None:
    # The person's span and another recommender's pending one, at the same place: one entity.
    mention = entity(ONE_SPEAKER, "لافروف", "PER")
    pending = Span("s1", "doc", mention.start, mention.end, "PER", "suggest:strings")
    found = propose(ONE_SPEAKER, [mention, pending])
    speakers = [p for p in found.spans if p.label == "PER"]
    assert [(p.start, p.end) for p in speakers] == [(mention.start, mention.end)]
    quotes = [p.key for p in found.spans if p.label == "QUOTE"]
    assert [ONE_SPEAKER[p.start : p.end] for p in found.spans if p.label == "QUOTE"] == [
        "الحوار ممكن",
        "الرد تأخر",
        "الاتفاق قريب",
    ]
    links = [(link.head, link.tail) for link in found.links if link.type == "SPEAKER"]
    assert links == [(key, speakers[0].key) for key in quotes]


def test_one_speaker_of_several_quotes_is_stored_once_with_every_link(project: Project) -> None:
    doc = project.add_document(ONE_SPEAKER, doc_id="d").id
    start = ONE_SPEAKER.index("لافروف")
    project.add_span(doc, start, start + len("لافروف"), "PER")
    run_recommender(project, QuotesRecommender(), source="tester")
    stored = project.suggestions(doc)
    speakers = [s for s in stored.spans if s.label == "PER"]
    assert [(s.start, s.end) for s in speakers] == [(start, start + len("لافروف"))]
    tails = [r.tail for r in stored.links if r.type == "SPEAKER"]
    assert tails == [speakers[0].id] * 3


def test_hamza_and_tashkeel_do_not_hide_a_verb_and_edges_keep_the_marks() -> None:
    text = "وَقالَ الوزيرُ إنّ الاجتماع انتهى. واكد ان الوفد سيعود غدا."
    assert quotes_in(text, []) == [
        Quote("الاجتماع انتهى", "indirect", "قالَ", None),
        Quote("الوفد سيعود غدا", "indirect", "اكد", None),
    ]
    cue = next(p for p in propose(text, []).spans if p.label == "CUE")
    assert text[cue.start - 2 : cue.start] == "وَ"  # the و and its fatha stay outside the CUE


def test_no_verb_no_quote_and_no_quote_within_a_quote() -> None:
    # A term in quotation marks; a verb inside a quotation or a quote reports speech within
    # speech, and a headline in quotation marks is nobody's quote.
    text = (
        "وصف الاتفاق بأنه «تاريخي». وقال الوزير: «قال لي إنه سيحضر». ونشرت الصحيفة مقالا"
        " بعنوان «قالت إنها ستعود». وقال السفير إن الرئيس أكد أن الاتفاق قريب."
    )
    assert quotes_in(text, []) == [
        Quote("قال لي إنه سيحضر", "direct", "قال", None),
        Quote("الرئيس أكد أن الاتفاق قريب", "indirect", "قال", None),
    ]


def test_only_links_the_schema_allows() -> None:
    schema = parse_schema(
        """
        [[labels]]
        id = "PER"
        [[labels]]
        id = "QUOTE"
        kind = "quote"
        [[labels]]
        id = "CUE"
        kind = "cue"
        [[labels]]
        id = "ORG"
        [[relations]]
        id = "SPEAKER"
        head = ["QUOTE"]
        tail = ["PER"]
        """
    )
    text = "قال لافروف: «الحوار ممكن». وأكدت الوزارة أن الاجتماع انتهى."
    known = [entity(text, "لافروف", "PER"), entity(text, "الوزارة", "ORG")]
    found = propose(text, known, schema)
    assert [p.label for p in found.spans] == ["QUOTE", "CUE", "PER", "QUOTE", "CUE"]
    assert found.spans[0].attrs == {}  # this schema's QUOTE has no type
    # No CUE link in this schema, and a SPEAKER link only to a PER.
    assert [link.type for link in found.links] == ["SPEAKER"]


def test_the_lexicon_lists_forms_and_ignores_comments(tmp_path) -> None:
    lexicon = tmp_path / "verbs.txt"
    lexicon.write_text("# a comment\nصرّح  # with a shadda\n\nأكد\n", encoding="utf-8")
    assert load_lexicon(lexicon) == {"صرح", "اكد"}
    shipped = reporting_verbs()
    for form in ("قال", "قالت", "قالوا", "يقول", "أضافت", "أكدوا", "نفت", "مؤكدا", "لافتا"):
        assert form.replace("أ", "ا") in shipped


def test_prepare_reads_the_schema_and_can_be_cancelled(project: Project) -> None:
    recommender = QuotesRecommender()
    with pytest.raises(Cancelled):
        recommender.prepare(project, "tester", cancelled=lambda: True)
    recommender.prepare(project, "tester")
    assert recommender.schema == project.schema


@pytest.mark.parametrize(
    ("labels", "missing"),
    [(["PER", "CUE"], "QUOTE"), (["PER", "QUOTE"], "CUE"), (["PER", "ORG"], "QUOTE or CUE")],
)
def test_a_schema_without_quote_or_cue_is_refused_naming_the_labels(
    tmp_path, labels: list[str], missing: str
) -> None:
    kinds = {"QUOTE": "quote", "CUE": "cue"}
    schema = tmp_path / "schema.toml"
    schema.write_text(
        'name = "no-quotes"\n'
        + "".join(f'[[labels]]\nid = "{x}"\nkind = "{kinds.get(x, "entity")}"\n' for x in labels),
        encoding="utf-8",
    )
    with Project.create(tmp_path / "p.sqlite", schema=schema, annotator="tester") as project:
        project.add_document("قال لافروف: «الحوار ممكن».", doc_id="d")
        with pytest.raises(ValidationError) as refused:
            run_recommender(project, QuotesRecommender(), source="tester")
        assert project.suggestions("d").spans == []
    assert refused.value.message == (
        f"the project's schema has no {missing} label, so the quotes recommender cannot"
        " propose anything: it proposes a QUOTE span with the CUE (reporting verb) that"
        " introduces it, and needs both labels"
    )


def test_a_run_stores_quotes_with_their_links(project: Project) -> None:
    text = "وقال وزير الخارجية سيرجي لافروف إن موسكو تنتظر الرد."
    doc = project.add_document(text, doc_id="d").id
    start = text.index("سيرجي لافروف")
    project.add_span(doc, start, start + len("سيرجي لافروف"), "PER")
    run_recommender(project, QuotesRecommender(), source="tester")
    stored = project.suggestions(doc)
    by_id = {s.id: text[s.start : s.end] for s in stored.spans}
    links = sorted((r.type, by_id[r.head], by_id[r.tail]) for r in stored.links)
    assert links == [
        ("CUE", "موسكو تنتظر الرد", "قال"),
        ("SPEAKER", "موسكو تنتظر الرد", "سيرجي لافروف"),
    ]


def test_seed_article_against_its_example_annotation(seeded: Project) -> None:
    """Lower bounds of what bench/suggest_quality.py prints (all 1.00 when written)."""
    document = seeded.document(SEED_ID)
    spans = seeded.spans(SEED_ID, ["example"])
    relations = seeded.relations(SEED_ID, ["example"])
    entities = {label.id for label in seeded.schema.labels if label.kind == "entity"}
    recommender = QuotesRecommender()
    recommender.prepare(seeded, "example")
    found = recommender.propose(document, [s for s in spans if s.label in entities])
    rows = {row.name: row for row in score_proposals(found, spans, relations)}
    assert (rows["QUOTE"].annotated, rows["CUE"].annotated, rows["SPEAKER link"].annotated) == (
        11,
        11,
        11,
    )
    for row in rows.values():
        assert row.precision >= 0.9 and row.recall >= 0.9, row


def test_a_quotation_after_a_preposition_is_a_name_not_the_quote() -> None:
    """A newspaper or programme named in quotation marks is not what the verb introduces."""
    text = (
        "وأوضح مسؤول حكومي لـ«الصباح» أن الموازنة الجديدة ستعرض قريبا. "
        "وقال الوزير، في مقابلة مع «صوت المدينة» أمس، إن الأسعار «لن ترتفع»."
    )
    known = [entity(text, "مسؤول حكومي", "PER"), entity(text, "الوزير", "PER")]
    assert quotes_in(text, known) == [
        Quote("الموازنة الجديدة ستعرض قريبا", "indirect", "أوضح", "مسؤول حكومي"),
        Quote("الأسعار «لن ترتفع»", "mixed", "قال", "الوزير"),
    ]
