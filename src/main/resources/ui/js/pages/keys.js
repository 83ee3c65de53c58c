// Virtual keys: create (the key is shown once), list with spend against budget, block/unblock, regenerate, delete.
// Keys are addressed by their token (SHA-256 hash); the key itself only ever appears in the create/regenerate answer.
import { h, icon, replace, toast, errorBox, emptyState, badge, modal, confirmDialog, field, spinner, copyButton, stack } from '../dom.js';
import { get, post } from '../api.js';
import { shortDate, relative } from '../format.js';
import { budgetCell, limitsCell, modelsCell, modelChecks, limitFields } from '../limits.js';

const PAGE_SIZE = 100;
const EXPIRIES = [['', 'Never'], ['1d', 'In 1 day'], ['7d', 'In 7 days'], ['30d', 'In 30 days'], ['90d', 'In 90 days'], ['date', 'On a date…']];

export async function listKeys() {
  const keys = [];
  for (let page = 1; page <= 50; page++) {
    const r = await get(`/key/list?return_full_object=true&size=${PAGE_SIZE}&page=${page}`);
    keys.push(...(r.keys || []));
    if (!r.total_pages || page >= r.total_pages) break;
  }
  return keys;
}

function keyStatus(k) {
  if (k.blocked) return badge('Blocked', 'err');
  if (k.expires && new Date(k.expires).getTime() <= Date.now()) return badge('Expired', 'warn');
  if (k.max_budget != null && k.spend >= k.max_budget) return badge('Over budget', 'warn');
  return badge('Active', 'ok');
}

/** Shows a new key once, with a copy button; the dialog can only be closed on purpose. */
function showKeyOnce(title, key, what) {
  const m = modal({
    title,
    locked: true,
    body: h('div', { class: 'form' },
      h('div', { class: 'alert warn' }, icon('alert'), h('div', { class: 'msg' },
        h('strong', null, 'Copy this key now.'), 'It is shown only once: the gateway stores only its hash and cannot show it again.')),
      h('div', { class: 'secret' }, h('code', { id: 'new-key' }, key), copyButton(key)),
      what ? h('p', { class: 'muted small', style: { margin: 0 } }, what) : null),
    footer: [h('button', { class: 'btn primary', id: 'key-done', onclick: () => m.close() }, 'I have copied it')],
  });
}

export async function render(el) {
  const list = h('div', { class: 'card', id: 'keys-list' }, spinner('Loading keys…'));
  let models = [];
  el.append(
    h('div', { class: 'page-head' },
      h('div', null, h('h1', null, 'Virtual keys'),
        h('p', null, 'Keys for apps and people, each with its own models, budget and rate limits. Changes apply to every gateway instance at once.')),
      h('div', { class: 'actions' },
        h('button', { class: 'btn', onclick: () => load() }, icon('refresh'), 'Refresh'),
        h('button', { class: 'btn primary', id: 'create-key', onclick: () => create() }, icon('plus'), 'Create key'))),
    list);

  async function load() {
    try {
      const [keys, info] = await Promise.all([listKeys(), get('/model/info').catch(() => ({ data: [] }))]);
      models = [...new Set((info.data || []).map((m) => m.model_name))].sort();
      draw(keys);
    } catch (e) {
      replace(list, h('div', { class: 'card-body' }, errorBox(e, 'Could not load the keys')));
    }
  }

  function draw(keys) {
    if (!keys.length) {
      replace(list, emptyState('No virtual keys yet', 'Create a key for each app or person: you can then give it a budget, limit its models and see its spend.',
        h('button', { class: 'btn primary', onclick: () => create() }, icon('plus'), 'Create key')));
      return;
    }
    keys.sort((a, b) => String(b.created_at || '').localeCompare(String(a.created_at || '')));
    const body = h('tbody');
    for (const k of keys) {
      const label = k.key_alias || k.key_name || k.token.slice(0, 10);
      body.appendChild(h('tr', { 'data-alias': k.key_alias || '', 'data-token': k.token },
        h('td', null, h('strong', null, label), h('span', { class: 'sub mono' }, k.key_name || ''),
          k.key_type && k.key_type !== 'default' ? h('span', { class: 'sub' }, `type: ${k.key_type}`) : null),
        h('td', { class: 'hide-sm' }, modelsCell(k.models)),
        h('td', null, budgetCell(k)),
        h('td', { class: 'hide-sm' }, limitsCell(k)),
        h('td', { class: 'hide-sm nowrap' }, k.expires ? h('span', { title: k.expires }, shortDate(k.expires), h('span', { class: 'sub' }, relative(k.expires))) : h('span', { class: 'muted' }, 'never')),
        h('td', { class: 'key-status' }, keyStatus(k)),
        h('td', null, h('div', { class: 'cell-actions' },
          h('button', { class: 'btn sm', 'data-action': k.blocked ? 'unblock' : 'block', onclick: () => block(k, !k.blocked) }, k.blocked ? 'Unblock' : 'Block'),
          h('button', { class: 'btn sm', 'data-action': 'regenerate', onclick: () => regenerate(k) }, 'Regenerate'),
          h('button', { class: 'btn sm danger', 'data-action': 'delete', onclick: () => remove(k) }, 'Delete')))));
    }
    replace(list, h('div', { class: 'table-wrap' }, stack(h('table', null,
      h('thead', null, h('tr', null, h('th', null, 'Key'), h('th', { class: 'hide-sm' }, 'Models'), h('th', null, 'Spend / budget'),
        h('th', { class: 'hide-sm' }, 'Limits'), h('th', { class: 'hide-sm' }, 'Expires'), h('th', null, 'Status'), h('th', null, ''))),
      body))));
  }

  async function block(k, blocked) {
    try {
      await post(blocked ? '/key/block' : '/key/unblock', { key: k.token });
      toast(`${k.key_alias || k.key_name} is ${blocked ? 'blocked: requests with it are refused' : 'unblocked'}.`, 'ok');
      load();
    } catch (e) {
      toast(`Could not ${blocked ? 'block' : 'unblock'} the key: ${e.message}`, 'err', 8000);
    }
  }

  async function regenerate(k) {
    const ok = await confirmDialog({ title: `Regenerate ${k.key_alias || k.key_name}?`, confirm: 'Regenerate', danger: true,
      message: 'A new key replaces this one. The old key stops working immediately; its settings, budget and spend carry over.' });
    if (!ok) return;
    try {
      const r = await post('/key/regenerate', { key: k.token });
      showKeyOnce('New key', r.key, `Replaces ${k.key_name}. Update the apps that used the old one.`);
      load();
    } catch (e) {
      toast(`Could not regenerate the key: ${e.message}`, 'err', 8000);
    }
  }

  async function remove(k) {
    const ok = await confirmDialog({ title: `Delete ${k.key_alias || k.key_name}?`, confirm: 'Delete key',
      message: 'Requests with this key are refused from now on. Its spend history stays in the usage logs. This cannot be undone.' });
    if (!ok) return;
    try {
      await post('/key/delete', { keys: [k.token] });
      toast(`Deleted ${k.key_alias || k.key_name}.`, 'ok');
      load();
    } catch (e) {
      toast(`Could not delete the key: ${e.message}`, 'err', 8000);
    }
  }

  function create() {
    const alias = h('input', { id: 'key-alias', placeholder: 'open-webui', autocomplete: 'off' });
    const checks = modelChecks('key-models', models);
    const limits = limitFields('key');
    const expiryDate = h('input', { id: 'key-expires-at', type: 'date', class: 'hidden' });
    const expiry = h('select', { id: 'key-expiry', onchange: () => expiryDate.classList.toggle('hidden', expiry.value !== 'date') },
      EXPIRIES.map(([v, l]) => h('option', { value: v }, l)));
    const error = h('div');
    const submit = h('button', { class: 'btn primary', type: 'button', id: 'create-key-submit', onclick: () => form.requestSubmit() }, 'Create key');

    const form = h('form', { class: 'form', novalidate: true, onsubmit: async (e) => {
      e.preventDefault();
      replace(error);
      const body = {};
      if (alias.value.trim()) body.key_alias = alias.value.trim();
      const chosen = checks.chosen();
      if (chosen.length) body.models = chosen;
      limits.fill(body);
      if (expiry.value === 'date') {
        if (!expiryDate.value) { replace(error, errorBox(new Error('Pick the expiry date.'), 'Check the form')); return; }
        body.expires = new Date(`${expiryDate.value}T23:59:59`).toISOString();
      } else if (expiry.value) {
        body.duration = expiry.value;
      }
      submit.disabled = true;
      try {
        const r = await post('/key/generate', body);
        m.close();
        showKeyOnce('Your new key', r.key, `${r.key_alias ? `Alias: ${r.key_alias}. ` : ''}Use it as "Authorization: Bearer <key>" with any OpenAI client.`);
        load();
      } catch (err) {
        replace(error, errorBox(err, 'The key was not created'));
        submit.disabled = false;
      }
    } },
    field('Alias', alias, 'A name to recognise the key by, unique (e.g. the app that uses it).'),
    h('div', { class: 'field' }, h('span', null, 'Models'), checks.el, h('span', { class: 'hint' }, 'None ticked: the key may use every model.')),
    ...limits.el,
    h('div', { class: 'row' }, field('Expires', expiry), h('div', { class: 'field' }, h('span', null, '\u00a0'), expiryDate)),
    error,
    h('button', { type: 'submit', class: 'hidden', tabindex: '-1', 'aria-hidden': 'true' }));

    const m = modal({ title: 'Create a virtual key', wide: true, body: form,
      footer: [h('button', { class: 'btn', type: 'button', onclick: () => m.close() }, 'Cancel'), submit] });
  }

  await load();
}
