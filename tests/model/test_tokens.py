"""The Arabic-aware tokenizer: offsets slice the stored text; punctuation splits off."""

from __future__ import annotations

from annotator.model.tokens import TokenIndex, sentences, tokenize


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
