"""Sentences of a page's text, as a reader would quote them.

The boards layer joins a page's lines into paragraphs (a heading kept apart); each
paragraph is then split by sentencex, a segmenter that knows decimals, versions,
abbreviations ("e.g.", "Fig. 3", "U.S.") and Chinese sentence marks, where a regular
expression cut "near 5.6" into "near 5." and "6".
"""

from __future__ import annotations

from sentencex import segment

from service.boards import is_cjk, paragraphs


def sentences(text: str) -> list[str]:
    """The sentences of `text`, in order, with their white space folded."""
    found: list[str] = []
    for paragraph in paragraphs(text):
        language = "zh" if is_cjk(paragraph) else "en"
        found.extend(s for s in (" ".join(s.split()) for s in segment(language, paragraph)) if s)
    return found
