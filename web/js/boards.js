// The boards sidebar: the list (links to #/b/<board_id>) and the new-board form.

import { api } from "./api.js";
import { $, h } from "./dom.js";
import { t } from "./i18n.js";

export class BoardList {
  constructor(root, { onCreated, onError }) {
    this.root = root;
    this.list = $("#board-list", root);
    this.empty = $("#boards-empty", root);
    this.form = $("#new-board-form", root);
    this.input = $("#new-board-name", root);
    this.onCreated = onCreated || (() => {});
    this.onError = onError;
    this.boards = [];
    this.active = null;
    this.answering = new Set();
    this.loaded = false;
    this.form.addEventListener("submit", (e) => {
      e.preventDefault();
      this.create();
    });
  }

  async refresh() {
    try {
      const { boards } = await api.get("/api/boards");
      this.boards = boards;
      this.loaded = true;
      this.render();
    } catch (error) {
      this.onError(error);
    }
    return this.boards;
  }

  get(boardId) {
    return this.boards.find((b) => b.board_id === boardId) || null;
  }

  name(boardId) {
    return this.get(boardId)?.name || null;
  }

  /** Replace one board's record (after a rename, or new counts). */
  update(board) {
    this.boards = this.boards.map((b) => (b.board_id === board.board_id ? { ...b, ...board } : b));
    this.render();
  }

  remove(boardId) {
    this.boards = this.boards.filter((b) => b.board_id !== boardId);
    this.render();
  }

  setActive(boardId) {
    this.active = boardId;
    this.render();
  }

  setAnswering(boardId, on) {
    if (on === this.answering.has(boardId)) return;
    if (on) this.answering.add(boardId);
    else this.answering.delete(boardId);
    this.render();
  }

  async create() {
    const name = this.input.value.trim();
    if (!name) {
      this.input.focus();
      return;
    }
    const button = $("#new-board-create", this.root);
    button.disabled = true;
    try {
      const board = await api.post("/api/boards", { name });
      this.input.value = "";
      this.boards = [...this.boards.filter((b) => b.board_id !== board.board_id), board];
      this.render();
      this.onCreated(board);
    } catch (error) {
      this.onError(error);
    } finally {
      button.disabled = false;
    }
  }

  render() {
    const sorted = [...this.boards].sort((a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: "base", numeric: true }));
    const focused = document.activeElement?.closest?.("#board-list a")?.dataset.boardId;
    this.list.replaceChildren(
      ...sorted.map((board) => {
        const answering = this.answering.has(board.board_id);
        const meta = t("boards.meta", {
          files: t("boards.files", { n: board.files }),
          notes: t("boards.notes", { n: board.notes }),
        });
        return h(
          "li",
          {},
          h(
            "a",
            {
              class: "board-link",
              href: `#/b/${encodeURIComponent(board.board_id)}`,
              "data-testid": "board-item",
              "data-board-id": board.board_id,
              "aria-current": board.board_id === this.active ? "page" : false,
            },
            h("span", { class: "board-name" }, board.name),
            h("span", { class: "board-meta" }, meta),
            answering
              ? h("span", { class: "board-live", title: t("boards.answering") }, h("span", { class: "visually-hidden" }, t("boards.answering")))
              : null,
          ),
        );
      }),
    );
    if (focused) this.list.querySelector(`a[data-board-id="${CSS.escape(focused)}"]`)?.focus();
    this.empty.hidden = !this.loaded || this.boards.length > 0;
  }
}
