"""The page around the answers: boards, uploads, the API token, languages, the assistant, phones."""

from __future__ import annotations

import re
from collections.abc import Callable

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests import pdfs
from tests.conftest import LiveServer
from tests.fakeopenai import FakeOpenAI, Reply
from tests.web.conftest import PHONE, ask, board_with_files, last_turn, open_app


def board_names(client: httpx.Client) -> list[str]:
    return [b["name"] for b in client.get("/api/boards").json()["boards"]]


def test_a_board_created_on_the_page_is_listed_and_opens(
    server: LiveServer, client: httpx.Client, page: Page
) -> None:
    open_app(page, server.url)
    expect(page.locator("#boards-empty")).to_be_visible()
    expect(page.locator("#board-empty")).to_be_visible()

    page.locator("#new-board-name").fill("Hiring plan 2025")
    page.locator("#new-board-create").click()

    item = page.locator("a[data-testid=board-item]")
    expect(item).to_have_count(1)
    expect(item).to_contain_text("Hiring plan 2025")
    expect(item).to_have_attribute("aria-current", "page")
    expect(page.locator("#boards-empty")).to_be_hidden()
    expect(page.locator("#board-title")).to_have_text("Hiring plan 2025")
    expect(page.locator("#board-view")).to_be_visible()
    expect(page.locator("#expert-title")).to_have_text("Expert of “Hiring plan 2025”")
    expect(page.locator("#new-board-name")).to_have_value("")

    boards = client.get("/api/boards").json()["boards"]
    assert [b["name"] for b in boards] == ["Hiring plan 2025"]
    board_id = boards[0]["board_id"]
    expect(item).to_have_attribute("data-board-id", board_id)
    expect(page).to_have_url(re.compile(rf"#/b/{board_id}$"))


def test_a_pdf_uploaded_through_the_file_input_becomes_ready(
    server: LiveServer, client: httpx.Client, page: Page
) -> None:
    board_id = board_with_files(client, "Q3 review", {})
    open_app(page, server.url, board_id)
    expect(page.locator("#board-title")).to_have_text("Q3 review")

    page.locator("#file-input").set_input_files(
        {"name": "report.pdf", "mimeType": "application/pdf", "buffer": pdfs.english_pdf()}
    )

    row = page.locator("li[data-testid=file-row]")
    expect(row).to_have_count(1)
    expect(row).to_have_attribute("data-status", "ready")
    expect(row.get_by_test_id("file-status")).to_have_text("Ready")
    expect(row.locator("button.file-name")).to_have_text("report.pdf")
    expect(row).to_contain_text("3 pages")
    expect(row.locator("progress.file-progress")).to_be_hidden()
    expect(page.locator("#files-count")).to_have_text("1 file")

    files = client.get(f"/api/boards/{board_id}/files").json()["files"]
    assert [(f["filename"], f["status"], f["pages"]) for f in files] == [("report.pdf", "ready", 3)]
    expect(row).to_have_attribute("data-file-id", files[0]["file_id"])
    expect(row).to_have_attribute("data-scanned", "false")
    # The board's entry in the list counts it.
    expect(page.locator("a[data-testid=board-item]")).to_contain_text("1 file")


def test_a_file_with_scanned_pages_says_which_pages_cannot_be_searched(
    server: LiveServer, client: httpx.Client, page: Page
) -> None:
    """The page guessed 'scanned' from a few pages' text; the server's record now says which."""
    board_id = board_with_files(client, "Typeset", {"thesis.pdf": pdfs.typeset_pdf()})
    open_app(page, server.url, board_id)
    row = page.locator("li[data-testid=file-row]")
    expect(row).to_have_attribute("data-status", "ready")
    expect(row.locator("p.file-note")).to_have_text(
        "Page 3 has no text layer (scanned), so nothing on it can be found."
    )
    expect(row).to_have_attribute("data-scanned", "false")


# A wrong token is refused by the service with a 401, which Chromium logs as a failed load.
@pytest.mark.console_errors("the server responded with a status of 401")
def test_a_token_protected_service_is_used_once_the_token_is_given(
    make_server: Callable[..., LiveServer], page: Page
) -> None:
    server = make_server(api_token="s3cret")
    with server.client(headers={"Authorization": "Bearer s3cret"}) as client:
        client.post("/api/boards", json={"name": "Board minutes"}).raise_for_status()
        with server.client() as anonymous:
            assert anonymous.get("/api/boards").status_code == 401

        page.goto(server.url + "/")
        dialog = page.locator("#token-dialog")
        expect(dialog).to_be_visible()
        expect(page.locator("#token-error")).to_be_hidden()
        expect(page.locator("a[data-testid=board-item]")).to_have_count(0)

        # A wrong token: refused, and asked for again with the reason.
        page.locator("#token-input").fill("wrong")
        page.locator("#token-submit").click()
        expect(dialog).to_be_visible()
        expect(page.locator("#token-error")).to_be_visible()
        expect(page.locator("a[data-testid=board-item]")).to_have_count(0)

        page.locator("#token-input").fill("s3cret")
        page.locator("#token-submit").click()
        expect(dialog).to_be_hidden()
        expect(page.locator("body")).to_have_attribute("data-ready", "true")
        items = page.locator("a[data-testid=board-item]")
        expect(items).to_have_count(1)
        expect(items.locator(".board-name")).to_have_text("Board minutes")

        page.locator("#new-board-name").fill("Audit committee")
        page.locator("#new-board-create").click()
        expect(page.locator("#board-title")).to_have_text("Audit committee")
        expect(items).to_have_count(2)
        assert sorted(board_names(client)) == ["Audit committee", "Board minutes"]
        # The board's live feed (an EventSource, which cannot send headers) got in too.
        expect(page.locator("#board-feed-status")).to_have_attribute("data-state", "open")
        expect(page.get_by_test_id("toast")).to_have_count(0)


def test_the_chinese_interface_and_the_language_switch(
    server: LiveServer, client: httpx.Client, new_page: Callable[..., Page]
) -> None:
    board_id = board_with_files(client, "机器学习", {})
    page = new_page(locale="zh-CN")
    open_app(page, server.url, board_id)
    html = page.locator("html")
    ask_button = page.locator("#ask")
    switch = page.locator("#lang-switch")

    expect(html).to_have_attribute("lang", re.compile(r"^zh"))
    expect(switch).to_have_value("zh")
    expect(ask_button).to_have_text("提问")
    expect(ask_button).to_have_accessible_name("提问")
    expect(page.locator("#new-board-create")).to_have_text("创建")
    expect(page.locator("#expert-tab")).to_have_text("看板专家")
    expect(page.locator("#files-heading")).to_have_text("文件")
    expect(page.locator("#expert-title")).to_have_text("“机器学习”的专家")

    switch.select_option("en")
    expect(html).to_have_attribute("lang", "en")
    expect(ask_button).to_have_text("Ask")
    expect(ask_button).to_have_accessible_name("Ask")
    expect(page.locator("#expert-tab")).to_have_text("Board expert")
    expect(page.locator("#expert-title")).to_have_text("Expert of “机器学习”")

    switch.select_option("zh")
    expect(html).to_have_attribute("lang", re.compile(r"^zh"))
    expect(ask_button).to_have_text("提问")
    expect(page.locator("#expert-tab")).to_have_text("看板专家")

    # The choice is remembered: English after a reload, whatever the browser's language.
    switch.select_option("en")
    page.reload()
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    expect(html).to_have_attribute("lang", "en")
    expect(ask_button).to_have_text("Ask")


def test_the_assistant_proposes_a_board_and_confirming_creates_it(
    llm_server: Callable[..., LiveServer], provider: FakeOpenAI, page: Page
) -> None:
    provider.script(
        Reply(
            tokens=[],
            tool_calls=[
                {
                    "name": "propose_command",
                    "arguments": {"action": "create_board", "name": "Rotterdam site"},
                }
            ],
        ),
        Reply(tokens=["I proposed a board ", "named Rotterdam site: ", "confirm to create it."]),
    )
    server = llm_server()
    with server.client() as client:
        board_with_files(client, "Q3 review", {})
        open_app(page, server.url)
        page.locator("#assistant-tab").click()
        expect(page.locator("#assistant-panel")).to_be_visible()
        page.locator("#assistant-question").fill("Make a board for the Rotterdam site.")
        page.locator("#assistant-ask").click()

        turn = last_turn(page, "assistant")
        expect(turn).to_have_attribute("data-end", "done")
        expect(turn.get_by_test_id("answer")).to_have_text(
            "I proposed a board named Rotterdam site: confirm to create it."
        )
        command = turn.get_by_test_id("command")
        expect(command).to_be_visible()
        expect(command).to_have_attribute("data-state", "proposed")
        expect(command).to_contain_text("Create board “Rotterdam site”")
        # Nothing is done before the user confirms.
        assert board_names(client) == ["Q3 review"]
        expect(page.locator("a[data-testid=board-item]")).to_have_count(1)

        command.get_by_test_id("command-confirm").click()
        expect(command).to_have_attribute("data-state", "done")
        expect(command).to_contain_text("Done: board “Rotterdam site” created.")
        expect(command.get_by_test_id("command-confirm")).to_be_hidden()
        expect(
            page.locator("a[data-testid=board-item]").filter(has_text="Rotterdam site")
        ).to_be_visible()
        assert sorted(board_names(client)) == ["Q3 review", "Rotterdam site"]
    assert "tools" in provider.requests[0].body


def test_a_phone_has_no_horizontal_scroll_and_reaches_the_question_box(
    server: LiveServer, client: httpx.Client, new_page: Callable[..., Page]
) -> None:
    board_id = board_with_files(client, "Q3 review", {"report.pdf": pdfs.english_pdf()})
    page = new_page(viewport=PHONE)
    open_app(page, server.url, board_id)
    expect(page.locator("li[data-testid=file-row]")).to_have_attribute("data-status", "ready")
    no_sideways_scroll = "() => document.documentElement.scrollWidth <= window.innerWidth"
    assert page.evaluate(no_sideways_scroll)

    question = page.locator("#question")
    question.scroll_into_view_if_needed()
    expect(question).to_be_in_viewport()
    expect(question).to_be_editable()
    turn = ask(page, "How did revenue grow in the third quarter?")
    expect(page.locator("#ask")).to_be_in_viewport()
    expect(turn).to_have_attribute("data-end", "done")
    expect(turn.get_by_test_id("answer")).to_contain_text("Revenue grew by twelve percent")

    # A citation opens the reader, and nothing widens the page.
    turn.get_by_test_id("citation").first.click()
    expect(page.locator("#page-highlight")).to_be_visible()
    expect(page.locator("#page-canvas")).to_have_attribute("data-rendered", "true")
    assert page.evaluate(no_sideways_scroll)
