// The admin UI: a single page with hash routes (#/models, #/keys, #/teams, #/users, #/organizations, #/usage,
// #/playground, #/health).
// Each page is an ES module exporting render(container, app), which may return a cleanup function (timers, streams).
import { h, icon, replace, toast, errorBox, spinner } from './dom.js';
import { get, post, setCsrf, onExpired } from './api.js';
import { renderLogin } from './pages/login.js';

const PAGES = {
  models: { title: 'Models', icon: 'models', load: () => import('./pages/models.js') },
  keys: { title: 'Virtual keys', icon: 'keys', load: () => import('./pages/keys.js') },
  teams: { title: 'Teams', icon: 'teams', load: () => import('./pages/teams.js') },
  users: { title: 'Users', icon: 'users', load: () => import('./pages/users.js') },
  organizations: { title: 'Organizations', icon: 'organizations', load: () => import('./pages/organizations.js') },
  usage: { title: 'Usage', icon: 'usage', load: () => import('./pages/usage.js') },
  playground: { title: 'Playground', icon: 'playground', load: () => import('./pages/playground.js') },
  health: { title: 'Health', icon: 'health', load: () => import('./pages/health.js') },
};
const DEFAULT_PAGE = 'models';

const root = document.getElementById('app');
const state = { session: null, cleanup: null, shell: null, main: null, nav: {}, loginMessage: null, returnTo: null, seq: 0 };

function parseHash() {
  const raw = location.hash.replace(/^#\/?/, '');
  const [path, qs] = raw.split('?');
  return { name: path.split('/')[0], params: new URLSearchParams(qs || '') };
}

export function navigate(hash) {
  if (location.hash === hash) route();
  else location.hash = hash;
}

function runCleanup() {
  if (state.cleanup) {
    try { state.cleanup(); } catch { /* a page's cleanup must not break navigation */ }
    state.cleanup = null;
  }
}

async function route() {
  const { name, params } = parseHash();
  if (!state.session || !state.session.authenticated) {
    if (name && name !== 'login') state.returnTo = location.hash;
    showLogin();
    return;
  }
  if (!PAGES[name]) {
    location.replace(`#/${DEFAULT_PAGE}`);
    return;
  }
  await showPage(name, params);
}

function showLogin() {
  runCleanup();
  state.shell = null;
  const message = state.loginMessage;
  state.loginMessage = null;
  document.title = 'Log in · AI Gateway';
  renderLogin(root, {
    session: state.session,
    message,
    onLoggedIn: (session) => {
      state.session = session;
      setCsrf(session.csrf_token);
      const to = state.returnTo && !state.returnTo.startsWith('#/login') ? state.returnTo : `#/${DEFAULT_PAGE}`;
      state.returnTo = null;
      if (location.hash === to) route();
      else location.hash = to;
    },
  });
}

function versionLabel(v) {
  return !v || v === 'dev' ? 'dev build' : `v${v}`;
}

function buildShell() {
  const nav = h('nav', { class: 'nav', 'aria-label': 'Main' });
  state.nav = {};
  for (const [name, p] of Object.entries(PAGES)) {
    const a = h('a', { href: `#/${name}`, 'data-page': name, onclick: () => state.shell.classList.remove('nav-open') }, icon(p.icon), p.title);
    state.nav[name] = a;
    nav.appendChild(a);
  }
  const s = state.session;
  const logout = h('button', { class: 'btn sm', id: 'logout', onclick: logoutNow }, icon('logout'), 'Log out');
  const sidebar = h('aside', { class: 'sidebar' },
    h('div', { class: 'brand' }, h('img', { src: 'favicon.svg', alt: '' }), h('div', null, 'AI Gateway', h('small', null, `Admin · ${versionLabel(s.version)}`))),
    nav,
    h('div', { class: 'sidebar-foot' },
      h('div', { class: 'who' }, 'Signed in as', h('strong', { id: 'who' }, s.user || '–')),
      s.login && s.login.open ? null : logout));
  const title = h('span', { class: 'title' }, '');
  const topbar = h('header', { class: 'topbar' },
    h('button', { class: 'btn ghost icon', 'aria-label': 'Menu', onclick: () => state.shell.classList.toggle('nav-open') }, icon('menu')),
    title);
  state.main = h('main', { class: 'content', id: 'content' });
  const banner = s.login && s.login.open
    ? h('div', { class: 'banner' }, 'No master key is configured: anyone who can reach this gateway is an admin. Run ./ai-gateway setup or set GATEWAY_MASTER_KEY.')
    : null;
  state.shell = h('div', { class: 'shell' }, sidebar,
    h('div', { class: 'scrim', onclick: () => state.shell.classList.remove('nav-open') }),
    h('div', { class: 'main' }, topbar, banner, state.main));
  state.shell.topTitle = title;
  replace(root, state.shell);
}

async function showPage(name, params) {
  runCleanup();
  if (!state.shell || !root.contains(state.shell)) buildShell();
  const page = PAGES[name];
  for (const [n, a] of Object.entries(state.nav)) a.classList.toggle('active', n === name);
  state.shell.topTitle.textContent = page.title;
  document.title = `${page.title} · AI Gateway`;
  const seq = ++state.seq;
  const container = h('div', { class: 'page', 'data-page': name });
  replace(state.main, container);
  container.appendChild(spinner());
  try {
    const mod = await page.load();
    if (seq !== state.seq) return;
    container.textContent = '';
    const cleanup = await mod.render(container, { session: state.session, params, navigate });
    if (seq !== state.seq) {
      if (typeof cleanup === 'function') cleanup();
      return;
    }
    state.cleanup = typeof cleanup === 'function' ? cleanup : null;
  } catch (e) {
    if (seq !== state.seq || (e && e.status === 401)) return;
    replace(container, errorBox(e, `The ${page.title.toLowerCase()} page could not be loaded`),
      h('p', null, h('button', { class: 'btn', onclick: () => route() }, icon('refresh'), 'Try again')));
  }
}

async function logoutNow() {
  try {
    await post('/ui/logout');
  } catch (e) {
    if (e.status !== 401) toast(`Logout: ${e.message}`, 'err');
  }
  setCsrf('');
  state.session = { ...state.session, authenticated: false };
  state.loginMessage = { kind: 'ok', text: 'You are logged out.' };
  state.returnTo = null;
  if (location.hash !== '#/login') location.hash = '#/login'; // the hashchange shows the login page
  else showLogin();
}

/** A 401 from a session call: the session expired (idle timeout, restart) or was logged out elsewhere. */
function sessionLost(message) {
  if (!state.session || !state.session.authenticated) return;
  setCsrf('');
  state.session = { ...state.session, authenticated: false };
  state.returnTo = location.hash;
  state.loginMessage = { kind: 'warn', text: 'Your session has expired. Log in again to continue.',
    detail: /session/i.test(message || '') ? null : message };
  showLogin();
}

async function start() {
  onExpired(sessionLost);
  window.addEventListener('hashchange', route);
  window.addEventListener('unhandledrejection', (e) => {
    const err = e.reason;
    if (err && (err.name === 'AbortError' || err.status === 401)) return;
    toast(err && err.message ? err.message : String(err), 'err');
  });
  window.addEventListener('error', (e) => toast(`Unexpected error: ${e.message}`, 'err'));
  try {
    state.session = await get('/ui/session');
  } catch (e) {
    replace(root, h('div', { class: 'login-page' }, h('div', { class: 'login' },
      errorBox(e, 'The admin UI could not reach the gateway'),
      h('p', null, h('button', { class: 'btn', onclick: () => location.reload() }, icon('refresh'), 'Reload')))));
    return;
  }
  if (state.session.authenticated) setCsrf(state.session.csrf_token);
  else if (state.session.expired) state.loginMessage = { kind: 'warn', text: 'Your session has expired. Log in again to continue.' };
  route();
}

start();
