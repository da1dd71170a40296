// The global assistant: one conversation across every board. The service keeps no
// history for it, so finished exchanges are kept in this browser (localStorage), and the
// stream being read is remembered for this tab (sessionStorage) so a reload re-attaches.
// A proposed command (create, rename, delete a board) is carried out only on Confirm.

import { api } from "./api.js";
import { Turn } from "./answer.js";
import { ChatPanel, Session } from "./chat.js";
import { $, h, store } from "./dom.js";
import { t } from "./i18n.js";

const SAVED_KEY = "boardroom.assistant";
const STREAM_KEY = "boardroom.assistant.stream";
const KEEP = 30;

const session$ = {
  get() {
    try {
      return sessionStorage.getItem(STREAM_KEY);
    } catch {
      return null;
    }
  },
  set(id) {
    try {
      if (id) sessionStorage.setItem(STREAM_KEY, id);
      else sessionStorage.removeItem(STREAM_KEY);
    } catch {
      // No session storage: a reload will not re-attach.
    }
  },
};

export class Assistant {
  constructor({ root, pingS, boardName, onBoardsChanged, confirm, onError }) {
    this.boardName = boardName;
    this.onBoardsChanged = onBoardsChanged || (() => {});
    this.confirm = confirm;
    this.onError = onError || (() => {});
    this.panel = new ChatPanel(
      root,
      {
        form: "assistant-form",
        question: "assistant-question",
        ask: "assistant-ask",
        stop: "assistant-stop",
        status: "assistant-connection-status",
        turns: "assistant-turns",
      },
      { empty: () => t("assistant.empty") },
    );
    this.session = new Session({
      kind: "assistant",
      pingS,
      onChange: () => this.panel.update(),
      onStream: (s) => session$.set(s?.streamId || null),
      onEnd: (turn, name, data) => {
        turn.endedAt = Date.now() / 1000;
        if (name === "done" && data.command) {
          turn.command = { command: data.command, state: "proposed" };
          this.showCommand(turn);
        }
        this.save();
      },
    });
    $("#assistant-clear", root).addEventListener("click", () => this.clear());
    this.restore();
    this.panel.show(this.session);
  }

  restore() {
    for (const saved of store.get(SAVED_KEY, []) || []) {
      const turn = Turn.finished({
        question: saved.question,
        answer: saved.answer,
        sources: saved.sources,
        createdAt: saved.at,
        end: saved.end,
        data: { ...(saved.data || {}), history: true },
      });
      turn.streamId = saved.streamId;
      turn.endedAt = saved.at;
      if (saved.command) {
        turn.command = saved.command;
        this.showCommand(turn);
      }
      this.session.addTurn(turn);
    }
  }

  /** After a reload: follow again the stream this tab was reading, from its start. */
  async reattach() {
    const id = session$.get();
    if (!id || this.session.running) return;
    if (this.session.turns.some((turn) => turn.streamId === id)) {
      session$.set(null);
      return;
    }
    try {
      const info = await api.get(`/api/streams/${encodeURIComponent(id)}`);
      if (info.kind === "assistant" && !this.session.running) this.session.attach(info);
    } catch {
      session$.set(null); // expired: nothing to re-attach
    }
  }

  save() {
    const done = this.session.turns.filter((turn) => turn.ended && turn.ended.kind !== "error");
    store.set(
      SAVED_KEY,
      done.slice(-KEEP).map((turn) => ({
        question: turn.question,
        answer: turn.text,
        sources: turn.sources,
        end: turn.ended.kind,
        data: { finish_reason: turn.ended.data.finish_reason ?? null, reason: turn.ended.data.reason ?? null },
        at: turn.endedAt || Date.now() / 1000,
        streamId: turn.streamId || null,
        command: turn.command || null,
      })),
    );
  }

  async clear() {
    if (!this.session.turns.length) return;
    if (!(await this.confirm(t("assistant.clearConfirm"), t("assistant.clear")))) return;
    this.session.clear();
    this.save();
    this.panel.update();
  }

  describe(command) {
    const name = (id) => this.boardName(id) || id;
    switch (command.action) {
      case "create_board":
        return t("command.create", { name: command.name });
      case "rename_board":
        return t("command.rename", { old: name(command.board_id), name: command.name });
      case "delete_board":
        return t("command.delete", { name: name(command.board_id) });
      default:
        return t("command.unknown", { action: String(command.action) });
    }
  }

  showCommand(turn) {
    const state = turn.command;
    const result = h("p", { class: "command-result", role: "status" });
    const confirm = h("button", { type: "button", class: "button primary small", "data-testid": "command-confirm" }, t("command.confirm"));
    const dismiss = h("button", { type: "button", class: "button small", "data-testid": "command-dismiss" }, t("command.dismiss"));
    const actions = h("div", { class: "command-actions" }, confirm, dismiss);
    const card = h(
      "div",
      { class: "command", "data-testid": "command", "data-state": state.state },
      h("p", { class: "command-label" }, t("command.proposed")),
      h("p", { class: "command-text" }, this.describe(state.command)),
      actions,
      result,
    );
    const settle = (next, message) => {
      state.state = next;
      state.message = message;
      card.dataset.state = next;
      actions.hidden = next !== "proposed";
      result.textContent = message || "";
      this.save();
    };
    if (state.state !== "proposed") settle(state.state, state.message);
    dismiss.addEventListener("click", () => settle("dismissed", t("command.dismissed")));
    confirm.addEventListener("click", async () => {
      confirm.disabled = dismiss.disabled = true;
      try {
        const done = await api.post("/api/assistant/commands", { command: state.command });
        settle("done", t(`command.done.${done.action}`, { name: done.board?.name || "" }));
        this.onBoardsChanged(done);
      } catch (error) {
        confirm.disabled = dismiss.disabled = false;
        result.textContent = error.message;
      }
    });
    turn.commandSlot.replaceChildren(card);
  }

  relabel() {
    this.panel.update();
    for (const turn of this.session.turns) {
      turn.relabel();
      if (turn.command) this.showCommand(turn);
    }
  }
}
