// The login page: the master key, or a username and password when UI_USERNAME/UI_PASSWORD are configured.
import { h, icon, replace } from '../dom.js';
import { post } from '../api.js';

export function renderLogin(root, { session, message, onLoggedIn }) {
  const passwordLogin = !!(session && session.login && session.login.password);
  let mode = 'key';

  const status = h('div', { id: 'login-message' });
  const showMessage = (kind, text, detail) => replace(status,
    h('div', { class: `alert ${kind}`, role: kind === 'err' ? 'alert' : 'status' }, icon(kind === 'ok' ? 'check' : 'alert'),
      h('div', { class: 'msg' }, text, detail && detail !== text ? h('div', { class: 'small' }, detail) : null)));
  if (message) showMessage(message.kind, message.text, message.detail);

  const keyInput = h('input', { id: 'master-key', type: 'password', name: 'master_key', autocomplete: 'current-password',
    placeholder: 'sk-…', spellcheck: 'false', 'aria-label': 'Master key' });
  const userInput = h('input', { id: 'username', type: 'text', name: 'username', autocomplete: 'username' });
  const passInput = h('input', { id: 'password', type: 'password', name: 'password', autocomplete: 'current-password' });

  const keyFields = h('div', { class: 'form' },
    h('label', { class: 'field' }, h('span', null, 'Master key'), keyInput,
      h('span', { class: 'hint' }, 'GATEWAY_MASTER_KEY from the gateway\'s .env file.')));
  const passFields = h('div', { class: 'form hidden' },
    h('label', { class: 'field' }, h('span', null, 'Username'), userInput),
    h('label', { class: 'field' }, h('span', null, 'Password'), passInput));

  const submit = h('button', { class: 'btn primary', type: 'submit', id: 'login-submit' }, 'Log in');
  const tabs = passwordLogin ? h('div', { class: 'seg', role: 'tablist' },
    h('button', { type: 'button', class: 'on', onclick: (e) => setMode('key', e.target) }, 'Master key'),
    h('button', { type: 'button', onclick: (e) => setMode('password', e.target) }, 'Username')) : null;

  function setMode(m, btn) {
    mode = m;
    for (const b of tabs.children) b.classList.toggle('on', b === btn);
    keyFields.classList.toggle('hidden', m !== 'key');
    passFields.classList.toggle('hidden', m !== 'password');
    (m === 'key' ? keyInput : userInput).focus();
  }

  const form = h('form', { class: 'form', novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    const body = mode === 'key' ? { master_key: keyInput.value.trim() } : { username: userInput.value, password: passInput.value };
    if (mode === 'key' && !body.master_key) { showMessage('err', 'Enter the master key.'); keyInput.focus(); return; }
    if (mode === 'password' && (!body.username || !body.password)) { showMessage('err', 'Enter the username and the password.'); return; }
    submit.disabled = true;
    submit.textContent = 'Logging in…';
    try {
      const s = await post('/ui/login', body);
      onLoggedIn({ ...s, login: session && session.login });
    } catch (err) {
      const text = err.status === 401 ? err.message
        : err.status === 429 ? err.message
        : `Login failed: ${err.message}`;
      showMessage('err', text);
      submit.disabled = false;
      submit.textContent = 'Log in';
      (mode === 'key' ? keyInput : passInput).select();
    }
  } }, tabs, keyFields, passFields, status, submit);

  replace(root, h('div', { class: 'login-page' },
    h('div', { class: 'card login' }, h('div', { class: 'card-body' },
      h('div', { class: 'brand' }, h('img', { src: 'favicon.svg', alt: '' }), h('div', null, 'AI Gateway', h('small', null, 'Admin console'))),
      h('p', { class: 'lead' }, 'Log in to manage models, keys and spend.'),
      form))));
  setTimeout(() => keyInput.focus(), 0);
}
