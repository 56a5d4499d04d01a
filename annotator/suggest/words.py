"""A document's words for the rule-based recommenders: tokens, search keys, attached proclitics.

Both rule-based recommenders compare words on the search key Find uses
(:func:`annotator.model.text.search_key_text`: alef forms, ى/ي, ة/ه, tashkeel and tatweel), and
both place a proposal after an attached proclitic (و ف ب ل ك and their combinations, never ال),
so ولافروف proposes لافروف. Offsets are those of the tokenizer, so every edge falls on a grapheme
boundary: a token ends after the marks of its last letter.
"""

from __future__ import annotations

from dataclasses import dataclass

from annotator.model.text import search_key, search_key_text
from annotator.model.tokens import PROCLITICS, token_columns

# Longest first, so a reading that strips more is tried before one that strips less.
_PROCLITICS_BY_LENGTH = sorted(PROCLITICS, key=len, reverse=True)
_KEY_CACHE_LIMIT = 200_000
_keys: dict[str, str] = {}


def word_key(token: str) -> str:
    """Return the search key of one token (remembered: news repeats its words)."""
    key = _keys.get(token)
    if key is None:
        if len(_keys) >= _KEY_CACHE_LIMIT:
            _keys.clear()
        key = _keys[token] = search_key_text(token)
    return key


def phrase_key(text: str) -> tuple[str, ...]:
    """Return the keys of the tokens of ``text`` (an annotated name), empty keys left out."""
    return tuple(k for k in (word_key(t) for t in token_columns(text).texts) if k)


@dataclass(slots=True)
class Words:
    """A text's tokens with their keys, and the tokens a sentence ends after."""

    texts: list[str]
    starts: list[int]
    keys: list[str]
    breaks: list[int]

    def end(self, k: int) -> int:
        """Return the offset just after token ``k``."""
        return self.starts[k] + len(self.texts[k])


def words_of(text: str) -> Words:
    """Tokenize ``text`` and key every token."""
    columns = token_columns(text)
    keys = [word_key(t) for t in columns.texts]
    return Words(columns.texts, columns.starts, keys, columns.breaks)


def proclitic_readings(key: str) -> list[str]:
    """Return the attached proclitics ``key`` may start with, longest first.

    Only a proclitic followed by at least two letters counts: a one-letter rest is no word.
    """
    return [p for p in _PROCLITICS_BY_LENGTH if len(key) > len(p) + 1 and key.startswith(p)]


def offset_after_key(token: str, letters: int) -> int:
    """Return the offset in ``token`` of its key's letter number ``letters`` (from 0).

    The marks of the letters before it are skipped with them: وَلافروف, 1 gives 2, the ل.
    """
    _key, index = search_key(token)
    return index[letters]
