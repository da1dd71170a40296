"""Sentences of a page's text, as a reader would quote them.

PDF text comes in lines: a sentence wraps across them, a heading stands alone on one.
Lines are first joined into paragraphs (a heading kept apart), then each paragraph is
split by sentencex, a segmenter that knows decimals, versions, abbreviations ("e.g.",
"Fig. 3", "U.S.") and Chinese sentence marks, where a regular expression cut
"near 5.6" into "near 5." and "6".
"""

from __future__ import annotations

import re

from sentencex import segment

from service.boards import is_cjk

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_SENTENCE_MARK = tuple(".!?;:。！？；：…")
_HEADING_WORDS = 8
_CJK_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


def sentences(text: str) -> list[str]:
    """The sentences of `text`, in order, with their white space folded."""
    found: list[str] = []
    for paragraph in _paragraphs(text):
        language = "zh" if is_cjk(paragraph) else "en"
        found.extend(s for s in (" ".join(s.split()) for s in segment(language, paragraph)) if s)
    return found


def _paragraphs(text: str) -> list[str]:
    paragraphs: list[str] = []
    for block in _PARAGRAPH_BREAK.split(text):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        current = ""
        for i, line in enumerate(lines):
            following = lines[i + 1] if i + 1 < len(lines) else ""
            current = _join(current, line)
            if following and _is_heading(line, following):
                paragraphs.append(current)
                current = ""
        if current:
            paragraphs.append(current)
    return paragraphs


def _is_heading(line: str, following: str) -> bool:
    # A short line without a sentence's end, before a line that starts like a sentence:
    # a wrapped sentence rarely breaks there, a heading always does.
    return (
        len(line.split()) <= _HEADING_WORDS
        and not line.endswith(_SENTENCE_MARK)
        and not is_cjk(line)
        and (following[0].isupper() or following[0].isdigit())
    )


def _join(current: str, line: str) -> str:
    if not current:
        return line
    if _CJK_CHAR.match(current[-1]) and _CJK_CHAR.match(line[0]):
        return current + line  # a line break inside Chinese text is no space
    if current.endswith("-") and line[:1].islower():
        return current[:-1] + line  # a word hyphenated across the line break
    return current + " " + line
