// Server-Sent Events that never lose an answer.
//
// A board's feed is read with the browser's EventSource; an answer with SlicedEventSource
// (sse.js), which reads the same events with fetch and yields to the page as it hands them
// over, so a fast answer never freezes it. EventSource reconnects by itself after a
// dropped connection, sending Last-Event-ID, and the server resumes exactly after that
// event; both give up for good (readyState CLOSED) on an HTTP error or a 204, and
// SlicedEventSource on any dropped connection. Here:
//   - every event's number n (from the id `<stream_id>:<n>`, or a bare n on a board's
//     feed) is tracked, and an event with n <= the last one seen is ignored: a resumed
//     stream never shows a gap or a duplicate;
//   - EventSource's own connection error and the server's terminal `event: error` both
//     arrive on the listener "error": the server's is a MessageEvent with data, and ends
//     the stream; a connection error never does: the state goes "reconnecting", and when
//     EventSource has given up we ask the service what became of the stream and reopen
//     it ourselves with `last_event_id` in the URL (with a growing delay);
//   - a watchdog reopens the stream when nothing came for 2 × ping_s (for an answer,
//     `: ping` comments count: SlicedEventSource reports them; EventSource cannot);
//   - the stream is reopened as soon as the tab becomes visible or the network comes
//     back, if it is not open.

import { api, eventUrl } from "./api.js";
import { SlicedEventSource } from "./sse.js";

export const State = Object.freeze({
  CONNECTING: "connecting",
  OPEN: "open",
  RECONNECTING: "reconnecting",
  ENDED: "ended",
});

const MAX_BACKOFF_MS = 10000;

class ResumableSource {
  /**
   * @param {object} o
   * @param {string[]} o.events      event names to listen to (besides "error")
   * @param {number} o.watchdogMs    reopen after this long without an event (0: never)
   * @param {(name: string, data: object, n: number|null) => void} o.onEvent
   * @param {(state: string) => void} [o.onState]
   */
  constructor({ events, watchdogMs = 30000, onEvent, onState, Transport = EventSource }) {
    this.events = events;
    this.Transport = Transport;
    this.watchdogMs = watchdogMs;
    this.onEvent = onEvent;
    this.onState = onState || (() => {});
    this.state = null;
    this.es = null;
    this.lastN = 0;
    this.dedupe = true;
    this.ended = false;
    this.failures = 0;
    this.watchdog = 0;
    this.lastSeen = 0;
    this.retryTimer = 0;
    this.recovering = false;
    this.onVisible = () => {
      if (document.visibilityState === "visible") this.ensureOpen();
    };
    this.onOnline = () => this.ensureOpen();
  }

  /** Open the stream; events after `after` (0: from the beginning, or from now). */
  start(after = 0) {
    this.lastN = after;
    this.setState(State.CONNECTING);
    document.addEventListener("visibilitychange", this.onVisible);
    window.addEventListener("online", this.onOnline);
    this.open();
    return this;
  }

  /** Stop listening for good (the page no longer shows this stream). */
  close() {
    this.end();
  }

  get isOpen() {
    return !!this.es && this.es.readyState === this.Transport.OPEN;
  }

  // --- for subclasses -------------------------------------------------------------

  url() {
    throw new Error("url() is required");
  }

  isTerminal(name) {
    return false;
  }

  eventNumber(lastEventId) {
    const n = Number.parseInt(String(lastEventId).split(":").pop(), 10);
    return Number.isFinite(n) ? n : null;
  }

  /** EventSource gave up (HTTP error or 204): find out why, then reopen or end. */
  async recover() {
    this.open();
  }

  /** Whether silence is suspicious now (the watchdog runs only then). */
  expectsEvents() {
    return true;
  }

  // --- the machinery --------------------------------------------------------------

  setState(state) {
    if (state === this.state) return;
    this.state = state;
    this.onState(state);
  }

  open() {
    if (this.ended) return;
    clearTimeout(this.retryTimer);
    this.closeSource();
    const es = new this.Transport(this.url());
    this.es = es;
    es.addEventListener("open", () => {
      if (es !== this.es || this.ended) return;
      this.setState(State.OPEN);
      this.arm();
    });
    es.addEventListener("comment", () => {
      if (es === this.es && !this.ended) this.arm(); // a heartbeat: the connection lives
    });
    for (const name of this.events) {
      es.addEventListener(name, (e) => this.receive(es, name, e));
    }
    es.addEventListener("error", (e) => {
      if (es !== this.es || this.ended) return;
      if (e instanceof MessageEvent && e.data) {
        this.receive(es, "error", e); // the server's terminal `event: error`
      } else {
        this.connectionError(es); // the connection: never the end of the stream
      }
    });
    this.arm();
  }

  receive(es, name, e) {
    if (es !== this.es || this.ended) return;
    const n = this.eventNumber(e.lastEventId);
    this.arm();
    if (n !== null) {
      if (this.dedupe && n <= this.lastN) return; // already seen before a reconnect
      this.lastN = n;
    }
    this.failures = 0;
    let data = {};
    try {
      data = JSON.parse(e.data);
    } catch {
      // A malformed event carries nothing we can use, but it still counts as seen.
    }
    const terminal = this.isTerminal(name);
    if (terminal) this.end();
    else this.setState(State.OPEN);
    this.onEvent(name, data, n);
  }

  connectionError(es) {
    this.setState(State.RECONNECTING);
    if (es.readyState === this.Transport.CLOSED) this.scheduleRecover();
    // Otherwise EventSource is already reconnecting with Last-Event-ID; the watchdog
    // reopens it if that attempt hangs.
  }

  scheduleRecover() {
    if (this.ended) return;
    this.closeSource();
    clearTimeout(this.retryTimer);
    const delay = Math.min(MAX_BACKOFF_MS, 500 * 2 ** this.failures) * (0.8 + Math.random() * 0.4);
    this.failures++;
    this.retryTimer = setTimeout(() => this.runRecover(), this.failures === 1 ? 0 : delay);
  }

  async runRecover() {
    if (this.ended || this.recovering) return;
    this.recovering = true;
    try {
      await this.recover();
    } finally {
      this.recovering = false;
    }
  }

  /** Reopen now unless the connection is open (tab visible again, network back). */
  ensureOpen() {
    if (this.ended || this.isOpen) return;
    this.setState(State.RECONNECTING);
    this.failures = 0;
    this.open();
  }

  /** Note that the stream is alive; the watchdog fires after watchdogMs of silence. */
  arm() {
    this.lastSeen = performance.now();
    if (this.ended || !this.watchdogMs || this.watchdog) return;
    // One timer per silence, not one per event: a fast stream costs no timer churn.
    const check = () => {
      this.watchdog = 0;
      if (this.ended) return;
      const quiet = performance.now() - this.lastSeen;
      if (quiet < this.watchdogMs || !this.expectsEvents()) {
        this.watchdog = setTimeout(check, Math.max(50, this.watchdogMs - (quiet % this.watchdogMs)));
        return;
      }
      // Silence past twice the heartbeat: the connection may be dead without an error.
      // Reopening a healthy stream is harmless: it resumes after the last event.
      this.setState(State.RECONNECTING);
      this.open();
    };
    this.watchdog = setTimeout(check, this.watchdogMs);
  }

  closeSource() {
    if (this.es) {
      this.es.close();
      this.es = null;
    }
  }

  end() {
    if (this.ended) return;
    this.ended = true;
    clearTimeout(this.watchdog);
    this.watchdog = 0;
    clearTimeout(this.retryTimer);
    this.closeSource();
    document.removeEventListener("visibilitychange", this.onVisible);
    window.removeEventListener("online", this.onOnline);
    this.setState(State.ENDED);
  }
}

const ANSWER_EVENTS = ["start", "step", "context", "delta", "done", "cancelled"];
const TERMINAL = new Set(["done", "error", "cancelled"]);

/**
 * One question's answer stream (expert or assistant), read from event `after` on.
 *
 *   new AnswerStream({kind, streamId, pingS, onEvent, onState}).start()
 *
 * onEvent(name, data) gets start, step, context, delta, then exactly one of done,
 * error, cancelled (after which the stream is closed). If the stream expired before
 * we could read its end, onEvent("error", {code: "stream_lost", …}) ends it.
 */
export class AnswerStream extends ResumableSource {
  constructor({ kind, streamId, pingS = 15, onEvent, onState }) {
    super({
      events: ANSWER_EVENTS,
      watchdogMs: 2 * pingS * 1000,
      onEvent,
      onState,
      Transport: SlicedEventSource,
    });
    this.kind = kind;
    this.streamId = streamId;
  }

  url() {
    const last = this.lastN > 0 ? `${this.streamId}:${this.lastN}` : undefined;
    return eventUrl(`/api/${this.kind}/stream`, { stream_id: this.streamId, last_event_id: last });
  }

  isTerminal(name) {
    return TERMINAL.has(name);
  }

  eventNumber(lastEventId) {
    const id = lastEventId || "";
    const cut = id.lastIndexOf(":");
    if (cut >= 0 && (cut !== this.streamId.length || !id.startsWith(this.streamId))) return null;
    const n = +id.slice(cut + 1);
    return Number.isInteger(n) ? n : null;
  }

  async recover() {
    let info;
    try {
      info = await api.get(`/api/streams/${encodeURIComponent(this.streamId)}`);
    } catch (error) {
      if (this.ended) return;
      if (error.status === 404) {
        // Expired or unknown: nothing more can come.
        this.end();
        this.onEvent("error", { code: "stream_lost", message: error.message, retryable: true }, null);
      } else {
        this.scheduleRecover(); // the service is unreachable: try again later
      }
      return;
    }
    if (this.ended) return;
    if (info.state !== "running" && info.events <= this.lastN) {
      // A 204: the stream is over and everything was read. Its terminal event was
      // among what we read, so this only happens if that event was malformed.
      this.end();
      const data = { code: "ended", message: "", retryable: true, reason: "unknown", answer: null };
      this.onEvent(info.state === "done" ? "done" : info.state, data, null);
      return;
    }
    this.open();
  }

  /** The stop button: the stream then ends with `cancelled {reason: stop}`. */
  cancel() {
    return api.post(`/api/streams/${encodeURIComponent(this.streamId)}/cancel`);
  }
}

const FEED_EVENTS = ["file.progress", "file.ready", "file.failed", "context.updated", "board.deleted"];

/**
 * A board's live events, from now on; resumed after the last one seen on reconnect.
 * `expectsEvents()` tells the watchdog whether silence is suspicious (files being
 * ingested); an idle board is quiet by nature.
 */
export class BoardFeed extends ResumableSource {
  constructor({ boardId, pingS = 15, expectsEvents, onEvent, onState, onReopen }) {
    super({ events: FEED_EVENTS, watchdogMs: 2 * pingS * 1000, onEvent, onState });
    this.boardId = boardId;
    // A board's events are notifications, not text: none is dropped, even if the
    // service restarted and its numbering began again (the files are fetched again on
    // every reconnect anyway).
    this.dedupe = false;
    this.busy = expectsEvents || (() => false);
    this.onReopen = onReopen || (() => {});
    this.opened = 0;
  }

  open() {
    super.open();
    const es = this.es;
    es?.addEventListener("open", () => {
      // Anything older than the feed's memory is fetched again by the caller.
      if (es === this.es && this.opened++ > 0) this.onReopen();
    });
  }

  url() {
    const path = `/api/boards/${encodeURIComponent(this.boardId)}/events`;
    return eventUrl(path, { last_event_id: this.lastN > 0 ? this.lastN : undefined });
  }

  isTerminal(name) {
    return name === "board.deleted";
  }

  expectsEvents() {
    return this.busy();
  }

  async recover() {
    try {
      await api.get(`/api/boards/${encodeURIComponent(this.boardId)}`);
    } catch (error) {
      if (this.ended) return;
      if (error.status === 404) {
        this.end();
        this.onEvent("board.deleted", { board_id: this.boardId }, null);
      } else {
        this.scheduleRecover();
      }
      return;
    }
    if (!this.ended) this.open();
  }
}
