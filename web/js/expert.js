// The board's expert: one session per board, kept while the page lives, so an answer
// streaming on one board goes on (and is not cancelled) while another board is shown.
// Opening a board shows its history and re-attaches to an answer still being written.

import { api } from "./api.js";
import { Turn } from "./answer.js";
import { ChatPanel, Session } from "./chat.js";
import { $ } from "./dom.js";
import { t } from "./i18n.js";

export class Expert {
  constructor({ root, pingS, confirm, onActivity, onError }) {
    this.root = root;
    this.pingS = pingS;
    this.confirm = confirm;
    this.onActivity = onActivity || (() => {});
    this.onError = onError || (() => {});
    this.sessions = new Map();
    this.board = null;
    this.title = $("#expert-title", root);
    this.clearButton = $("#expert-clear", root);
    this.panel = new ChatPanel(
      root,
      { form: "expert-form", question: "question", ask: "ask", stop: "stop", status: "connection-status", turns: "expert-turns" },
      { empty: () => (this.board ? t("expert.empty", { name: this.board.name }) : t("expert.noBoard")) },
    );
    this.clearButton.addEventListener("click", () => this.clearHistory());
    this.panel.show(null);
    this.updateTitle();
  }

  get session() {
    return this.panel.session;
  }

  async open(board) {
    this.board = board;
    this.updateTitle();
    let session = this.sessions.get(board.board_id);
    const fresh = !session;
    if (fresh) {
      session = new Session({
        kind: "expert",
        boardId: board.board_id,
        pingS: this.pingS,
        onChange: (s) => {
          if (s === this.panel.session) this.panel.update();
          this.onActivity(s.boardId, s.running);
        },
      });
      this.sessions.set(board.board_id, session);
    }
    this.panel.show(session);
    if (fresh) await this.load(session);
  }

  /** History first shown, then the newest running answer followed from its start. */
  async load(session) {
    const id = encodeURIComponent(session.boardId);
    session.el.setAttribute("aria-busy", "true");
    try {
      // Running streams before history: an answer that ends between the two requests
      // is then in the history, and is not attached a second time.
      const { streams } = await api.get("/api/streams", { board_id: session.boardId, state: "running" });
      const { history } = await api.get(`/api/boards/${id}/history`);
      for (const entry of history) {
        session.addTurn(
          Turn.finished({
            question: entry.question,
            answer: entry.answer,
            sources: entry.sources,
            createdAt: entry.created_at,
            end: entry.finish_reason === "interrupted" ? "interrupted" : "done",
            data: { finish_reason: entry.finish_reason, history: true },
          }),
        );
      }
      const running = streams
        .filter((s) => s.kind === "expert" && s.state === "running")
        .sort((a, b) => b.created_at - a.created_at)[0];
      const last = history.at(-1);
      const recorded = running && last && last.question === running.question && last.created_at >= running.created_at;
      if (running && !recorded && !session.running) session.attach(running);
    } catch (error) {
      this.onError(error);
    } finally {
      session.el.removeAttribute("aria-busy");
      if (session === this.panel.session) {
        this.panel.update();
        this.panel.stick(true);
      }
    }
  }

  async clearHistory() {
    const session = this.panel.session;
    if (!session || !this.board) return;
    const ok = await this.confirm(t("expert.clearConfirm", { name: this.board.name }), t("expert.clear"));
    if (!ok) return;
    try {
      await api.del(`/api/boards/${encodeURIComponent(session.boardId)}/history`);
      session.clear();
      this.panel.update();
    } catch (error) {
      this.onError(error);
    }
  }

  renamed(board) {
    if (this.board?.board_id === board.board_id) {
      this.board = board;
      this.updateTitle();
      this.panel.update();
    }
  }

  /** The board is gone: stop following its answers. */
  forget(boardId) {
    const session = this.sessions.get(boardId);
    session?.close();
    this.sessions.delete(boardId);
    if (this.board?.board_id === boardId) {
      this.board = null;
      this.panel.show(null);
      this.updateTitle();
    }
  }

  close() {
    this.board = null;
    this.panel.show(null);
    this.updateTitle();
  }

  updateTitle() {
    this.title.textContent = this.board ? t("expert.title", { name: this.board.name }) : t("expert.titleNone");
    this.clearButton.hidden = !this.board;
    this.panel.question.placeholder = this.board ? t("expert.placeholder") : t("expert.noBoard");
  }

  relabel() {
    this.updateTitle();
    this.panel.update();
    for (const session of this.sessions.values()) for (const turn of session.turns) turn.relabel();
  }
}
