"""Choosing a query's terms by how many passages hold each: the postings budget, for every store."""

from __future__ import annotations

import time
from collections.abc import Mapping

POSTINGS_BUDGET = 20_000
"""Most passages one search ranks. bm25 costs about a microsecond per matching passage, so
past this the commonest terms are left out of the query: they weigh least in bm25."""
_DF_TTL_S = 60.0
_MAX_REMEMBERED = 10_000


class TermCounts:
    """How many passages hold a term, a minute old at most: fresh enough to choose terms."""

    def __init__(self) -> None:
        self._df: dict[str, tuple[int, float]] = {}

    def known(self, term: str) -> int | None:
        """The remembered count, unless it is too old."""
        known = self._df.get(term)
        if known is not None and time.monotonic() - known[1] < _DF_TTL_S:
            return known[0]
        return None

    def remember(self, term: str, count: int) -> None:
        if len(self._df) > _MAX_REMEMBERED:
            self._df.clear()
        self._df[term] = (count, time.monotonic())


def within_budget(terms: list[str], counts: Mapping[str, int]) -> list[str]:
    """The rarest terms whose passages add up to at most `POSTINGS_BUDGET` (at least one)."""
    kept = sorted(terms, key=counts.__getitem__)
    while len(kept) > 1 and sum(counts[t] for t in kept) > POSTINGS_BUDGET:
        kept.pop()
    return kept
