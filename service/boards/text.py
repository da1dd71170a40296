"""How text is turned into search terms: words for alphabetic scripts, bigrams for CJK."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# Han, kana and hangul have no spaces between words; a run of them is indexed as
# overlapping bigrams, so any two-character term matches without a dictionary.
_CJK = (
    "\u3040-\u30ff"  # hiragana, katakana
    "\u3400-\u4dbf"  # CJK extension A
    "\u4e00-\u9fff"  # CJK unified ideographs
    "\uac00-\ud7af"  # hangul syllables
    "\uf900-\ufaff"  # CJK compatibility ideographs
)
CJK_RUN = re.compile(f"[{_CJK}]+")
_TOKEN = re.compile(f"[{_CJK}]+|[^\\W_{_CJK}]+", re.UNICODE)
_HAS_CJK = re.compile(f"[{_CJK}]")

_STOP = """
a about above after again against all am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further
had has have having he her here hers herself him himself his how i if in into is it its itself
just me more most my myself no nor not now of off on once only or other our ours ourselves out
over own same she should so some such than that the their theirs them themselves then there
these they this those through to too under until up very was we were what when where which
while who whom why will with would you your yours yourself yourselves tell say says said
please show explain describe give find know get gets got getting also us
的 了 是 在 和 与 或 吗 呢 吧 啊 什么 怎么 如何 哪些 哪个 为什么 请问 请 这个 那个 一个
"""
STOP_WORDS = frozenset(_STOP.split())


def bigrams(run: str) -> list[str]:
    """Overlapping bigrams of a CJK run; a lone character stands for itself."""
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def fold(text: str) -> str:
    """The form text is compared in: NFKC (ligatures, full-width forms) and lower case."""
    return unicodedata.normalize("NFKC", text).lower()


def index_text(text: str) -> str:
    """The form of `text` that goes into the full-text index."""
    return CJK_RUN.sub(lambda m: " " + " ".join(bigrams(m.group())) + " ", fold(text))


def query_terms(question: str) -> list[str]:
    """The distinct search terms of what someone typed, stop words dropped when others remain."""
    words: list[str] = []
    for token in _TOKEN.findall(fold(question)):
        if CJK_RUN.fullmatch(token):
            words.extend(_cjk_terms(token))
        else:
            words.append(token)
    content = [w for w in words if w not in STOP_WORDS]
    return _dedupe(content or words)


def _cjk_terms(run: str) -> list[str]:
    # Strip stop words that sit at the edges of a run ("什么是机器学习" → "机器学习").
    for stop in sorted((w for w in STOP_WORDS if _HAS_CJK.match(w)), key=len, reverse=True):
        run = run.replace(stop, " ")
    terms: list[str] = []
    for part in run.split():
        terms.extend(bigrams(part))
    return terms


def _dedupe(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def fts_query(terms: list[str]) -> str:
    """An FTS5 MATCH expression ranking pages by the terms they hold; never a syntax error."""
    return " OR ".join('"' + term.replace('"', '""') + '"' for term in terms)


def is_cjk(text: str) -> bool:
    """Whether the text is written mostly in a CJK script."""
    cjk = len(_HAS_CJK.findall(text))
    return cjk > 0 and cjk * 2 >= len(re.findall(r"\w", text))


def snippet(text: str, terms: list[str], width: int = 240) -> str:
    """A window of `text` around the densest cluster of terms, cut at word boundaries."""
    flat = " ".join(text.split())
    if not flat:
        return ""
    lowered = _fold_in_place(flat)
    positions = sorted(pos for term in terms for pos in _find_all(lowered, term))
    if not positions:
        return _clip(flat, 0, width)
    best, best_count = positions[0], 0
    for start in positions:
        count = sum(1 for p in positions if start <= p < start + width // 2)
        if count > best_count:
            best, best_count = start, count
    return _clip(flat, max(0, best - width // 4), width)


def _fold_in_place(text: str) -> str:
    # Folded character by character, where that keeps the length, so positions still fit.
    folded = fold(text)
    if len(folded) == len(text):
        return folded
    return "".join(f if len(f := fold(c)) == 1 else c.lower() for c in text)


def _find_all(haystack: str, needle: str) -> Iterable[int]:
    start = haystack.find(needle)
    while start != -1:
        yield start
        start = haystack.find(needle, start + 1)


def _clip(flat: str, start: int, width: int) -> str:
    end = min(len(flat), start + width)
    if start > 0 and not _HAS_CJK.match(flat[start]):
        space = flat.find(" ", start)
        start = space + 1 if 0 <= space < start + 30 else start
    if end < len(flat) and not _HAS_CJK.match(flat[end - 1]):
        space = flat.rfind(" ", start, end)
        end = space if space > start + width // 2 else end
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(flat) else ""
    return prefix + flat[start:end].strip() + suffix
