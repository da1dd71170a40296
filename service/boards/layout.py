"""A page's extracted lines turned into the paragraphs a reader sees, and passages to index.

PDF text comes in lines: a sentence wraps across them, a heading or a list item stands
on its own. Wrapped lines are joined (no space inside Chinese words, none inside a word
hyphenated at the margin); headings and items stay apart. Ligatures (`ﬁ`, U+FB01) are
spelled out, as every reader types them.
"""

from __future__ import annotations

import re
import unicodedata

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_LIGATURES = re.compile("[\ufb00-\ufb06]")
_SENTENCE_MARK = tuple(".!?;:。！？；：…")
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_CJK_CHAR = re.compile(f"[{_CJK}]")
_CJK_CLOSE = tuple("。！？；：，、）》」』”")
_ITEM = re.compile(r"^(?:[•●▪◦‣∙·\-–—*]\s|\(?\d{1,2}[.)]\s|\(?[a-z][.)]\s)")
_HEADING_WORDS = 10
# A line shorter than this share of the block's longest line ended before the margin:
# the end of a paragraph or a heading, never a wrap.
_SHORT_LINE = 0.7

PASSAGE_CHARS = 700
"""Passages are about a paragraph: short enough for an embedding model, long enough to quote."""


def clean(raw: str) -> str:
    """The page's text as paragraphs, one per line, separated by blank lines."""
    text = _LIGATURES.sub(lambda m: unicodedata.normalize("NFKC", m.group()), raw)
    text = text.replace("\x00", "").replace("\u00ad", "")
    return "\n\n".join(paragraphs(text))


def paragraphs(text: str) -> list[str]:
    """The paragraphs of `text`, each with its lines joined and its white space folded."""
    found: list[str] = []
    for block in _PARAGRAPH_BREAK.split(text):
        lines = [" ".join(line.split()) for line in block.splitlines()]
        lines = [line for line in lines if line]
        longest = max((_width(line) for line in lines), default=0)
        current = ""
        for i, line in enumerate(lines):
            current = _join(current, line)
            following = lines[i + 1] if i + 1 < len(lines) else ""
            if following and _ends_paragraph(line, following, longest):
                found.append(current)
                current = ""
        if current:
            found.append(current)
    return found


def passages(text: str, limit: int = PASSAGE_CHARS) -> list[str]:
    """Consecutive paragraphs packed into passages of about `limit` characters."""
    packed: list[str] = []
    current = ""
    for paragraph in paragraphs(text):
        for piece in _split_long(paragraph, limit):
            if current and len(current) + len(piece) + 1 > limit:
                packed.append(current)
                current = ""
            current = f"{current}\n{piece}" if current else piece
    if current:
        packed.append(current)
    return packed


def _width(line: str) -> int:
    # A CJK character is as wide as about two Latin ones.
    return len(line) + len(_CJK_CHAR.findall(line))


def _ends_paragraph(line: str, following: str, longest: int) -> bool:
    if _ITEM.match(following):
        return True
    short = _width(line) < _SHORT_LINE * longest
    if _CJK_CHAR.match(line[-1]) or line.endswith(_CJK_CLOSE):
        # Chinese has no capitals to tell a heading by: a short line ends its paragraph.
        return short and bool(_CJK_CHAR.match(following[0]))
    if line.endswith(_SENTENCE_MARK):
        return short
    # A short line without a sentence's end, before a line that starts like a sentence:
    # a heading ("2.4. The glob files"), which a wrapped sentence never looks like.
    return (
        short
        and len(line.split()) <= _HEADING_WORDS
        and (following[0].isupper() or following[0].isdigit())
    )


def _join(current: str, line: str) -> str:
    if not current:
        return line
    if _CJK_CHAR.match(current[-1]) and _CJK_CHAR.match(line[0]):
        return current + line  # a line break inside Chinese text is no space
    if current.endswith("-") and current[-2:-1].isalpha():
        if line[:1].islower():
            return current[:-1] + line  # a word hyphenated across the line break
        return current + line  # a compound's own hyphen ("North-Rhine")
    return current + " " + line


def _split_long(paragraph: str, limit: int) -> list[str]:
    # A paragraph longer than a passage is cut at sentence marks, else at spaces.
    if len(paragraph) <= limit:
        return [paragraph]
    pieces: list[str] = []
    rest = paragraph
    while len(rest) > limit:
        window = rest[:limit]
        cut = max(window.rfind(mark) for mark in (". ", "。", "！", "？", "; ", "；"))
        if cut < limit // 3:
            cut = window.rfind(" ")
        if cut < limit // 3:
            cut = limit - 1
        pieces.append(rest[: cut + 1].strip())
        rest = rest[cut + 1 :].strip()
    if rest:
        pieces.append(rest)
    return pieces
