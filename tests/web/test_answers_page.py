"""Asking a board's expert from the page: a streamed answer, its citations, Stop, resuming.

The offline engine answers from the PDF's sentences; `extractive_delay_ms` spaces its
chunks out so that an answer is still being written while the test acts on it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from playwright.sync_api import Locator, Page, expect

from tests import pdfs, sse
from tests.conftest import LiveServer, metric, wait_for
from tests.proxy import CuttingProxy
from tests.web.conftest import ask, board_with_files, last_turn, open_app

REVENUE = "How did revenue grow in the third quarter?"
RISK = "Where is the main supply chain risk?"
LONG = "What about revenue, the supply chain risk and the hiring outlook?"
"""Four sentences from two pages: the longest answer the offline engine gives here."""

STREAMING = re.compile(r"\bstreaming\b")

# What the answer shows, as text: its citation buttons taken out (as [filename, page]), a
# space after every block so that no two blocks' words run together.
SHOWN = """(answer) => {
  const copy = answer.cloneNode(true);
  const cites = [];
  for (const button of copy.querySelectorAll("button[data-testid=citation]")) {
    cites.push([button.dataset.filename, Number(button.dataset.page)]);
    button.replaceWith(" ");
  }
  for (const block of copy.querySelectorAll("p, li, h1, h2, h3, h4, h5, h6, pre, td, th, div")) {
    block.append(" ");
  }
  return { text: copy.textContent, cites };
}"""

# From each page load on: every value #connection-status takes (window.__states) and every
# text the newest expert answer shows (window.__texts, as SHOWN gives it), repeats merged.
RECORD = f"""
window.__states = [];
window.__texts = [];
document.addEventListener("DOMContentLoaded", () => {{
  const shown = {SHOWN};
  const status = document.getElementById("connection-status");
  new MutationObserver(() => {{
    const state = status.dataset.state || "";
    if (window.__states.at(-1) !== state) window.__states.push(state);
  }}).observe(status, {{ attributes: true, attributeFilter: ["data-state"] }});
  const turns = document.getElementById("expert-turns");
  new MutationObserver(() => {{
    const answer = [...turns.querySelectorAll("[data-testid=answer]")].at(-1);
    const text = answer ? shown(answer).text : "";
    if (window.__texts.at(-1) !== text) window.__texts.push(text);
  }}).observe(turns, {{ childList: true, subtree: true, characterData: true }});
}});
"""

CITATION = re.compile(r"\[([^\[\]\n]{1,400})\]")
PAGE_REF = re.compile(r"^(.+?)\s+p\.\s?(\d{1,5})$")


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def markdown_words(markdown: str) -> tuple[list[str], list[tuple[str, int]]]:
    """The words of a Markdown answer and its citations, in order.

    The page renders the answer: Markdown's markers become elements, and each citation
    `[report.pdf p.2]` becomes a button labelled "report.pdf" "p.2". So both sides are
    reduced to the same two things: the sequence of words with punctuation and Markdown
    syntax dropped, and the sequence of citations as (filename, page). Equal pairs mean
    the page shows every word of the answer once, in order, with the same citations.
    """
    cites: list[tuple[str, int]] = []

    def take(match: re.Match[str]) -> str:
        refs = [PAGE_REF.match(part) for part in re.split(r"\s*;\s*", match.group(1))]
        if not all(refs):
            return match.group(0)
        cites.extend((ref.group(1).strip(), int(ref.group(2))) for ref in refs if ref)
        return " "

    return words(CITATION.sub(take, markdown)), cites


def shown_words(answer: Locator) -> tuple[list[str], list[tuple[str, int]]]:
    """The words and citations the page shows in an answer (see markdown_words)."""
    shown: dict[str, Any] = answer.evaluate(SHOWN)
    return words(shown["text"]), [(name, page) for name, page in shown["cites"]]


UNCLOSED = re.compile(r"\[[^\]]*$")


def assert_only_appended(page: Page, final: list[str]) -> None:
    """Every text the answer showed on its way (recorded by RECORD) began the final one.

    The final text comes whole with `done`, so only the way there shows a resumed stream
    that replayed events (words twice) or skipped some (words missing). A citation still
    being written is plain text until its `]` arrives; that tail is left out.
    """
    texts: list[str] = page.evaluate("window.__texts")
    assert len(texts) > 2, texts
    for text in texts:
        so_far = words(UNCLOSED.sub("", text))
        assert final[: len(so_far)] == so_far, f"{text!r} does not begin the final answer"


def stream_events(client: httpx.Client, board_id: str) -> list[sse.Event]:
    """Every event of the board's only stream, read again from its first."""
    streams = client.get("/api/streams", params={"board_id": board_id}).json()["streams"]
    assert len(streams) == 1, streams
    with client.stream(
        "GET",
        "/api/expert/stream",
        params={"stream_id": streams[0]["stream_id"], "last_event_id": "0"},
    ) as response:
        events = sse.until_terminal(response)
    assert events[0].n == 1
    assert events[-1].event == "done", events[-1]
    return events


def assert_shows_the_stream(page: Page, turn: Locator, events: list[sse.Event]) -> None:
    """The exchange shows the stream's answer, each of its steps once, and got there by
    appending only."""
    answer = events[-1].data["answer"]
    shown = shown_words(turn.get_by_test_id("answer"))
    assert shown == markdown_words(answer)
    assert_only_appended(page, shown[0])
    steps = [e for e in events if e.event == "step"]
    expect(turn.locator("li[data-testid=step]")).to_have_count(len(steps))


def wait_for_partial_text(page: Page, turn: Locator, longer_than: int = 0) -> dict[str, Any]:
    """Wait until the answer shows more than `longer_than` characters while it is still
    being written; what the exchange showed at that moment: {length, steps, stop}, the
    number of steps on view and whether Stop was offered."""
    handle = page.wait_for_function(
        """([answer, n]) => {
          const turn = answer.closest("article");
          const length = answer.textContent.trim().length;
          if (!turn.classList.contains("streaming") || length <= n) return false;
          const steps = turn.querySelector("[data-testid=steps]");
          return {
            length,
            steps: steps.open && !steps.hidden ? steps.querySelectorAll("li").length : 0,
            stop: !document.getElementById("stop").hidden,
          };
        }""",
        arg=[turn.get_by_test_id("answer").element_handle(), longer_than],
    )
    seen: dict[str, Any] = handle.json_value()
    return seen


def test_an_answer_streams_then_shows_its_steps_and_sources(
    make_server: Callable[..., LiveServer], new_page: Callable[..., Page]
) -> None:
    server = make_server(extractive_delay_ms=30)
    with server.client() as client:
        board_id = board_with_files(client, "Q3 review", {"report.pdf": pdfs.english_pdf()})
        page = new_page()
        open_app(page, server.url, board_id)
        turn = ask(page, REVENUE)

        expect(turn).to_have_class(STREAMING)
        first = wait_for_partial_text(page, turn)
        second = wait_for_partial_text(page, turn, longer_than=first["length"])
        assert second["length"] > first["length"]
        # While it is written, the steps so far are shown, and Stop is offered.
        assert second["steps"] >= 1
        assert second["stop"] is True

        expect(turn).to_have_attribute("data-end", "done")
        expect(turn).not_to_have_class(STREAMING)
        expect(page.locator("#stop")).to_be_hidden()
        answer = turn.get_by_test_id("answer")
        expect(answer).to_contain_text("Revenue grew by twelve percent in the third quarter")
        expect(turn.get_by_test_id("turn-status")).to_contain_text("Answered")

        # The steps fold away once the answer is done; they open again on a click.
        steps = turn.locator("li[data-testid=step]")
        turn.locator("[data-testid=steps] > summary").click()
        for name in ("Question received", "Answer finished"):
            expect(steps.filter(has_text=name)).to_be_visible()
        assert steps.count() >= 4
        for index in range(steps.count()):
            expect(steps.nth(index)).to_be_visible()

        sources = turn.get_by_test_id("sources")
        expect(sources).to_be_visible()
        expect(sources.get_by_test_id("source").first).to_contain_text("report.pdf")
        expect(sources.get_by_test_id("source").first).to_contain_text("p.1")
        expect(answer.get_by_test_id("citation").first).to_have_attribute("data-page", "1")

        assert metric(client, "boardroom_streams_started_total") == 1


def test_a_citation_opens_its_page_in_the_reader(
    make_server: Callable[..., LiveServer], new_page: Callable[..., Page]
) -> None:
    server = make_server()
    with server.client() as client:
        board_id = board_with_files(client, "Q3 review", {"report.pdf": pdfs.english_pdf()})
        page = new_page()
        open_app(page, server.url, board_id)
        turn = ask(page, RISK)
        expect(turn).to_have_attribute("data-end", "done")
        expect(page.locator("#viewer-body")).to_be_hidden()

        citation = turn.get_by_test_id("answer").get_by_test_id("citation").last
        expect(citation).to_have_attribute("data-page", "2")
        expect(citation).to_have_accessible_name("report.pdf, page 2")
        citation.click()

        expect(page.locator("#viewer-file")).to_have_text("report.pdf")
        expect(page.locator("#page-number")).to_have_value("2")
        expect(page.locator("#page-count")).to_have_text("of 3")
        text = page.locator("#page-text")
        expect(text).to_have_attribute("data-page", "2")
        expect(text).to_contain_text("The main supply chain risk is the single factory")
        highlight = page.locator("#page-highlight")
        expect(highlight).to_be_visible()
        expect(highlight).to_contain_text("single factory in Rotterdam")
        canvas = page.locator("#page-canvas")
        expect(canvas).to_have_attribute("data-page", "2")
        expect(canvas).to_have_attribute("data-rendered", "true")
        # The page now read is what the expert is told the user is looking at.
        wait_for(
            lambda: client.get(f"/api/boards/{board_id}/view").json()["page"] == 2,
            what="the viewed page to be saved",
        )


@pytest.mark.parametrize("how", ["stop-button", "escape-key"])
def test_stopping_mid_answer_cancels_it(
    make_server: Callable[..., LiveServer], new_page: Callable[..., Page], how: str
) -> None:
    server = make_server(extractive_delay_ms=100)
    with server.client() as client:
        board_id = board_with_files(client, "Q3 review", {"report.pdf": pdfs.english_pdf()})
        page = new_page()
        open_app(page, server.url, board_id)
        turn = ask(page, LONG)
        wait_for_partial_text(page, turn)

        if how == "stop-button":
            page.locator("#stop").click()
        else:
            page.locator("#question").press("Escape")

        expect(turn).to_have_attribute("data-end", "cancelled")
        expect(turn).not_to_have_class(STREAMING)
        expect(turn.get_by_test_id("turn-status")).to_have_text("Stopped")
        expect(page.locator("#stop")).to_be_hidden()
        expect(page.locator("#connection-status")).to_have_attribute("data-state", "idle")
        streams = client.get("/api/streams", params={"board_id": board_id}).json()["streams"]
        assert [s["state"] for s in streams] == ["cancelled"]
        history = client.get(f"/api/boards/{board_id}/history").json()["history"]
        assert [h["finish_reason"] for h in history] == ["interrupted"]
        # Stopped early: the page keeps the part that was written, and nothing after it.
        shown, _ = shown_words(turn.get_by_test_id("answer"))
        assert shown
        assert shown == markdown_words(history[0]["answer"])[0]
        # The question box works again.
        expect(page.locator("#question")).to_be_enabled()


# Chromium reports the cut stream as a failed load.
@pytest.mark.console_errors("net::ERR_INCOMPLETE_CHUNKED_ENCODING")
def test_a_cut_connection_resumes_to_the_whole_answer(
    make_server: Callable[..., LiveServer], new_page: Callable[..., Page]
) -> None:
    server = make_server(extractive_delay_ms=50)
    # The proxy cuts the connection carrying the answer once five deltas went through it.
    proxy = CuttingProxy(server.port, lambda relayed: relayed.count(b"event: delta") >= 5)
    try:
        with server.client() as client:
            board_id = board_with_files(client, "Q3 review", {"report.pdf": pdfs.english_pdf()})
            page = new_page()
            page.add_init_script(RECORD)
            open_app(page, proxy.url, board_id)
            turn = ask(page, LONG)

            page.wait_for_function("() => window.__states.includes('reconnecting')")
            assert proxy.cuts == 1
            expect(turn).to_have_attribute("data-end", "done")
            states: list[str] = page.evaluate("window.__states")
            # Connected, cut, then connected again until the end.
            assert "open" in states[states.index("reconnecting") :], states
            assert states[-1] == "idle", states

            events = stream_events(client, board_id)
            assert "single factory in Rotterdam" in events[-1].data["answer"]
            assert_shows_the_stream(page, turn, events)
            # Resumed, not asked again.
            assert metric(client, "boardroom_streams_started_total") == 1
    finally:
        proxy.close()


def test_a_reload_reattaches_to_the_running_answer(
    make_server: Callable[..., LiveServer], new_page: Callable[..., Page]
) -> None:
    server = make_server(extractive_delay_ms=80)
    with server.client() as client:
        board_id = board_with_files(client, "Q3 review", {"report.pdf": pdfs.english_pdf()})
        page = new_page()
        page.add_init_script(RECORD)
        open_app(page, server.url, board_id)
        turn = ask(page, LONG)
        wait_for_partial_text(page, turn)

        page.reload()
        expect(page.locator("body")).to_have_attribute("data-ready", "true")
        turn = last_turn(page)
        expect(turn.locator(".question-text")).to_have_text(LONG)
        expect(turn).to_have_attribute("data-end", "done")
        expect(page.locator("#expert-turns article[data-testid=turn]")).to_have_count(1)
        # Followed live after the reload (an answer read from the history has no status
        # and opens no stream).
        expect(turn.get_by_test_id("turn-status")).to_contain_text("Answered")
        assert "open" in page.evaluate("window.__states")

        assert_shows_the_stream(page, turn, stream_events(client, board_id))
        assert metric(client, "boardroom_streams_started_total") == 1


def test_two_citations_of_one_page_highlighted_the_same_passage(
    make_server: Callable[..., LiveServer], new_page: Callable[..., Page]
) -> None:
    """Every citation of a page marked the page's search snippet: each marks its own claim."""
    text = (
        "Revenue rose in Lisbon during the spring. "
        "Staff numbers stayed flat across the year. "
        "Costs fell in Oslo during the autumn."
    )
    server = make_server()
    with server.client() as client:
        board_id = board_with_files(client, "Cities", {"cities.pdf": pdfs.text_pdf([text])})
        page = new_page()
        open_app(page, server.url, board_id)
        turn = ask(page, "What happened in Lisbon and in Oslo?")
        expect(turn).to_have_attribute("data-end", "done")
        citations = turn.get_by_test_id("answer").get_by_test_id("citation")
        expect(citations).to_have_count(2)
        citations.last.click()
        highlight = page.locator("#page-highlight")
        expect(highlight).to_contain_text("Costs fell in Oslo")
        expect(highlight).not_to_contain_text("Lisbon")
        citations.first.click()
        expect(highlight).to_contain_text("Revenue rose in Lisbon")
        expect(highlight).not_to_contain_text("Oslo")
