// Asking: a Session is one conversation (a board's expert, or the assistant) with its
// turns and its live stream; a ChatPanel is the form and status that show a session.
// The expert and the assistant share both.

import { api } from "./api.js";
import { Turn } from "./answer.js";
import { $, announce, h, uuid } from "./dom.js";
import { t } from "./i18n.js";
import { AnswerStream, State } from "./stream.js";

export class Session {
  /**
   * @param {object} o
   * @param {"expert"|"assistant"} o.kind
   * @param {string|null} o.boardId
   * @param {() => number} o.pingS           the heartbeat period, from /healthz
   * @param {(s: Session) => void} o.onChange running state or connection changed
   * @param {(turn: Turn, name: string, data: object) => void} [o.onEnd]
   * @param {(stream: object|null) => void} [o.onStream] a stream was attached / ended
   */
  constructor({ kind, boardId = null, pingS, onChange, onEnd, onStream }) {
    this.kind = kind;
    this.boardId = boardId;
    this.pingS = pingS;
    this.onChange = onChange || (() => {});
    this.onEnd = onEnd || (() => {});
    this.onStream = onStream || (() => {});
    this.turns = [];
    this.current = null; // {turn, stream, streamId, stopping}
    this.pending = null; // {question, key}: a submit that failed, retried with the same key
    this.connection = null;
    this.stick = () => {};
    this.el = h("div", { class: "session" });
  }

  get running() {
    return !!this.current;
  }

  addTurn(turn) {
    this.turns.push(turn);
    this.el.append(turn.el);
    return turn;
  }

  clear() {
    for (const turn of this.turns.filter((x) => x !== this.current?.turn)) turn.el.remove();
    this.turns = this.current ? [this.current.turn] : [];
  }

  /** Ask a question; one at a time per session. */
  async ask(question) {
    question = question.trim();
    if (!question || this.running) return false;
    const key = this.pending?.question === question ? this.pending.key : uuid();
    this.pending = { question, key };
    const turn = this.addTurn(new Turn({ question, onRender: () => this.stick() }));
    turn.begin();
    this.current = { turn, stream: null, streamId: null, stopping: false };
    this.setConnection(State.CONNECTING);
    this.stick("asked");
    const body = this.kind === "expert" ? { board_id: this.boardId, question } : { question };
    let answer;
    try {
      answer = await api.post(`/api/${this.kind}/questions`, body, { "Idempotency-Key": key });
    } catch (error) {
      // Not started (or not known to be): Retry submits again with the same key, so a
      // question that did reach the service is not asked twice.
      this.current = null;
      this.setConnection(null);
      turn.onRetry = () => {
        turn.el.remove();
        this.turns = this.turns.filter((x) => x !== turn);
        this.ask(question);
      };
      const wait = error.retryAfter ? ` ${t("error.retryAfter", { s: error.retryAfter })}` : "";
      turn.finish("error", { message: error.message + wait, retryable: error.status !== 422 && error.status !== 404 });
      this.onChange(this);
      return false;
    }
    this.pending = null;
    this.follow(answer.stream_id, turn);
    return true;
  }

  /** Read a stream into a turn; from the start when re-attaching after a reload. */
  attach(info) {
    if (this.running) return;
    const turn = this.addTurn(
      new Turn({ question: info.question || "", createdAt: info.created_at, onRender: () => this.stick() }),
    );
    turn.begin();
    this.current = { turn, stream: null, streamId: info.stream_id, stopping: false };
    this.follow(info.stream_id, turn);
  }

  follow(streamId, turn) {
    turn.onRetry = () => this.ask(turn.question);
    turn.streamId = streamId;
    const stopAtOnce = !!this.current?.stopping; // Stop was pressed while submitting
    const stream = new AnswerStream({
      kind: this.kind,
      streamId,
      pingS: this.pingS(),
      onState: (state) => this.setConnection(state),
      onEvent: (name, data) => this.receive(turn, name, data),
    });
    this.current = { turn, stream, streamId, stopping: false };
    this.onStream({ streamId, question: turn.question });
    stream.start(0);
    this.onChange(this);
    if (stopAtOnce) this.stop();
  }

  receive(turn, name, data) {
    switch (name) {
      case "start":
        if (!turn.question && data.question) {
          turn.question = data.question;
          turn.el.querySelector(".question-text").textContent = data.question;
        }
        break;
      case "step":
        turn.step(data);
        this.stick();
        break;
      case "context":
        turn.setSources(data.sources);
        break;
      case "delta":
        turn.delta(data.text);
        break;
      case "done":
      case "error":
      case "cancelled":
        turn.finish(name, data);
        announce(turn.statusEl.textContent || t("answer.done"));
        if (this.current?.turn === turn) this.current = null;
        this.setConnection(null);
        this.onStream(null);
        this.onEnd(turn, name, data);
        this.onChange(this);
        this.stick();
        break;
    }
  }

  setConnection(state) {
    this.connection = state === State.ENDED ? null : state;
    this.onChange(this);
  }

  /** The Stop button (and Esc). */
  async stop() {
    const current = this.current;
    if (!current || current.stopping) return;
    current.stopping = true;
    this.onChange(this);
    if (!current.stream) return; // still submitting: stopped once it starts
    try {
      await current.stream.cancel();
    } catch (error) {
      current.stopping = false;
      current.turn.setStatus(error.message, "error");
      this.onChange(this);
    }
  }

  /** The page no longer shows this session (its board was deleted). */
  close() {
    this.current?.stream?.close();
    this.current = null;
  }
}

/**
 * The form and the status of a conversation panel. `ids` name its elements:
 * {form, question, ask, stop, status, turns}.
 */
export class ChatPanel {
  constructor(root, ids, { empty }) {
    this.root = root;
    this.form = $(`#${ids.form}`, root);
    this.question = $(`#${ids.question}`, root);
    this.askButton = $(`#${ids.ask}`, root);
    this.stopButton = $(`#${ids.stop}`, root);
    this.status = $(`#${ids.status}`, root);
    this.turnsBox = $(`#${ids.turns}`, root);
    this.empty = empty;
    this.session = null;
    this.form.addEventListener("submit", (e) => {
      e.preventDefault();
      this.submit();
    });
    this.question.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
        e.preventDefault();
        this.submit();
      } else if (e.key === "Escape" && this.session?.running) {
        e.preventDefault();
        e.stopPropagation();
        this.session.stop();
      }
    });
    this.question.addEventListener("input", () => this.update());
    this.stopButton.addEventListener("click", () => this.session?.stop());
    this.turnsBox.addEventListener("scroll", () => {
      const box = this.turnsBox;
      this.pinned = box.scrollHeight - box.scrollTop - box.clientHeight < 80;
    });
    this.pinned = true;
  }

  async submit() {
    const session = this.session;
    const text = this.question.value.trim();
    if (!session || !text || session.running) return;
    this.question.value = "";
    const started = await session.ask(text);
    if (!started && !session.turns.length) this.question.value = text;
    this.update();
  }

  show(session) {
    if (this.session) this.session.stick = () => {};
    this.session = session;
    this.turnsBox.replaceChildren();
    if (session) {
      session.stick = (force) => this.stick(force);
      this.turnsBox.append(this.emptyState(), session.el);
    }
    this.update();
    this.stick(true);
  }

  emptyState() {
    this.emptyEl = h("div", { class: "chat-empty" }, h("p", {}, this.empty()));
    return this.emptyEl;
  }

  /** Keep the newest text in view while the user has not scrolled up. */
  stick(force = false) {
    if (!force && !this.pinned) return;
    this.pinned = true;
    const box = this.turnsBox;
    if (box.scrollHeight > box.clientHeight + 1) {
      box.scrollTop = box.scrollHeight;
    } else if (force === "asked") {
      // One column (a phone): the page scrolls, not the panel; show the new question.
      this.session?.turns.at(-1)?.el.scrollIntoView({ block: "nearest" });
    }
  }

  update() {
    const s = this.session;
    const running = !!s?.running;
    this.question.disabled = !s;
    this.askButton.disabled = !s || running || !this.question.value.trim();
    this.askButton.setAttribute("aria-disabled", String(this.askButton.disabled));
    this.stopButton.hidden = !running;
    this.stopButton.disabled = !!s?.current?.stopping;
    this.stopButton.textContent = s?.current?.stopping ? t("chat.stopping") : t("chat.stop");
    if (this.emptyEl) {
      this.emptyEl.hidden = !!s?.turns.length;
      this.emptyEl.firstChild.textContent = this.empty();
    }
    const state = running ? s.connection : null;
    this.status.dataset.state = state || "idle";
    this.status.textContent = state ? t(`conn.${state}`) : "";
    this.status.hidden = !state;
  }
}
