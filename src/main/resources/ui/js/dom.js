// Tiny DOM helpers. Everything the UI shows is built with h(): text always goes in as text nodes, never as HTML,
// so nothing an API returns (model names, aliases, error messages) can inject markup.

/** h('div', {class: 'x', onclick: fn}, 'text', child, [more]) */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  if (props) {
    for (const [k, v] of Object.entries(props)) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') el.className = v;
      else if (k === 'dataset') Object.assign(el.dataset, v);
      else if (k === 'style' && typeof v === 'object') Object.assign(el.style, v);
      else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
      else if (k === 'value') el.value = v;
      else if (k === 'checked' || k === 'disabled' || k === 'selected' || k === 'readOnly' || k === 'required') el[k] = !!v;
      else el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (c instanceof Node) el.appendChild(c);
    else el.appendChild(document.createTextNode(String(c)));
  }
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

export function replace(el, ...children) {
  clear(el);
  append(el, children);
  return el;
}

// Icons: a few strokes each, inline so there is nothing else to load.
const ICONS = {
  models: 'M4 7l8-4 8 4-8 4-8-4zm0 5l8 4 8-4M4 17l8 4 8-4',
  keys: 'M15 7a4 4 0 1 1-3.9 4.9L4 19v2h3v-2h2v-2h2l1.1-1.1A4 4 0 0 1 15 7zm1 2.5h.01',
  usage: 'M4 20V10m6 10V4m6 16v-7m6 7H2',
  teams: 'M9 11a3 3 0 1 0 0-6 3 3 0 0 0 0 6zm-6 9a6 6 0 0 1 12 0m1-9a3 3 0 1 0 0-6m2 15a6 6 0 0 0-3-5.2',
  users: 'M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zm-7 9a7 7 0 0 1 14 0',
  organizations: 'M4 21V5l8-3 8 3v16M9 21v-4h6v4M8 8h.01M12 8h.01M16 8h.01M8 12h.01M12 12h.01M16 12h.01',
  playground: 'M4 5h16v11H8l-4 4V5zm4 4h8m-8 3h5',
  health: 'M3 12h4l2-6 4 12 2-6h6',
  logout: 'M15 4h4v16h-4M10 8l-4 4 4 4m-4-4h11',
  menu: 'M4 6h16M4 12h16M4 18h16',
  plus: 'M12 5v14M5 12h14',
  copy: 'M9 9h10v10H9zM5 15V5h10',
  refresh: 'M20 11a8 8 0 1 0-2.3 5.7M20 5v6h-6',
  close: 'M6 6l12 12M18 6L6 18',
  check: 'M5 12l5 5L20 7',
  alert: 'M12 8v5m0 3h.01M10.3 3.9L2.5 18a2 2 0 0 0 1.7 3h15.6a2 2 0 0 0 1.7-3L13.7 3.9a2 2 0 0 0-3.4 0z',
  inbox: 'M3 13l3-8h12l3 8v6H3v-6zm0 0h5l1 2h6l1-2h5',
  send: 'M4 12l16-8-6 16-2-7-8-1z',
  stop: 'M7 7h10v10H7z',
};

export function icon(name) {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('fill', 'none');
  svg.setAttribute('stroke', 'currentColor');
  svg.setAttribute('stroke-width', '1.8');
  svg.setAttribute('stroke-linecap', 'round');
  svg.setAttribute('stroke-linejoin', 'round');
  svg.setAttribute('aria-hidden', 'true');
  const p = document.createElementNS('http://www.w3.org/2000/svg', 'path');
  p.setAttribute('d', ICONS[name] || '');
  svg.appendChild(p);
  return svg;
}

export function spinner(text) {
  return h('div', { class: 'loading' }, h('div', { class: 'spinner' }), text || 'Loading…');
}

export function toast(message, kind = 'info', ms = 4500) {
  const box = document.getElementById('toasts');
  if (!box) return;
  const t = h('div', { class: `toast ${kind}`, role: kind === 'err' ? 'alert' : 'status' }, message);
  box.appendChild(t);
  setTimeout(() => t.remove(), ms);
}

/** A readable error block: the API's message, and what the status means. */
export function errorBox(err, title) {
  const status = err && err.status;
  const hint = status === 0 ? 'The gateway did not answer. Is it running, and is this the right address?'
    : status === 403 ? 'Your login is not allowed to do this.'
    : status === 404 ? 'Not found on this gateway.'
    : status === 429 ? 'Slow down: a rate limit applies.'
    : status >= 500 ? 'The gateway or the provider failed; see the gateway log for the request id.' : null;
  return h('div', { class: 'alert err', role: 'alert' }, icon('alert'),
    h('div', { class: 'msg' },
      h('strong', null, title || 'Something went wrong'),
      h('div', { class: 'err-message' }, (err && err.message) || String(err)),
      hint ? h('div', { class: 'small' }, hint) : null));
}

/**
 * Labels every cell with its column's heading (data-label), so the stylesheet can show a wide table as a list of cards
 * on a phone (table.stack).
 */
export function stack(table) {
  table.classList.add('stack');
  const heads = [...table.querySelectorAll('thead th')].map((th) => th.textContent.trim());
  for (const tr of table.querySelectorAll('tbody tr')) {
    [...tr.children].forEach((td, i) => {
      if (heads[i]) td.setAttribute('data-label', heads[i]);
      if (td.querySelector('.cell-actions')) td.classList.add('actions-cell');
    });
  }
  return table;
}

export function emptyState(title, text, ...actions) {
  return h('div', { class: 'empty' }, icon('inbox'), h('h3', null, title), h('p', null, text),
    actions.length ? h('div', { class: 'actions' }, actions) : null);
}

export function badge(text, kind) {
  return h('span', { class: `badge ${kind || ''}` }, kind ? h('span', { class: 'dot' }) : null, text);
}

/** A modal dialog. Returns {el, close}; Escape and the backdrop close it (unless locked). */
export function modal({ title, body, footer, wide, locked, onClose }) {
  const prev = document.activeElement;
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    back.remove();
    document.removeEventListener('keydown', onKey);
    if (onClose) onClose();
    if (prev && prev.focus) prev.focus();
  };
  const onKey = (e) => { if (e.key === 'Escape' && !locked) close(); };
  const dialog = h('div', { class: `modal${wide ? ' wide' : ''}`, role: 'dialog', 'aria-modal': 'true', 'aria-label': title },
    h('div', { class: 'modal-head' }, h('h2', null, title),
      locked ? null : h('button', { class: 'btn ghost icon', 'aria-label': 'Close', onclick: close }, icon('close'))),
    h('div', { class: 'modal-body' }, body),
    footer ? h('div', { class: 'modal-foot' }, footer) : null);
  const back = h('div', { class: 'modal-back', onmousedown: (e) => { if (e.target === back && !locked) close(); } }, dialog);
  document.body.appendChild(back);
  document.addEventListener('keydown', onKey);
  const first = dialog.querySelector('input, select, textarea, .modal-foot .btn.primary');
  if (first) setTimeout(() => first.focus(), 0);
  return { el: dialog, close };
}

/** Asks before something destructive; resolves true when confirmed. */
export function confirmDialog({ title, message, confirm = 'Confirm', danger = true }) {
  return new Promise((resolve) => {
    let answered = false;
    const done = (v) => { if (!answered) { answered = true; resolve(v); } m.close(); };
    const ok = h('button', { class: `btn ${danger ? 'danger solid' : 'primary'}`, 'data-confirm': '', onclick: () => done(true) }, confirm);
    const m = modal({
      title,
      body: h('p', { style: { margin: 0 } }, message),
      footer: [h('button', { class: 'btn', onclick: () => done(false) }, 'Cancel'), ok],
      onClose: () => { if (!answered) { answered = true; resolve(false); } },
    });
    setTimeout(() => ok.focus(), 0);
  });
}

export async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // Clipboard API needs a secure context (https or localhost); fall back to a selection copy.
    const ta = h('textarea', { style: { position: 'fixed', opacity: '0' } });
    ta.value = text;
    document.body.appendChild(ta);
    ta.select();
    let ok = false;
    try { ok = document.execCommand('copy'); } catch { ok = false; }
    ta.remove();
    return ok;
  }
}

export function copyButton(text, label = 'Copy') {
  const b = h('button', { class: 'btn', type: 'button', onclick: async () => {
    const ok = await copyText(text);
    b.lastChild.textContent = ok ? 'Copied' : 'Select and copy';
    setTimeout(() => { b.lastChild.textContent = label; }, 1800);
  } }, icon('copy'), h('span', null, label));
  return b;
}

/** A labelled form field around an input. */
export function field(label, input, hint, required) {
  return h('label', { class: 'field' }, h('span', { class: required ? 'req' : '' }, label), input,
    hint ? h('span', { class: 'hint' }, hint) : null);
}
