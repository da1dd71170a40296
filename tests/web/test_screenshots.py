"""The main screens as a person using Boardroom sees them, saved in docs/screenshots/.

Each picture is taken once what it shows has finished loading: files ready, pages drawn,
answers done, fonts in.
"""

from __future__ import annotations

from collections.abc import Callable

import httpx
from playwright.sync_api import Page, expect

from tests import pdfs
from tests.conftest import LiveServer
from tests.fakeopenai import FakeOpenAI, Reply
from tests.web.conftest import PHONE, ask, board_with_files, last_turn, open_app, screenshot

REPORT = "q3-report.pdf"
REPORT_PAGES = [
    "Quarterly report, third quarter\n\n"
    "Revenue grew by twelve percent in the third quarter, to 48.2 million euros, driven by "
    "subscriptions in Europe. Subscription revenue now makes up 61 percent of the total, up "
    "from 54 percent a year ago. Hardware sales were flat.\n\n"
    "Gross margin improved to 38 percent as energy costs at the Rotterdam factory fell and "
    "the price increase of July took effect. Operating costs rose by four percent, mostly "
    "for the sales teams in Germany and the Nordics.\n\n"
    "Cash at the end of the quarter was 21.5 million euros.",
    "Risks\n\n"
    "Customer concentration remains moderate: two large customers account for 18 percent of "
    "revenue, and both renewed their contracts in August for three years.\n\n"
    "The main supply chain risk is the single factory in Rotterdam: every product ships "
    "from it, and a stoppage of more than two weeks would delay most deliveries. A second "
    "site is planned; its budget is still to be approved by the board.\n\n"
    "Currency risk is limited, as 85 percent of costs and revenue are in euros. The "
    "remaining exposure to the pound is hedged until the end of next year.",
    "Outlook\n\n"
    "The board expects revenue growth of ten to twelve percent for the full year. Hiring "
    "will slow in the fourth quarter while the photovoltaic division expands; twelve roles "
    "stay open, mostly in engineering.\n\n"
    "Management will present the plan for a second production site at the December meeting.",
]
MINUTES = "board-minutes-september.pdf"
MINUTES_PAGES = [
    "Minutes of the board meeting, 18 September\n\n"
    "Present: the chair, four directors, the chief executive and the finance director.\n\n"
    "The board reviewed the quarterly figures and asked management to present a plan for "
    "a second production site before the end of the year. The audit committee will report "
    "on the supplier review in November.",
]

QUESTION = "How did revenue develop in Q3, and what are the main risks?"
ANSWER = [
    "Revenue grew by **12%** to €48.2 million, ",
    "driven by subscriptions in Europe [q3-report.pdf p.1].\n\n",
    "The main risks:\n\n",
    "- **Supply chain**: every product ships from the Rotterdam factory; ",
    "a second site awaits budget approval [q3-report.pdf p.2].\n",
    "- **Customers**: two of them bring 18% of revenue [q3-report.pdf p.2].",
]

# No headings: the offline engine would read a heading and the sentence after it as one.
CHINESE_PAGES = [
    "机器学习是人工智能的一个分支。它让计算机从数据中学习规律，而不是由人逐条编写规则。"
    "常见的任务包括分类、回归和聚类。",
    "深度学习使用多层神经网络。训练需要大量的数据和算力，通常在图形处理器上进行。"
    "模型越大，需要的数据越多。",
    "模型要在没有见过的数据上评估。常用的指标有准确率、召回率和F1分数。",
]

ASSISTANT_QUESTION = "Which board covers the Rotterdam factory? Set up a board for the new site."


def ready(page: Page) -> None:
    """Wait for the page's fonts, so a picture never shows fallback glyphs."""
    page.evaluate("document.fonts.ready.then(() => true)")


def q3_board(client: httpx.Client) -> str:
    """A board as a person would have it: two reports and a note; two other boards."""
    board_with_files(client, "Hiring plan 2026", {})
    board_with_files(client, "Supplier audit", {})
    board_id = board_with_files(
        client,
        "Q3 board meeting",
        {REPORT: pdfs.text_pdf(REPORT_PAGES), MINUTES: pdfs.text_pdf(MINUTES_PAGES)},
    )
    client.post(
        f"/api/boards/{board_id}/notes",
        json={"title": "Follow-up", "text": "Ask finance for the second-site budget."},
    ).raise_for_status()
    return board_id


def test_desk_screenshots(
    llm_server: Callable[..., LiveServer], provider: FakeOpenAI, page: Page
) -> None:
    provider.script(
        Reply(tokens=ANSWER, delay=0.01),
        Reply(
            tokens=[],
            tool_calls=[
                {
                    "name": "consult_expert",
                    "arguments": {
                        "board": "Q3 board meeting",
                        "question": "What does the board know about the Rotterdam factory?",
                    },
                }
            ],
        ),
        Reply(tokens=["It is the only factory; a second site is planned [q3-report.pdf p.2]."]),
        Reply(
            tokens=[],
            tool_calls=[
                {
                    "name": "propose_command",
                    "arguments": {"action": "create_board", "name": "Second production site"},
                }
            ],
        ),
        Reply(
            tokens=[
                "The **Q3 board meeting** board covers it: Rotterdam is the only factory, ",
                "and a second site is planned [q3-report.pdf p.2].\n\n",
                "I proposed a new board, *Second production site*, for the plans.",
            ]
        ),
    )
    server = llm_server()
    with server.client() as client:
        board_id = q3_board(client)
    open_app(page, server.url, board_id)
    rows = page.locator("li[data-testid=file-row]")
    expect(rows).to_have_count(2)
    for index in range(2):
        expect(rows.nth(index)).to_have_attribute("data-status", "ready")
        expect(rows.nth(index)).to_have_attribute("data-scanned", "false")
    expect(page.locator("li[data-testid=note]")).to_have_count(1)
    expect(page.locator("a[data-testid=board-item]")).to_have_count(3)
    ready(page)
    screenshot(page, "board")

    turn = ask(page, QUESTION)
    expect(turn).to_have_attribute("data-end", "done")
    turn.locator("[data-testid=steps] > summary").click()
    turn.evaluate("turn => turn.scrollIntoView({ block: 'start' })")
    for part in (".question-text", "[data-testid=step]", "[data-testid=turn-status]"):
        expect(turn.locator(part).last).to_be_in_viewport(ratio=1)
    ready(page)
    screenshot(page, "answer")

    turn.locator("button[data-testid=citation][data-page='2']").first.click()
    expect(page.locator("#page-number")).to_have_value("2")
    expect(page.locator("#page-highlight")).to_be_visible()
    expect(page.locator("#page-canvas")).to_have_attribute("data-page", "2")
    expect(page.locator("#page-canvas")).to_have_attribute("data-rendered", "true")
    ready(page)
    screenshot(page, "reading")

    page.locator("#assistant-tab").click()
    page.locator("#assistant-question").fill(ASSISTANT_QUESTION)
    page.locator("#assistant-ask").click()
    exchange = last_turn(page, "assistant")
    expect(exchange).to_have_attribute("data-end", "done")
    expect(exchange.get_by_test_id("command")).to_be_in_viewport()
    expect(exchange.locator(".question-text")).to_be_in_viewport()
    ready(page)
    screenshot(page, "assistant")


def test_phone_screenshot(
    server: LiveServer, client: httpx.Client, new_page: Callable[..., Page]
) -> None:
    board_id = board_with_files(client, "Q3 board meeting", {REPORT: pdfs.text_pdf(REPORT_PAGES)})
    page = new_page(viewport=PHONE)
    open_app(page, server.url, board_id)
    expect(page.locator("li[data-testid=file-row]")).to_have_attribute("data-status", "ready")
    page.locator("button[data-jump=chat]").click()
    turn = ask(page, "What would a stoppage at the Rotterdam factory mean?")
    expect(turn).to_have_attribute("data-end", "done")
    page.locator("button[data-jump=chat]").click()
    expect(page.locator("#expert-tab")).to_be_in_viewport()
    expect(turn.get_by_test_id("citation").first).to_be_in_viewport()
    ready(page)
    screenshot(page, "phone")


def test_chinese_screenshot(
    server: LiveServer, client: httpx.Client, new_page: Callable[..., Page]
) -> None:
    board_id = board_with_files(
        client, "机器学习读书会", {"机器学习导论.pdf": pdfs.text_pdf(CHINESE_PAGES, cjk=True)}
    )
    page = new_page(locale="zh-CN")
    open_app(page, server.url, board_id)
    expect(page.locator("li[data-testid=file-row]")).to_have_attribute("data-status", "ready")
    turn = ask(page, "训练深度学习模型需要什么？")
    expect(turn).to_have_attribute("data-end", "done")
    turn.get_by_test_id("citation").first.click()
    expect(page.locator("#page-highlight")).to_be_visible()
    expect(page.locator("#page-canvas")).to_have_attribute("data-rendered", "true")
    ready(page)
    screenshot(page, "chinese")
