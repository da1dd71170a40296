"""The page under a fast answer: our client in Chromium against the cheapest possible reader.

Run: .venv/bin/python -m bench.web [--deltas N] [--rounds R]

One `bench.apps ours` server streams an assistant answer of N one-character deltas as
fast as it can. Side by side in the same browser, each round:
- ours: the web client at `/`, asked through its assistant panel; it reads the stream with
  fetch in slices that yield to the page, and renders the answer as Markdown once per
  animation frame;
- floor: a bare page whose EventSource appends each delta's text to a <pre>.
Measured in the page: the longest main-thread task (the Long Tasks API), and the time
from the `done` event's dispatch to the whole answer being on screen.
Targets: no task over 200 ms; the final text on screen within 1 s of `done`.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, sync_playwright

from bench.stream import Server
from tests.web.conftest import CHROMIUM_ARGS, DESK, chromium_path

# Installed before any page script: long tasks, and the moment the `done` event is
# dispatched, by the browser's EventSource (a listener added when the source is made runs
# before the page's own) or by a script's dispatchEvent (our client's fetch-based reader).
PROBE = """
window.__longest = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    window.__longest = Math.max(window.__longest, entry.duration);
  }
}).observe({type: "longtask", buffered: true});
window.__doneAt = null;
const Native = window.EventSource;
window.EventSource = class extends Native {
  constructor(...args) {
    super(...args);
    this.addEventListener("done", () => { window.__doneAt = performance.now(); });
  }
};
const dispatch = EventTarget.prototype.dispatchEvent;
EventTarget.prototype.dispatchEvent = function (event) {
  if (event.type === "done" && event instanceof MessageEvent) window.__doneAt = performance.now();
  return dispatch.call(this, event);
};
"""

# Resolves with the time the answer's whole text is on screen, watched once per frame.
SHOWN = """
([selector, length]) => new Promise((resolve) => {
  const check = () => {
    const node = document.querySelector(selector);
    const text = node ? node.textContent.replace(/\\s/g, "") : "";
    if (window.__doneAt !== null && text.length >= length) resolve(performance.now());
    else requestAnimationFrame(check);
  };
  check();
})
"""

FLOOR = """
(question) => {
  const out = document.body.appendChild(document.createElement("pre"));
  out.id = "floor";
  const url = "/api/assistant/stream?question=" + encodeURIComponent(question);
  const source = new EventSource(url);
  source.addEventListener("delta", (e) => { out.textContent += JSON.parse(e.data).text; });
  source.addEventListener("done", () => source.close());
}
"""


def ours(page: Page, url: str, deltas: int) -> tuple[float, float]:
    page.goto(url + "/")
    page.locator("body[data-ready]").wait_for()
    load = page.evaluate("window.__longest")
    page.evaluate("window.__longest = 0")  # what follows is the answer's
    print(f"(longest task while the page loaded: {load:.0f} ms)")
    page.locator("#assistant-tab").click()
    page.locator("#assistant-question").fill(f"count {deltas}")
    page.locator("#assistant-ask").click()
    selector = "#assistant-turns article[data-testid=turn]:last-of-type [data-testid=answer]"
    shown = page.evaluate(SHOWN, [selector, deltas])
    return page.evaluate("window.__longest"), shown - page.evaluate("window.__doneAt")


def floor(page: Page, url: str, deltas: int) -> tuple[float, float]:
    page.goto(url + "/healthz")  # an empty page of the same origin
    page.evaluate(FLOOR, f"count {deltas}")
    shown = page.evaluate(SHOWN, ["#floor", deltas])
    return page.evaluate("window.__longest"), shown - page.evaluate("window.__doneAt")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--deltas", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    results: dict[str, list[tuple[float, float]]] = {"ours": [], "floor": []}
    with tempfile.TemporaryDirectory() as tmp:
        server = Server("ours", Path(tmp))
        try:
            asyncio.run(server.ready())  # before Playwright's sync API holds the loop
            run_rounds(f"http://127.0.0.1:{server.port}", args, results)
        finally:
            server.stop()
    report(results, args)


def run_rounds(url: str, args: Any, results: dict[str, list[tuple[float, float]]]) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            for _ in range(args.rounds):
                for name, run in (("ours", ours), ("floor", floor)):
                    context = browser.new_context(viewport=DESK)
                    page = context.new_page()
                    page.add_init_script(PROBE)
                    results[name].append(run(page, url, args.deltas))
                    context.close()
        finally:
            browser.close()


def report(results: dict[str, list[tuple[float, float]]], args: Any) -> None:
    print(
        f"{args.deltas} deltas into the page, {args.rounds} rounds "
        "(longest main-thread task; done → whole text on screen)\n"
    )
    print("| reader | longest task, median ms | longest task, worst ms | done → shown, median ms |")
    print("|---|---|---|---|")
    for name, label in (("ours", "our web client (Markdown)"), ("floor", "bare EventSource")):
        longest = [r[0] for r in results[name]]
        shown = [r[1] for r in results[name]]
        print(
            f"| {label} | {statistics.median(longest):.0f} | {max(longest):.0f} "
            f"| {statistics.median(shown):.0f} |"
        )


if __name__ == "__main__":
    main()
