// One exchange on screen: the question, the live timeline of steps, the answer as it
// streams (rendered at most once per animation frame), its sources and how it ended.

import { h, sentence } from "./dom.js";
import { fmtMs, fmtTime, t } from "./i18n.js";
import { MarkdownView } from "./render.js";

const turns = new WeakMap();

/** The Turn an element (a citation, a source) belongs to. */
export function turnOf(el) {
  const article = el?.closest?.("article.turn");
  return article ? turns.get(article) : null;
}

/** A step's label: ours for the known names, the server's message otherwise. */
function stepLabel(data) {
  const name = String(data.name || "");
  const base = name.replace(/^(tool|expert):/, "");
  const key = name.startsWith("tool:") ? "step.tool" : `step.${base}`;
  const known = t(key, { name: base });
  return known === key ? null : known;
}

export class Turn {
  /**
   * @param {object} o
   * @param {string} o.question
   * @param {() => void} [o.onRender]  called after the answer's DOM changed
   * @param {() => void} [o.onRetry]   shown as a Retry button after a retryable error
   * @param {number} [o.createdAt]     Unix seconds
   */
  constructor({ question, onRender, onRetry, createdAt }) {
    this.question = question;
    this.onRender = onRender || (() => {});
    this.onRetry = onRetry;
    this.text = "";
    this.sources = [];
    this.steps = [];
    this.ended = null; // {kind: done|error|cancelled|interrupted, data}
    this.frame = 0;
    this.delayTimer = 0;
    this.nextRenderAt = 0;

    this.stepsList = h("ol", { class: "steps-list" });
    this.stepsSummary = h("summary", {}, t("answer.steps"));
    this.stepsBox = h(
      "details",
      { class: "steps", "data-testid": "steps", hidden: true, open: true },
      this.stepsSummary,
      this.stepsList,
    );
    this.answerEl = h("div", { class: "answer markdown", "data-testid": "answer" });
    this.view = new MarkdownView(this.answerEl);
    this.sourcesList = h("ul", { class: "sources-list" });
    this.sourcesBox = h(
      "section",
      { class: "sources", "data-testid": "sources", hidden: true },
      h("h4", { class: "sources-title" }, t("answer.sources")),
      this.sourcesList,
    );
    this.statusEl = h("p", { class: "turn-status", "data-testid": "turn-status" });
    this.actions = h("div", { class: "turn-actions" });
    this.commandSlot = h("div", { class: "command-slot" });
    const time = createdAt
      ? h("time", { class: "turn-time", datetime: new Date(createdAt * 1000).toISOString() }, fmtTime(createdAt))
      : null;
    this.el = h(
      "article",
      { class: "turn", "data-testid": "turn" },
      h("div", { class: "question-bubble" }, h("p", { class: "question-text" }, question), time),
      this.stepsBox,
      this.answerEl,
      this.sourcesBox,
      h("footer", { class: "turn-foot" }, this.statusEl, this.actions),
      this.commandSlot,
    );
    turns.set(this.el, this);
  }

  get running() {
    return !this.ended;
  }

  // --- live events ----------------------------------------------------------------

  begin() {
    this.el.classList.add("streaming");
    this.answerEl.setAttribute("aria-busy", "true");
    this.setStatus(t("answer.thinking"), "running");
    this.answerEl.append(h("span", { class: "typing", "aria-hidden": "true" }, h("i"), h("i"), h("i")));
  }

  step(data) {
    this.steps.push(data);
    const label = stepLabel(data);
    const message = String(data.message || data.name || "");
    const status = ["success", "warning", "error"].includes(data.status) ? data.status : "info";
    this.stepsList.append(
      h(
        "li",
        { class: `step step-${status}`, "data-testid": "step", "data-status": status },
        h("span", { class: "step-dot", "aria-hidden": "true" }),
        h("span", { class: "step-message" }, label || message),
        label && label !== message ? h("span", { class: "step-detail" }, message) : null,
        h("span", { class: "step-time" }, fmtMs(data.elapsed_ms)),
      ),
    );
    this.stepsBox.hidden = false;
    this.updateStepsSummary();
  }

  updateStepsSummary() {
    const last = this.steps.at(-1);
    const elapsed = last ? fmtMs(last.elapsed_ms) : "";
    this.stepsSummary.textContent = t("answer.stepsCount", { n: this.steps.length, time: elapsed });
  }

  setSources(sources) {
    this.sources = Array.isArray(sources) ? sources : [];
    this.sourcesList.replaceChildren(
      ...this.sources.map((s, i) =>
        h(
          "li",
          {},
          h(
            "button",
            {
              type: "button",
              class: "source",
              "data-testid": "source",
              "data-index": String(i),
              title: s.snippet || "",
            },
            s.kind === "note"
              ? [h("span", { class: "source-kind" }, t("cite.noteShort")), " ", s.filename]
              : [h("span", { class: "source-file" }, s.filename), h("span", { class: "cite-page" }, `p.${s.page}`)],
          ),
        ),
      ),
    );
    this.sourcesBox.hidden = this.sources.length === 0;
  }

  delta(text) {
    if (!text) return;
    this.text += text;
    this.schedule();
  }

  /** Render on the next animation frame, spacing renders out when they get expensive. */
  schedule() {
    if (this.frame || this.delayTimer) return;
    const wait = this.nextRenderAt - performance.now();
    if (wait > 0) {
      this.delayTimer = setTimeout(() => {
        this.delayTimer = 0;
        this.schedule();
      }, wait);
      return;
    }
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.flush();
    });
  }

  flush() {
    cancelAnimationFrame(this.frame);
    clearTimeout(this.delayTimer);
    this.frame = this.delayTimer = 0;
    const start = performance.now();
    this.answerEl.querySelector(":scope > .typing")?.remove();
    const changed = this.view.render(this.text);
    const cost = performance.now() - start;
    this.nextRenderAt = performance.now() + (cost > 8 ? cost * 3 : 0);
    if (changed) this.onRender();
  }

  // --- the end ------------------------------------------------------------------------

  finish(kind, data = {}) {
    if (this.ended) return;
    this.ended = { kind, data };
    if (kind === "done" && typeof data.answer === "string") this.text = data.answer;
    this.flush();
    this.el.classList.remove("streaming");
    this.el.dataset.end = kind;
    this.answerEl.removeAttribute("aria-busy");
    if (this.steps.length) this.stepsBox.open = false;
    this.actions.replaceChildren();
    if (kind === "done") {
      const cut = data.finish_reason && !["stop", null].includes(data.finish_reason);
      const took = data.duration_ms ? t("answer.doneIn", { time: fmtMs(data.duration_ms) }) : t("answer.done");
      const text = cut ? `${took} · ${t("answer.cut", { reason: data.finish_reason })}` : took;
      this.setStatus(data.history ? "" : text, "done");
      if (!this.text.trim()) this.view.render(`*${t("answer.empty")}*`);
    } else if (kind === "cancelled") {
      const reason = data.reason && data.reason !== "stop" ? t(`cancel.${data.reason}`) : "";
      this.setStatus(reason ? `${t("answer.stopped")} · ${reason}` : t("answer.stopped"), "cancelled");
    } else if (kind === "interrupted") {
      this.setStatus(t("answer.interrupted"), "cancelled");
    } else {
      this.setStatus(sentence(data.message) || t("answer.failed"), "error");
      if (data.retryable && this.onRetry) {
        this.actions.append(
          h("button", { type: "button", class: "button small", "data-testid": "retry", onclick: () => this.onRetry() }, t("answer.retry")),
        );
      }
    }
  }

  setStatus(text, kind) {
    this.statusEl.textContent = text;
    this.statusEl.dataset.state = kind;
  }

  /** A finished answer from history (or from storage). */
  static finished({ question, answer, sources, createdAt, end = "done", data = {} }) {
    const turn = new Turn({ question, createdAt });
    turn.setSources(sources || []);
    turn.text = answer || "";
    turn.finish(end, data);
    return turn;
  }

  /** After a language change: the labels this turn wrote itself. */
  relabel() {
    this.sourcesBox.querySelector(".sources-title").textContent = t("answer.sources");
    if (this.steps.length) this.updateStepsSummary();
    if (this.ended) {
      const { kind, data } = this.ended;
      this.ended = null;
      const text = this.text;
      this.finish(kind, data);
      this.text = text;
    }
  }
}
