"""Words as SQLite's FTS5 tokenizer sees them, written as PostgreSQL `tsvector` and `tsquery`.

FTS5 (`porter unicode61 remove_diacritics 2`) splits the search form of a text
(`text.index_text`: folded, CJK runs as bigrams) at every character that is not a letter
or a digit, takes the diacritics off Latin letters and stems words of 3 to 64 bytes with
the Porter algorithm. The same is done here, so PostgreSQL indexes the very words SQLite
does and no text search configuration, parser or locale of the server decides them.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections import Counter
from functools import lru_cache

import snowballstemmer

_WORD = re.compile(r"[^\W_]+")
_STEMMED_BYTES = range(3, 65)  # FTS5's porter leaves shorter and longer words as they are
MAX_LEXEME_BYTES = 1_000
"""PostgreSQL refuses lexemes over 2,047 bytes; a longer "word" (an encoded blob in a PDF)
is counted in the passage's length but not indexed: nobody types it."""
_MAX_POSITIONS = 255  # a tsvector keeps at most 256 positions per lexeme

_stemmer = snowballstemmer.stemmer("porter")
_stemmer_lock = threading.Lock()  # a stemmer object keeps its word in itself


@lru_cache(maxsize=200_000)
def lexeme(word: str) -> str:
    """The indexed form of one word: diacritics off Latin letters, then its Porter stem."""
    if not word.isascii():
        word = "".join(_latin_base(c) for c in word)
    if len(word.encode()) not in _STEMMED_BYTES:
        return word
    with _stemmer_lock:
        stem: str = _stemmer.stemWord(word)
    return stem


@lru_cache(maxsize=4_096)
def _latin_base(char: str) -> str:
    decomposed = unicodedata.normalize("NFD", char)
    if (
        len(decomposed) > 1
        and decomposed[0].isascii()
        and all(unicodedata.combining(mark) for mark in decomposed[1:])
    ):
        return decomposed[0]
    return char


def words(index_form: str) -> list[str]:
    """Every word of a search form, in order, as it is indexed."""
    return [lexeme(word) for word in _WORD.findall(index_form)]


def tsvector(index_form: str) -> tuple[int, str]:
    """How many words the text holds (bm25's length), and its `tsvector` literal.

    Each word appears once, with positions 1 to its count: the positions carry the term
    frequency that bm25 needs, not where the word stands.
    """
    found = words(index_form)
    counts = Counter(w for w in found if len(w.encode()) <= MAX_LEXEME_BYTES)
    literal = " ".join(
        f"{quote(word)}:{','.join(map(str, range(1, min(count, _MAX_POSITIONS) + 1)))}"
        for word, count in counts.items()
    )
    return len(found), literal


def quote(word: str) -> str:
    """A lexeme as a quoted `tsvector`/`tsquery` literal."""
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def query_lexemes(terms: list[str]) -> list[str]:
    """The indexed forms of query terms (`text.query_terms`), in order, repeats kept.

    A repeat stays because FTS5 scores each quoted term of `a OR b` on its own, even
    when both stem to the same word.
    """
    found = [lexeme(word) for term in terms for word in _WORD.findall(term)]
    return [w for w in found if len(w.encode()) <= MAX_LEXEME_BYTES]
