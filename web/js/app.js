// Boardroom's browser client: start-up, routing (#/b/<board_id>), wiring of the parts.
//
// Modules: libs.js (the only place that imports the vendored libraries), i18n.js (all
// strings, en and zh), dom.js (helpers), api.js (fetch/XHR/token), stream.js (resumable
// SSE: answers and board feeds), render.js (Markdown, sanitising, citations), answer.js
// (one exchange on screen), chat.js (sessions and the ask form), expert.js, assistant.js,
// boards.js (sidebar), board.js (the open board), files.js, viewer.js, notes.js.
//
// Stable hooks for tests (id, or data-testid where an element repeats):
//   Language           #lang-switch (select, values "en" | "zh") [data-testid=language-switch]
//   Token form         #token-dialog, #token-form [data-testid=token-form], #token-input, #token-submit
//   Confirm dialog     #confirm-dialog, #confirm-ok, #confirm-cancel
//   Errors             #toasts (each message: [data-testid=toast])
//   Boards             #board-list [data-testid=board-list]; each board a[data-testid=board-item][data-board-id]
//                      (aria-current="page" on the open one); #new-board-name, #new-board-create
//   Open board         #board-title, #board-rename, #board-name-input, #board-rename-save,
//                      #board-delete, #board-feed-status (live-update status)
//   Files              #file-input [data-testid=file-input], #dropzone, #file-list; each row
//                      li[data-testid=file-row][data-file-id][data-status=uploading|upload-failed|
//                      processing|ready|failed][data-scanned], its [data-testid=file-status],
//                      progress.file-progress, p.file-note (failure reason / scanned warning),
//                      button.file-name (opens it), button.file-action (delete / cancel)
//   Reader             #viewer, #viewer-file, #page-canvas [data-testid=viewer-canvas]
//                      (data-page, data-rendered="true" once drawn), #page-text
//                      [data-testid=page-text] (data-page), #page-highlight (the cited passage),
//                      #page-number [data-testid=page-number], #page-count, #page-prev, #page-next
//   Notes              #note-title, #note-text, #note-save, #note-list; li[data-testid=note]
//                      with [data-testid=note-edit], [data-testid=note-delete]
//   Expert             #expert-tab, #expert-panel, #question, #ask, #stop, #connection-status
//                      (data-state=connecting|open|reconnecting|idle), #expert-turns, #expert-clear
//   Assistant          #assistant-tab, #assistant-panel, #assistant-question, #assistant-ask,
//                      #assistant-stop, #assistant-connection-status, #assistant-turns
//   Each exchange      article[data-testid=turn] (class "streaming" while it streams; data-end=
//                      done|error|cancelled|interrupted once over) holding [data-testid=steps]
//                      (li[data-testid=step]), [data-testid=answer], [data-testid=sources]
//                      (button[data-testid=source]), button[data-testid=citation] (data-filename,
//                      data-page; aria-label "report.pdf, page 3"), [data-testid=turn-status],
//                      [data-testid=retry], [data-testid=command] with [data-testid=command-confirm]
//                      and [data-testid=command-dismiss]
// The newest exchange of a panel is its last article[data-testid=turn].

import { api, getToken, health, requestToken, setToken, setTokenPrompt } from "./api.js";
import { Assistant } from "./assistant.js";
import { turnOf } from "./answer.js";
import { BoardView } from "./board.js";
import { BoardList } from "./boards.js";
import { $, announce, h, isEditable, sentence, store } from "./dom.js";
import { Expert } from "./expert.js";
import { applyI18n, getLang, onLangChange, setLang, t } from "./i18n.js";
import { relabelCitations, sentenceBefore } from "./render.js";

const LAST_BOARD = "boardroom.board";
const LAST_TAB = "boardroom.tab";

let pingS = 15;
const ping = () => pingS;

// --- feedback ---------------------------------------------------------------------

function showError(error) {
  const message = sentence(error?.message || String(error));
  const box = $("#toasts");
  for (const old of box.children) if (old.dataset.message === message) old.remove();
  const toast = h(
    "div",
    { class: "toast", "data-testid": "toast", "data-message": message, "data-code": error?.code || "" },
    h("p", {}, message),
    h("button", { type: "button", class: "icon-button", "aria-label": t("toast.dismiss"), onclick: () => toast.remove() }, "×"),
  );
  box.append(toast);
  setTimeout(() => toast.remove(), 8000);
}

function confirmDialog(message, okLabel) {
  const dialog = $("#confirm-dialog");
  if (dialog.open) return Promise.resolve(false);
  $("#confirm-text").textContent = message;
  $("#confirm-ok").textContent = okLabel || t("confirm.ok");
  dialog.returnValue = "";
  dialog.showModal();
  $("#confirm-cancel").focus();
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => resolve(dialog.returnValue === "ok"), { once: true });
  });
}

/** Ask for the API token; a reason is shown when a token was refused. */
function tokenDialog(reason) {
  const dialog = $("#token-dialog");
  const form = $("#token-form");
  const input = $("#token-input");
  const error = $("#token-error");
  error.textContent = reason && getToken() ? sentence(reason) : "";
  error.hidden = !error.textContent;
  input.value = "";
  if (!dialog.open) dialog.showModal();
  input.focus();
  return new Promise((resolve) => {
    const submit = (e) => {
      e.preventDefault();
      const value = input.value.trim();
      if (!value) return input.focus();
      form.removeEventListener("submit", submit);
      setToken(value);
      dialog.close();
      resolve();
    };
    form.addEventListener("submit", submit);
  });
}

// --- start-up ---------------------------------------------------------------------

async function main() {
  document.documentElement.lang = getLang() === "zh" ? "zh-CN" : "en";
  applyI18n(document);
  const langSelect = $("#lang-switch");
  langSelect.value = getLang();
  langSelect.addEventListener("change", () => setLang(langSelect.value));
  $("#token-dialog").addEventListener("cancel", (e) => e.preventDefault()); // the API needs it
  setTokenPrompt(tokenDialog);

  const info = await health();
  if (info) {
    pingS = Number(info.ping_s) > 0 ? Number(info.ping_s) : 15;
    if (info.auth && !getToken()) await requestToken(null);
  } else {
    $("#app-status").textContent = t("error.network");
  }

  const boards = new BoardList($(".sidebar"), {
    onError: showError,
    onCreated: (board) => {
      announce(t("boards.created", { name: board.name }));
      location.hash = `#/b/${encodeURIComponent(board.board_id)}`;
    },
  });
  const boardView = new BoardView($("#main"), {
    pingS: ping,
    confirm: confirmDialog,
    onError: showError,
    announce,
    onRenamed: (board) => {
      boards.update(board);
      expert.renamed(board);
    },
    onDeleted: (board, { remote }) => boardGone(board, remote),
    onCountsChanged: () => boards.refresh(),
  });
  const expert = new Expert({
    root: $("#expert-panel"),
    pingS: ping,
    confirm: confirmDialog,
    onError: showError,
    onActivity: (boardId, running) => boards.setAnswering(boardId, running),
  });
  const assistant = new Assistant({
    root: $("#assistant-panel"),
    pingS: ping,
    confirm: confirmDialog,
    onError: showError,
    boardName: (id) => boards.name(id),
    onBoardsChanged: async (result) => {
      await boards.refresh();
      const current = boardView.boardId;
      if (result.action === "delete_board") {
        const name = result.board_id === current ? boardView.board?.name : null;
        boardGone({ board_id: result.board_id, name }, false);
      } else if (result.board && result.board.board_id === current) {
        boardView.open(result.board);
        expert.renamed(result.board);
      }
    },
  });

  let currentId = null;
  async function selectBoard(boardId) {
    if (boardId === currentId) return;
    currentId = boardId;
    if (!boardId) {
      boards.setActive(null);
      boardView.close();
      expert.close();
      return;
    }
    let board = boards.get(boardId);
    if (!board) {
      try {
        board = await api.get(`/api/boards/${encodeURIComponent(boardId)}`);
      } catch (error) {
        currentId = null;
        showError(error.status === 404 ? new Error(t("board.gone")) : error);
        store.set(LAST_BOARD, null);
        history.replaceState(null, "", "#/");
        selectBoard(null);
        return;
      }
    }
    if (currentId !== boardId) return;
    boards.setActive(boardId);
    store.set(LAST_BOARD, boardId);
    await Promise.all([boardView.open(board), expert.open(board)]);
  }

  function boardFromHash() {
    const m = /^#\/b\/([^/]+)/.exec(location.hash);
    return m ? decodeURIComponent(m[1]) : null;
  }

  async function go(boardId) {
    const hash = boardId ? `#/b/${encodeURIComponent(boardId)}` : "#/";
    if (location.hash !== hash) history.pushState(null, "", hash);
    await selectBoard(boardId);
  }

  function boardGone(board, remote) {
    expert.forget(board.board_id);
    boards.remove(board.board_id);
    if (store.get(LAST_BOARD) === board.board_id) store.set(LAST_BOARD, null);
    if (currentId === board.board_id) go(null);
    const message = t("board.deleted", { name: board.name || board.board_id });
    if (remote) showError(new Error(message));
    else announce(message);
  }

  // In-page jumps (skip link, the phone's section buttons) must not touch the route.
  document.addEventListener("click", (e) => {
    const jump = e.target.closest("[data-jump]");
    if (!jump) return;
    e.preventDefault();
    const target = document.getElementById(jump.dataset.jump);
    target.scrollIntoView({ block: "start" });
    target.focus({ preventScroll: true });
  });

  window.addEventListener("hashchange", () => selectBoard(boardFromHash()));
  window.addEventListener("popstate", () => selectBoard(boardFromHash()));

  // --- citations and sources: open the page, mark the passage ------------------------

  async function filesOf(boardId) {
    if (boardId === boardView.boardId) return [...boardView.files.files.values()];
    try {
      return (await api.get(`/api/boards/${encodeURIComponent(boardId)}/files`)).files;
    } catch {
      return [];
    }
  }

  async function openReference(ref, { boardId, fileId, needles }) {
    if (ref.note !== undefined) {
      if (boardId && boardId !== currentId) await go(boardId);
      boardView.notes.reveal(ref.note);
      return;
    }
    if (!fileId) {
      const candidates = boardId ? [boardId] : [currentId, ...boards.boards.map((b) => b.board_id)].filter(Boolean);
      for (const id of [...new Set(candidates)]) {
        const file = (await filesOf(id)).find((f) => f.filename === ref.filename);
        if (file) {
          boardId = id;
          fileId = file.file_id;
          break;
        }
      }
    }
    if (!fileId || !boardId) {
      showError(new Error(t("viewer.notFound", { file: ref.filename })));
      return;
    }
    if (boardId !== currentId) await go(boardId);
    const opened = await boardView.openPage(fileId, ref.page, needles);
    if (!opened) {
      showError(new Error(t("viewer.notFound", { file: ref.filename })));
      return;
    }
    // Side by side, show the reader from its top; stacked (narrow), the marked passage.
    const mark = $("#page-highlight");
    const stacked = getComputedStyle($("#viewer-body")).gridTemplateColumns.trim().split(/\s+/).length < 2;
    const target = mark && stacked ? mark : $("#viewer");
    const box = target.getBoundingClientRect();
    if (box.top < 0 || box.top > window.innerHeight * 0.6 || box.bottom < 80) {
      target.scrollIntoView({ behavior: "smooth", block: mark && stacked ? "center" : "start" });
    }
  }

  $("#chat").addEventListener("click", (e) => {
    const button = e.target.closest("button.cite, button.source");
    if (!button) return;
    const turn = turnOf(button);
    const sources = turn?.sources || [];
    const inExpert = !!button.closest("#expert-panel");
    let ref;
    let source;
    let fallback = "";
    if (button.classList.contains("source")) {
      source = sources[Number(button.dataset.index)];
      if (!source) return;
      ref = source.kind === "note" ? { note: source.filename } : { filename: source.filename, page: source.page };
    } else {
      ref = button.dataset.note !== undefined
        ? { note: button.dataset.note }
        : { filename: button.dataset.filename, page: Number(button.dataset.page) };
      source =
        sources.find((s) => s.kind === "page" && s.filename === ref.filename && s.page === ref.page) ||
        sources.find((s) => s.kind === "page" && s.filename === ref.filename);
      fallback = sentenceBefore(button);
    }
    const samePage = source && source.page === ref.page;
    openReference(ref, {
      boardId: source?.board_id || (inExpert ? expert.board?.board_id : null),
      fileId: source?.file_id || null,
      // The cited sentence first: two citations of one page mark their own claims; the
      // page's search snippet when the sentence is not found on it.
      needles: [fallback, samePage ? source.snippet : null],
    }).catch(showError);
  });

  // --- tabs: the expert and the assistant ----------------------------------------------

  const tabs = [$("#expert-tab"), $("#assistant-tab")];
  function selectTab(tab, focus = false) {
    for (const other of tabs) {
      const on = other === tab;
      other.setAttribute("aria-selected", String(on));
      other.tabIndex = on ? 0 : -1;
      $(`#${other.getAttribute("aria-controls")}`).hidden = !on;
    }
    store.set(LAST_TAB, tab.id);
    if (focus) tab.focus();
  }
  for (const tab of tabs) {
    tab.addEventListener("click", () => selectTab(tab));
    tab.addEventListener("keydown", (e) => {
      const i = tabs.indexOf(tab);
      const next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 }[e.key];
      if (next === undefined) return;
      e.preventDefault();
      selectTab(tabs[(next + tabs.length) % tabs.length], true);
    });
  }
  selectTab($(`#${store.get(LAST_TAB, "expert-tab")}`) || tabs[0]);

  // Esc stops the answer being written in the panel on screen.
  document.addEventListener("keydown", (e) => {
    if (e.key !== "Escape" || e.defaultPrevented || document.querySelector("dialog[open]")) return;
    if (isEditable(e.target) && !e.target.classList.contains("question")) return;
    const session = $("#assistant-panel").hidden ? expert.session : assistant.session;
    if (session?.running) {
      e.preventDefault();
      session.stop();
    }
  });

  onLangChange(() => {
    langSelect.value = getLang();
    boards.render();
    boardView.relabel();
    expert.relabel();
    assistant.relabel();
    relabelCitations(document);
  });

  // --- first screen ---------------------------------------------------------------------

  await boards.refresh();
  let start = boardFromHash();
  if (!start && !location.hash.startsWith("#/")) {
    const last = store.get(LAST_BOARD);
    if (last && boards.get(last)) {
      start = last;
      history.replaceState(null, "", `#/b/${encodeURIComponent(last)}`);
    }
  }
  await Promise.all([selectBoard(start), assistant.reattach()]);
  document.body.dataset.ready = "true";
}

main().catch((error) => {
  showError(error);
  document.body.dataset.ready = "error";
});
