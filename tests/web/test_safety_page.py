"""Untrusted text in an answer (quoted from a PDF, or written by a model) never runs as script."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import Dialog, Locator, Page, expect

from tests import pdfs
from tests.conftest import LiveServer
from tests.fakeopenai import FakeOpenAI, Reply
from tests.web.conftest import ask, board_with_files, open_app

# Everything in an answer that could run script: elements, handler attributes, URLs.
ACTIVE = """(answer) => {
  const found = [];
  for (const el of answer.querySelectorAll("*")) {
    const tag = el.tagName.toLowerCase();
    if (["script", "iframe", "object", "embed", "img", "svg", "form", "style"].includes(tag)) {
      found.push(`<${tag}>`);
    }
    for (const { name, value } of el.attributes) {
      if (name.toLowerCase().startsWith("on")) found.push(`${tag}[${name}]`);
      if (/^\\s*(javascript|data|vbscript):/i.test(value)) found.push(`${tag}[${name}=${value}]`);
    }
  }
  return found;
}"""

MODEL_TOKENS = [
    "Here is what the document said: ",
    '<img src=x onerror="window.__pwned=1;alert(1)"> and ',
    # Split across deltas: the page renders the text between them too.
    "<scr",
    "ipt>window.__pwned=1;alert(2)</scr",
    "ipt>. ",
    "[click](javascript:window.__pwned=1) and ",
    '<a href="javascript:window.__pwned=1">another link</a>, ',
    "<svg onload=alert(3)></svg> ",
    '<details open ontoggle="window.__pwned=1">x</details>',
    '<iframe src="javascript:alert(4)"></iframe>\n\n',
    "| Quarter | Revenue |\n",
    "|---|---|\n",
    "| Q2 | 10.0 |\n",
    "| Q3 | 11.2 |\n\n",
    "```html\n",
    "<script>window.__pwned = 1;</script>\n",
    "```\n\n",
    "Revenue grew by twelve percent [report.pdf p.1].",
]


def watch_dialogs(page: Page) -> list[str]:
    """Every dialog the page opens (alert, confirm, prompt), dismissed at once."""
    opened: list[str] = []

    def record(dialog: Dialog) -> None:
        opened.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", record)
    return opened


def assert_inert(page: Page, answer: Locator, dialogs: list[str]) -> None:
    """Nothing ran, and nothing in the answer could run."""
    assert answer.evaluate(ACTIVE) == []
    for link in answer.locator("a").all():
        link.click()  # a javascript: link would run now
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.evaluate("document.querySelectorAll('script:not([src])').length") == 0
    assert dialogs == []


def test_markup_quoted_from_a_pdf_is_shown_as_text(
    server: LiveServer, new_page: Callable[..., Page]
) -> None:
    with server.client() as client:
        board_id = board_with_files(client, "Supplier audit", {"notice.pdf": pdfs.injection_pdf()})
    page = new_page()
    dialogs = watch_dialogs(page)
    open_app(page, server.url, board_id)
    turn = ask(page, "What did the security notices say?")
    expect(turn).to_have_attribute("data-end", "done")
    answer = turn.get_by_test_id("answer")

    # The offline engine quoted every payload whole; the page shows each as plain text.
    for payload in pdfs.INJECTION_PAYLOADS[:2]:
        expect(answer).to_contain_text(payload)
    link = answer.locator("a", has_text="click")
    expect(link).to_have_count(1)
    expect(link).not_to_have_attribute("href", "javascript:window['__pwned']=1;alert('link')")
    expect(answer.get_by_test_id("citation")).to_have_count(3)
    assert_inert(page, answer, dialogs)

    # The page that holds the image payload opens in the reader, as text too.
    answer.locator("button[data-testid=citation][data-page='1']").click()
    expect(page.locator("#page-text")).to_have_attribute("data-page", "1")
    expect(page.locator("#page-text")).to_contain_text("onerror=")
    expect(page.locator("#page-canvas")).to_have_attribute("data-rendered", "true")
    assert page.locator("#page-text *:not(mark)").count() == 0
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert dialogs == []


def test_markup_in_a_model_answer_is_inert_while_tables_and_code_render(
    llm_server: Callable[..., LiveServer], provider: FakeOpenAI, new_page: Callable[..., Page]
) -> None:
    provider.script(Reply(tokens=MODEL_TOKENS, delay=0.02))
    server = llm_server()
    with server.client() as client:
        board_id = board_with_files(client, "Q3 review", {"report.pdf": pdfs.english_pdf()})
    page = new_page()
    dialogs = watch_dialogs(page)
    open_app(page, server.url, board_id)
    turn = ask(page, "What does the report say about revenue?")
    expect(turn).to_have_attribute("data-end", "done")
    answer = turn.get_by_test_id("answer")

    # The raw HTML is shown as the text it is.
    expect(answer).to_contain_text('<img src=x onerror="window.__pwned=1;alert(1)">')
    expect(answer).to_contain_text("<script>window.__pwned=1;alert(2)</script>")
    expect(answer).to_contain_text("<svg onload=alert(3)></svg>")
    expect(answer.locator("a", has_text="click")).to_have_count(1)

    table = answer.locator("table")
    expect(table).to_have_count(1)
    expect(table.locator("th")).to_have_text(["Quarter", "Revenue"])
    expect(table.locator("tbody tr")).to_have_count(2)
    expect(table.locator("tbody tr").last.locator("td")).to_have_text(["Q3", "11.2"])
    code = answer.locator("pre > code")
    expect(code).to_have_count(1)
    expect(code).to_have_text("<script>window.__pwned = 1;</script>\n")
    expect(answer.get_by_test_id("citation")).to_have_attribute("data-page", "1")

    assert_inert(page, answer, dialogs)
    request: dict[str, Any] = provider.requests[0].body
    assert request["stream"] is True
