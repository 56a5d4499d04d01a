"""The Arabic-aware tokenizer: offsets slice the stored text; punctuation splits off."""

from __future__ import annotations

from annotator.model.tokens import (
    TokenIndex,
    sentences,
    split_proclitics,
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
