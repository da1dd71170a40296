// The HTTP API: JSON requests, uploads with progress, EventSource URLs, the API token.
//
// Every error becomes an ApiError with the server's `code` and `message` (docs/API.md:
// `{"error": {"code", "message"}}`), or code "network" when the service cannot be
// reached. A 401 asks the user for the token (through the prompt app.js installs) and
// retries the request once the token is given.

import { store } from "./dom.js";
import { t } from "./i18n.js";

const TOKEN_KEY = "boardroom.token";
// Relative to the page, so the client also works under a sub-path behind a proxy.
const BASE = new URL("./", location.href);

let token = store.get(TOKEN_KEY, "") || "";
let askToken = null; // async (reason) => void, resolves once a new token is stored
let asking = null;

export class ApiError extends Error {
  constructor(status, code, message, retryAfter = null) {
    super(message);
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
  }
}

export function setTokenPrompt(fn) {
  askToken = fn;
}

export function getToken() {
  return token;
}

export function setToken(value) {
  token = (value || "").trim();
  store.set(TOKEN_KEY, token || null);
}

/** Ask for the token once, however many requests were refused at the same time. */
export function requestToken(reason) {
  if (!askToken) return Promise.reject(new ApiError(401, "unauthorized", reason));
  if (!asking) asking = askToken(reason).finally(() => (asking = null));
  return asking;
}

/** An absolute URL for an API path with optional query parameters. */
export function apiUrl(path, params = {}) {
  const url = new URL(path.replace(/^\//, ""), BASE);
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== "") url.searchParams.set(k, v);
  }
  return url.href;
}

/** An EventSource URL: EventSource cannot send headers, so the token goes in the query. */
export function eventUrl(path, params = {}) {
  return apiUrl(path, { ...params, token: token || undefined });
}

function authHeaders(extra = {}) {
  return token ? { ...extra, Authorization: `Bearer ${token}` } : { ...extra };
}

async function errorFrom(response) {
  let code = `http_${response.status}`;
  let message = response.statusText || t("error.http", { status: response.status });
  try {
    const body = await response.json();
    if (body?.error) {
      code = body.error.code || code;
      message = body.error.message || message;
    }
  } catch {
    // Not JSON (a proxy's page): keep the status text.
  }
  const retry = Number(response.headers.get("Retry-After")) || null;
  return new ApiError(response.status, code, message, retry);
}

/** fetch + JSON + our errors. `body` objects are sent as JSON. Resolves null on 204. */
export async function request(method, path, { body, headers = {}, query } = {}) {
  for (let attempt = 0; ; attempt++) {
    const init = { method, headers: authHeaders(headers) };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers["Content-Type"] = "application/json";
    }
    let response;
    try {
      response = await fetch(apiUrl(path, query), init);
    } catch {
      throw new ApiError(0, "network", t("error.network"));
    }
    if (response.status === 401 && attempt < 3) {
      const error = await errorFrom(response);
      await requestToken(error.message);
      continue;
    }
    if (!response.ok) throw await errorFrom(response);
    if (response.status === 204) return null;
    const type = response.headers.get("Content-Type") || "";
    return type.includes("json") ? response.json() : response.text();
  }
}

export const api = {
  get: (path, query) => request("GET", path, { query }),
  post: (path, body, headers) => request("POST", path, { body, headers }),
  put: (path, body) => request("PUT", path, { body }),
  patch: (path, body) => request("PATCH", path, { body }),
  del: (path) => request("DELETE", path),
};

/** `/healthz`: `{ping_s, auth, …}`; never asks for a token. */
export async function health() {
  try {
    const response = await fetch(new URL("healthz", BASE), { cache: "no-store" });
    if (response.ok) return await response.json();
  } catch {
    // Unreachable: the callers use defaults.
  }
  return null;
}

/** Headers for pdf.js (which fetches the PDF itself). */
export function pdfHeaders() {
  return authHeaders();
}

/**
 * Upload a PDF (multipart field `file`) with transfer progress.
 * Returns {promise, abort}; the promise resolves with the file record, or rejects
 * with an ApiError (code "aborted" when aborted).
 */
export function upload(boardId, file, onProgress) {
  let xhr = null;
  let aborted = false;
  const send = () =>
    new Promise((resolve, reject) => {
      xhr = new XMLHttpRequest();
      xhr.open("POST", apiUrl(`/api/boards/${encodeURIComponent(boardId)}/files`));
      for (const [k, v] of Object.entries(authHeaders())) xhr.setRequestHeader(k, v);
      xhr.responseType = "text";
      xhr.upload.onprogress = (e) => {
        if (e.lengthComputable) onProgress?.(e.loaded, e.total);
      };
      xhr.onload = () => {
        let body = null;
        try {
          body = JSON.parse(xhr.responseText);
        } catch {
          // Not JSON.
        }
        if (xhr.status >= 200 && xhr.status < 300) resolve(body);
        else {
          const err = body?.error;
          const retry = Number(xhr.getResponseHeader("Retry-After")) || null;
          reject(
            new ApiError(
              xhr.status,
              err?.code || `http_${xhr.status}`,
              err?.message || t("error.http", { status: xhr.status }),
              retry,
            ),
          );
        }
      };
      xhr.onerror = () => reject(new ApiError(0, "network", t("error.network")));
      xhr.onabort = () => reject(new ApiError(0, "aborted", t("upload.cancelled")));
      const form = new FormData();
      form.append("file", file, file.name);
      xhr.send(form);
    });
  const promise = (async () => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await send();
      } catch (error) {
        if (error.status === 401 && attempt < 3 && !aborted) {
          await requestToken(error.message);
          continue;
        }
        throw error;
      }
    }
  })();
  return {
    promise,
    abort() {
      aborted = true;
      xhr?.abort();
    },
  };
}
