"""The Arabic-aware tokenizer: offsets slice the stored text; punctuation splits off."""

from __future__ import annotations

import pytest

from annotator.model.tokens import (
    TokenIndex,
    proclitic_start,
    sentences,
    split_proclitics,
    token_columns,
    tokenize,
    tokenize_whitespace,
)


def test_tokens_slice_the_text_and_split_arabic_punctuation():
    text = "قال لافروف، «رَدًّا» على COVID-19 في 12.5٪؟"
    tokens = tokenize(text)
    assert all(text[t.start : t.end] == t.text for t in tokens)
    assert [t.text for t in tokens] == [
        "قال", "لافروف", "،", "«", "رَدًّا", "»", "على", "COVID", "-", "19", "في", "12.5", "٪", "؟",
    ]  # fmt: skip


def test_sentences_break_at_question_mark_and_line_breaks():
    text = "هل جاء؟ نعم\nسطر"
    assert [[t.text for t in s] for s in sentences(text)] == [["هل", "جاء", "؟"], ["نعم"], ["سطر"]]


def test_token_index_refuses_a_span_edge_inside_a_token():
    text = "وواشنطن وموسكو"
    index = TokenIndex(tokenize(text))
    assert index.span(0, 7) == (0, 0)
    assert index.span(1, 7) is None  # واشنطن without its و is not a whole token


def test_emoji_sequences_stay_one_token_and_nbsp_separates_words():
    text = "بيانًا\u00a0مقتضبًا 👍🏽 ❤️ 📢"
    assert [t.text for t in tokenize(text)] == ["بيانًا", "مقتضبًا", "👍🏽", "❤️", "📢"]


def test_a_span_after_an_attached_proclitic_splits_the_token_there():
    text = "بين موسكو وواشنطن وبايدن"
    tokens, split = split_proclitics(tokenize(text), [text.index("واشنطن"), text.index("بايدن")])
    assert split == 2
    assert [t.text for t in tokens] == ["بين", "موسكو", "و", "واشنطن", "و", "بايدن"]
    assert all(text[t.start : t.end] == t.text for t in tokens)
    assert [t.i for t in tokens] == list(range(6))
    assert [t.ws for t in tokens] == [True, True, False, True, False, False]


def test_an_edge_inside_a_word_that_is_no_proclitic_is_not_split():
    text = "وزير الخارجية"
    tokens, split = split_proclitics(tokenize(text), [2])  # زير: و here is part of the word
    assert split == 0 and [t.text for t in tokens] == ["وزير", "الخارجية"]


def test_whitespace_tokenization_keeps_pre_tokenized_tokens():
    text = "U.S. و 2003-2004 .\nنعم"
    assert [t.text for t in tokenize_whitespace(text)] == ["U.S.", "و", "2003-2004", ".", "نعم"]


@pytest.mark.parametrize(
    "emoji",
    [
        "🇷🇺",  # a flag: two regional indicators
        "1️⃣",  # a keycap: digit, variation selector, combining enclosing keycap
        "#️⃣",
        "👨\u200d👩\u200d👧\u200d👦",  # a zero-width-joiner family
        "👩🏽\u200d🤝\u200d👨🏻",  # joined people with skin tones
        "👍🏿",  # a skin tone
        "🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",  # Scotland: tag sequence
    ],
)
def test_an_emoji_sequence_is_one_token_beside_arabic_and_punctuation(emoji):
    text = f"علم {emoji} روسيا،{emoji}.\n({emoji})"
    tokens = tokenize(text)
    assert [t.text for t in tokens] == [
        "علم", emoji, "روسيا", "،", emoji, ".", "(", emoji, ")",
    ]  # fmt: skip
    assert all(text[t.start : t.end] == t.text for t in tokens)


def test_two_flags_side_by_side_are_two_tokens():
    assert [t.text for t in tokenize("🇷🇺🇺🇸 قمة")] == ["🇷🇺", "🇺🇸", "قمة"]


def words(text: str) -> list[str]:
    """The sentences of ``text``, each as its tokens joined by spaces."""
    return [" ".join(t.text for t in s) for s in sentences(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Initials of an agency, inside brackets and at a sentence's end.
        (
            "قال بيسكوف (أ.ف.ب) إن الاتصالات جارية. وأضاف",
            ["قال بيسكوف ( أ . ف . ب ) إن الاتصالات جارية .", "وأضاف"],
        ),
        ("نقلت أ.ف.ب. عن مصدر", ["نقلت أ . ف . ب . عن مصدر"]),
        # Titles written with one letter: doctor, engineer, and a page.
        (
            "قال د. بيسكوف إن م. أحمد راجع ص. 12 من التقرير.",
            [
                "قال د . بيسكوف إن م . أحمد راجع ص . 12 من التقرير .",
            ],
        ),
        ("وقال د.بيسكوف ذلك", ["وقال د . بيسكوف ذلك"]),
        # Latin initials and titles.
        ("the U.S. and Dr. Smith met. Then", ["the U . S . and Dr . Smith met .", "Then"]),
        # Decimals: one token, never a break.
        ("ارتفع بنسبة 3.5 في المئة. ثم", ["ارتفع بنسبة 3.5 في المئة .", "ثم"]),
        ("نما ٣٫٥ بالمئة", ["نما ٣٫٥ بالمئة"]),
        # Addresses and e-mail.
        ("على موقع www.tass.ru الرسمي", ["على موقع www . tass . ru الرسمي"]),
        (
            "راجع https://tass.ru/a.b?id=3 ثم",
            ["راجع https : / / tass . ru / a . b ? id = 3 ثم"],
        ),
        ("راسلوا info@tass.ru. شكرا", ["راسلوا info @ tass . ru .", "شكرا"]),
        # An era after a year ends the sentence; the same letter as a title does not.
        ("عام 1445 هـ. ثم جاء", ["عام 1445 هـ .", "ثم جاء"]),
        ("عام 2024م. ثم جاء", ["عام 2024 م .", "ثم جاء"]),
        # Closing marks glued to the full stop stay in the sentence; a run of marks breaks once.
        ("قال: «انتهى.» ثم غادر", ["قال : « انتهى . »", "ثم غادر"]),
        ("حقا؟! نعم... لا", ["حقا ؟ !", "نعم . . .", "لا"]),
        # A question mark glued to a word still ends an Arabic sentence.
        ("لماذا؟لا أعرف", ["لماذا ؟", "لا أعرف"]),
    ],
)
def test_sentences_skip_initials_titles_decimals_and_addresses(text, expected):
    assert words(text) == expected


def test_proclitic_start_is_the_token_start_only_after_a_proclitic():
    text = "بين موسكو وواشنطن ووزير"
    columns = token_columns(text)
    assert proclitic_start(columns, text.index("واشنطن")) == text.index("وواشنطن")
    assert proclitic_start(columns, text.index("موسكو")) == text.index("موسكو")
    assert proclitic_start(columns, text.index("سكو")) == text.index("سكو")  # مو is no clitic
