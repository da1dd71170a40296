// The open board: its header (rename, delete), files, reader and notes, kept current
// by the board's live event stream.

import { api } from "./api.js";
import { $ } from "./dom.js";
import { Files } from "./files.js";
import { t } from "./i18n.js";
import { Notes } from "./notes.js";
import { BoardFeed, State } from "./stream.js";
import { Viewer } from "./viewer.js";

export class BoardView {
  constructor(root, { pingS, confirm, onError, onRenamed, onDeleted, onCountsChanged, announce }) {
    this.root = root;
    this.pingS = pingS;
    this.confirm = confirm;
    this.onError = onError;
    this.onRenamed = onRenamed;
    this.onDeleted = onDeleted;
    this.announce = announce || (() => {});
    this.board = null;
    this.feed = null;
    this.view = $("#board-view", root);
    this.welcome = $("#board-empty", root);
    this.title = $("#board-title", root);
    this.feedStatus = $("#board-feed-status", root);
    this.renameForm = $("#board-rename-form", root);
    this.nameInput = $("#board-name-input", root);
    this.actions = $(".board-actions", root);

    this.files = new Files($("#files-section", root), {
      onOpen: (fileId, page) => this.openPage(fileId, page),
      onDelete: (file) => this.viewer.fileChanged({ ...file, deleted: true }),
      confirm,
      onError,
      onChange: () => onCountsChanged?.(),
    });
    this.viewer = new Viewer($("#viewer", root));
    this.notes = new Notes($("#notes-section", root), { confirm, onError, onChange: () => onCountsChanged?.() });

    $("#board-rename", root).addEventListener("click", () => this.startRename());
    $("#board-rename-cancel", root).addEventListener("click", () => this.endRename());
    $("#board-delete", root).addEventListener("click", () => this.remove());
    this.renameForm.addEventListener("submit", (e) => {
      e.preventDefault();
      this.rename();
    });
    this.renameForm.addEventListener("keydown", (e) => {
      if (e.key === "Escape") {
        e.preventDefault();
        e.stopPropagation();
        this.endRename();
      }
    });
  }

  get boardId() {
    return this.board?.board_id || null;
  }

  async open(board) {
    const same = board.board_id === this.boardId;
    this.board = board;
    this.welcome.hidden = true;
    this.view.hidden = false;
    this.title.textContent = board.name;
    document.title = `${board.name} · Boardroom`;
    if (same) return;
    this.endRename();
    this.startFeed();
    this.viewer.setBoard(board.board_id);
    const [, , view] = await Promise.all([
      this.files.setBoard(board.board_id),
      this.notes.setBoard(board.board_id),
      api.get(`/api/boards/${encodeURIComponent(board.board_id)}/view`).catch(() => null),
    ]);
    // Back where the user was reading, unless a citation opened a page meanwhile.
    if (view?.file_id && this.boardId === board.board_id && !this.viewer.file) {
      const file = this.files.get(view.file_id);
      if (file) this.viewer.open(file, view.page || 1, { save: false });
    }
  }

  close() {
    this.feed?.close();
    this.feed = null;
    this.board = null;
    this.view.hidden = true;
    this.welcome.hidden = false;
    document.title = "Boardroom";
    this.files.setBoard(null);
    this.notes.setBoard(null);
    this.viewer.setBoard(null);
  }

  startFeed() {
    this.feed?.close();
    const boardId = this.board.board_id;
    this.feed = new BoardFeed({
      boardId,
      pingS: this.pingS(),
      expectsEvents: () => this.files.busy(),
      onState: (state) => this.showFeedState(state),
      onReopen: () => {
        // The feed keeps 256 events: fetch the records again in case more were missed.
        this.files.reload();
        this.notes.reload();
      },
      onEvent: (name, data) => this.feedEvent(name, data),
    }).start();
  }

  showFeedState(state) {
    const text = state === State.RECONNECTING ? t("board.feedReconnecting") : "";
    this.feedStatus.textContent = text;
    this.feedStatus.hidden = !text;
    this.feedStatus.dataset.state = state;
  }

  feedEvent(name, data) {
    if (name === "board.deleted") {
      this.onDeleted(this.board, { remote: true });
      return;
    }
    if (name === "context.updated") {
      const reason = String(data.reason || "");
      if (reason.startsWith("note.")) this.notes.reload();
      if (reason === "file.deleted" && data.file_id) {
        this.files.files.delete(data.file_id);
        this.files.render();
        this.viewer.fileChanged({ file_id: data.file_id, deleted: true });
      }
      return;
    }
    const file = this.files.event(name, data);
    if (file) this.viewer.fileChanged(file);
  }

  /** Open a file of this board at a page, marking `highlight` needles in its text. */
  async openPage(fileId, page, highlight = null) {
    let file = this.files.get(fileId);
    if (!file) {
      await this.files.reload();
      file = this.files.get(fileId);
    }
    if (!file) return false;
    await this.viewer.open(file, page, { highlight });
    this.announce(t("viewer.opened", { file: file.filename, page: this.viewer.page }));
    return true;
  }

  startRename() {
    this.renameForm.hidden = false;
    this.title.hidden = true;
    this.actions.hidden = true;
    this.nameInput.value = this.board.name;
    this.nameInput.focus();
    this.nameInput.select();
  }

  endRename() {
    const wasOpen = !this.renameForm.hidden;
    this.renameForm.hidden = true;
    this.title.hidden = false;
    this.actions.hidden = false;
    if (wasOpen) $("#board-rename", this.root).focus();
  }

  async rename() {
    const name = this.nameInput.value.trim();
    if (!name || name === this.board.name) return this.endRename();
    try {
      const board = await api.patch(`/api/boards/${encodeURIComponent(this.boardId)}`, { name });
      this.board = board;
      this.title.textContent = board.name;
      document.title = `${board.name} · Boardroom`;
      this.endRename();
      this.onRenamed(board);
    } catch (error) {
      this.onError(error);
    }
  }

  async remove() {
    const board = this.board;
    if (!(await this.confirm(t("board.deleteConfirm", { name: board.name }), t("board.delete")))) return;
    try {
      await api.del(`/api/boards/${encodeURIComponent(board.board_id)}`);
    } catch (error) {
      if (error.status !== 404) {
        this.onError(error);
        return;
      }
    }
    this.onDeleted(board, { remote: false });
  }

  relabel() {
    this.files.render();
    this.notes.render();
    this.viewer.relabel();
    if (this.feed) this.showFeedState(this.feed.state);
  }
}
