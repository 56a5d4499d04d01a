"""Arabic text helpers: stored form, snapping, search keys (ARABIC_TEXT.md sections 1 and 6)."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from annotator.model.graphemes import cluster_end
from annotator.model.text import (
    content_hash,
    find_matches,
    is_word_aligned,
    prepare_text,
    search_key,
    search_key_text,
    snap_to_clusters,
    snap_to_words,
)

ARABIC = st.sampled_from(list("ابتثجحخدذرسشصضطظعغفقكلمنهويءأإآةى"))
MARKS = st.sampled_from(["\u064e", "\u064f", "\u0650", "\u0651", "\u0652", "\u064b", "\u0670"])
OTHER = st.sampled_from([" ", "\n", "\r\n", "\u00a0", "\u0640", "🔴", "،", "A", "7", "\r"])
CHUNK = st.one_of(ARABIC, st.tuples(ARABIC, MARKS).map("".join), OTHER)
ARABIC_TEXT = st.lists(CHUNK, min_size=1, max_size=60).map("".join)


def test_prepare_text_removes_bom_and_normalizes_line_endings_only():
    raw = "\ufeffسطر\r\nثانٍ\rثالث\u00a0ـــ\u064e"
    assert prepare_text(raw) == "سطر\nثانٍ\nثالث\u00a0ـــ\u064e"


def test_seed_article_is_stored_unchanged(seed_text):
    assert prepare_text(seed_text) == seed_text
    assert seed_text[838] == "\u00a0"


@given(ARABIC_TEXT)
def test_prepare_text_keeps_everything_but_line_endings(raw):
    stored = prepare_text(raw)
    assert "\r" not in stored
    assert stored.replace("\n", "") == raw.replace("\r\n", "").replace("\r", "").replace("\n", "")


def test_content_hash_differs_for_one_mark():
    assert content_hash("قال") != content_hash("قَال")


def test_snap_to_words_widens_a_selection_inside_a_word(seed_text):
    start = seed_text.index("لافروف،")
    assert snap_to_words(seed_text, start + 2, start + 3) == (start, start + len("لافروف"))


def test_snap_to_words_drops_surrounding_space_and_punctuation():
    text = "قال «موسكو» أمس"
    start = text.index("«")
    assert snap_to_words(text, start - 1, start + 8) == (start + 1, start + 6)
    assert snap_to_words(text, 3, 4) is None


def test_snap_keeps_tashkeel_with_its_letter():
    text = "رَدًّا وَاضِحًا"
    # [1, 3) starts on ر's fatha and ends between د and its tanween and shadda
    assert snap_to_clusters(text, 1, 3) == (0, 5)
    assert text[0:5] == "رَدًّ"
    assert snap_to_words(text, 2, 3) == (0, 6)


@given(ARABIC_TEXT, st.integers(0, 80), st.integers(0, 80))
def test_snapped_selection_never_splits_a_word_or_a_mark(text, a, b):
    text = prepare_text(text)
    snapped = snap_to_words(text, min(a, len(text)), min(b, len(text)))
    if snapped is None:
        return
    start, end = snapped
    assert 0 <= start < end <= len(text)
    assert is_word_aligned(text, start, end)


def test_search_key_folds_alef_forms_taa_marbuta_and_yaa_and_drops_marks():
    key, index = search_key("أَإآٱ ىة ـلا")
    assert key == "اااا يه لا"
    assert len(index) == len(key) + 1


def test_find_matches_ignores_hamza_and_tashkeel_and_maps_back(seed_text):
    hits = find_matches(seed_text, "لافروف")
    assert len(hits) >= 4
    assert all(seed_text[h.start : h.end] == "لافروف" for h in hits)
    marked = find_matches("وصل رَدًّا واضحا", "ردا")
    assert [(h.start, h.end) for h in marked] == [(4, 10)]
    assert "وصل رَدًّا واضحا"[4:10] == "رَدًّا"


def test_find_matches_flags_hits_inside_longer_words():
    text = "دعا بالحوار إلى الحوار"
    hits = find_matches(text, "الحوار")
    assert [(text[h.start : h.end], h.whole_word) for h in hits] == [
        ("الحوار", False),
        ("الحوار", True),
    ]


def test_find_matches_alef_variants_match_each_other():
    text = "أمريكا وامريكا وإمريكا"
    assert len(find_matches(text, "امريكا")) == 3


def test_a_typed_space_finds_a_no_break_space(seed_text):
    around = seed_text[830:845]
    query = around[:12].replace("\u00a0", " ")
    [hit] = find_matches(seed_text, query)
    assert seed_text[hit.start : hit.end] == around[:12]


# Marks of other scripts and beyond U+FFFF, a variation selector, an emoji: the key drops every
# combining mark, wherever it is in Unicode.
OTHER_MARKS = st.sampled_from(["\u0301", "\u093f", "\ufe0f", "\U0001d167", "\U000e0100", "\u06ed"])
ANY_TEXT = st.lists(st.one_of(CHUNK, OTHER_MARKS, st.characters()), max_size=60).map("".join)


def reference_search_key(text: str) -> tuple[str, list[int]]:
    """The search key as first written: one character at a time (slow, plainly right)."""
    folds = {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "\u00a0": " "}
    key, index = [], []
    for i, ch in enumerate(text):
        if ch == "\u0640" or unicodedata.category(ch) in ("Mn", "Me"):
            continue
        key.append(folds.get(ch, ch))
        index.append(i)
    return "".join(key), [*index, len(text)]


@given(ANY_TEXT)
def test_search_key_is_the_character_by_character_fold(text):
    assert search_key(text) == reference_search_key(text)
    assert search_key_text(text) == reference_search_key(text)[0]


@given(ANY_TEXT, st.lists(st.one_of(CHUNK, OTHER_MARKS), min_size=1, max_size=4).map("".join))
def test_find_matches_is_every_occurrence_of_the_key(text, query):
    key, index = reference_search_key(text)
    needle = reference_search_key(query)[0].strip()
    expected = []
    if needle:
        expected = [
            (index[i], cluster_end(text, index[i + len(needle) - 1] + 1))
            for i in range(len(key))
            if key.startswith(needle, i)
        ]
    assert [(m.start, m.end) for m in find_matches(text, query)] == expected


def test_a_tashkeel_mark_after_a_variation_selector_is_dropped_too():
    text = "❤\ufe0f حُبّ"
    assert search_key_text(text) == "❤ حب"
    [hit] = find_matches(text, "حب")
    assert text[hit.start : hit.end] == "حُبّ"
