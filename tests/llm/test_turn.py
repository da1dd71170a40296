"""One engine turn's helpers."""

from __future__ import annotations

from service.llm.turn import brief, count


def test_step_messages_said_1_sources() -> None:
    """'Context built with 1 sources': a count now takes the noun's number."""
    assert [count(n, "source") for n in (0, 1, 2)] == ["0 sources", "1 source", "2 sources"]


def test_tool_arguments_are_cut_to_a_line() -> None:
    assert brief({"board": "Finance"}) == "board='Finance'"
    long = brief({"question": "x" * 500})
    assert len(long) == 118
    assert long.endswith("…")
