// Calls to the gateway's API. The UI authenticates with its session: the HttpOnly cookie goes along by itself, and the
// CSRF token from the login answer (or GET /ui/session) goes in X-CSRF-Token. A pasted virtual key (playground) is sent
// as a Bearer key instead. Every failure becomes an ApiError with the API's own readable message.

/** Where the API lives: the origin root, or a path prefix when a proxy serves the gateway under one (/gw/ui/ → /gw). */
export const base = location.pathname.replace(/\/ui(\/.*)?$/, '');

let csrfToken = '';
let onSessionLost = () => {};

export function setCsrf(token) { csrfToken = token || ''; }
export function onExpired(handler) { onSessionLost = handler; }
/** For calls made without api(): a 401 on the session means it is gone. */
export function reportExpired(message) { onSessionLost(message); }

export class ApiError extends Error {
  constructor(message, status, body) {
    super(message);
    this.status = status;
    this.body = body;
    const e = body && body.error;
    this.type = e && e.type;
    this.code = e && e.code;
    this.param = e && e.param;
  }
}

export function headers({ key, json } = {}) {
  const h = { Accept: 'application/json' };
  if (json) h['Content-Type'] = 'application/json';
  if (key) h.Authorization = `Bearer ${key}`;
  else if (csrfToken) h['X-CSRF-Token'] = csrfToken;
  return h;
}

/** The message a failed answer carries: OpenAI's error.message, LiteLLM's detail, or the status line. */
export function messageOf(status, body, text) {
  if (body && typeof body === 'object') {
    const e = body.error;
    if (e && typeof e === 'object' && e.message) return String(e.message);
    if (typeof e === 'string') return e;
    if (body.detail) return typeof body.detail === 'string' ? body.detail : JSON.stringify(body.detail);
    if (body.message) return String(body.message);
  }
  if (text && text.length < 300 && !/^\s*</.test(text)) return text;
  return `The gateway answered HTTP ${status}.`;
}

/**
 * api('GET', '/key/list?size=10') → parsed JSON. Options: body (sent as JSON), key (a Bearer key instead of the
 * session), signal. A 401 on a session call means the session is gone: the app goes back to the login page.
 */
export async function api(method, path, { body, key, signal } = {}) {
  let res;
  try {
    res = await fetch(base + path, {
      method,
      headers: headers({ key, json: body !== undefined }),
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
      signal,
    });
  } catch (e) {
    if (e && e.name === 'AbortError') throw e;
    throw new ApiError(`Could not reach the gateway (${e && e.message ? e.message : 'network error'}).`, 0, null);
  }
  const text = await res.text();
  let data = null;
  if (text) {
    try { data = JSON.parse(text); } catch { data = null; }
  }
  if (!res.ok) {
    const err = new ApiError(messageOf(res.status, data, text), res.status, data);
    if (res.status === 401 && !key && path !== '/ui/login') onSessionLost(err.message);
    throw err;
  }
  return data;
}

export const get = (path, opts) => api('GET', path, opts);
export const post = (path, body, opts) => api('POST', path, { ...(opts || {}), body: body === undefined ? {} : body });

/** Query string from an object, skipping empty values. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') q.set(k, v);
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}
