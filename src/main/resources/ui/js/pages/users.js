// Users: create (role, budget, limits, teams; the key LiteLLM makes with a new user is shown once), list with spend
// against budget and teams, delete. LiteLLM's /user/* routes, field names and roles.
import { h, icon, replace, toast, errorBox, emptyState, badge, modal, confirmDialog, field, spinner, stack, copyButton } from '../dom.js';
import { get, post } from '../api.js';
import { budgetCell, limitsCell, modelsCell, limitFields } from '../limits.js';
import { listTeams } from './teams.js';

const ROLES = [['internal_user', 'Internal user: uses models, manages their own keys'],
  ['internal_user_viewer', 'Internal viewer: sees their own usage'],
  ['proxy_admin', 'Admin: everything'],
  ['proxy_admin_viewer', 'Admin viewer: sees everything, changes nothing']];
const PAGE_SIZE = 100;

async function listUsers() {
  const users = [];
  for (let page = 1; page <= 50; page++) {
    const r = await get(`/user/list?page=${page}&page_size=${PAGE_SIZE}`);
    users.push(...(Array.isArray(r) ? r : (r.users || [])));
    if (Array.isArray(r) || !r.total_pages || page >= r.total_pages) break;
  }
  return users;
}

export async function render(el) {
  const list = h('div', { class: 'card', id: 'users-list' }, spinner('Loading users…'));
  let teams = [];
  el.append(
    h('div', { class: 'page-head' },
      h('div', null, h('h1', null, 'Users'),
        h('p', null, 'People who use the gateway: their role, their teams, and a budget and limits across all their keys.')),
      h('div', { class: 'actions' },
        h('button', { class: 'btn', onclick: () => load() }, icon('refresh'), 'Refresh'),
        h('button', { class: 'btn primary', id: 'create-user', onclick: () => create() }, icon('plus'), 'Create user'))),
    list);

  async function load() {
    try {
      const [users, teamList] = await Promise.all([listUsers(), listTeams().catch(() => [])]);
      teams = teamList;
      draw(users);
    } catch (e) {
      replace(list, h('div', { class: 'card-body' }, errorBox(e, 'Could not load the users')));
    }
  }

  function teamName(id) {
    const t = teams.find((x) => x.team_id === id);
    return t ? (t.team_alias || t.team_id) : id;
  }

  function draw(users) {
    if (!users.length) {
      replace(list, emptyState('No users yet', 'Create a user to give a person a role, teams, and a budget across all their keys.',
        h('button', { class: 'btn primary', onclick: () => create() }, icon('plus'), 'Create user')));
      return;
    }
    const body = h('tbody');
    for (const u of users) {
      body.appendChild(h('tr', { 'data-user': u.user_id },
        h('td', null, h('strong', null, u.user_email || u.user_id), u.user_email ? h('span', { class: 'sub mono' }, u.user_id) : null),
        h('td', null, badge((u.user_role || 'internal_user').replaceAll('_', ' '), u.user_role === 'proxy_admin' ? 'warn' : '')),
        h('td', { class: 'hide-sm' }, (u.teams || []).length
          ? h('div', { class: 'chips' }, u.teams.map((t) => h('span', { class: 'chip' }, teamName(t)))) : h('span', { class: 'muted' }, 'none')),
        h('td', { class: 'hide-sm' }, modelsCell(u.models)),
        h('td', null, budgetCell(u)),
        h('td', { class: 'hide-sm' }, limitsCell(u)),
        h('td', null, h('div', { class: 'cell-actions' },
          h('button', { class: 'btn sm danger', 'data-action': 'delete', onclick: () => remove(u) }, 'Delete')))));
    }
    replace(list, h('div', { class: 'table-wrap' }, stack(h('table', null,
      h('thead', null, h('tr', null, h('th', null, 'User'), h('th', null, 'Role'), h('th', { class: 'hide-sm' }, 'Teams'),
        h('th', { class: 'hide-sm' }, 'Models'), h('th', null, 'Spend / budget'), h('th', { class: 'hide-sm' }, 'Limits'), h('th', null, ''))),
      body))));
  }

  async function remove(u) {
    const ok = await confirmDialog({ title: `Delete ${u.user_email || u.user_id}?`, confirm: 'Delete user',
      message: 'The user and their keys are deleted: requests with those keys are refused from now on. Spend history stays in the usage logs.' });
    if (!ok) return;
    try {
      await post('/user/delete', { user_ids: [u.user_id] });
      toast(`Deleted ${u.user_email || u.user_id}.`, 'ok');
      load();
    } catch (e) {
      toast(`Could not delete the user: ${e.message}`, 'err', 8000);
    }
  }

  function create() {
    const email = h('input', { id: 'user-email', type: 'email', placeholder: 'alice@example.com', autocomplete: 'off' });
    const userId = h('input', { id: 'user-id', placeholder: 'made up when empty', autocomplete: 'off' });
    const role = h('select', { id: 'user-role' }, ROLES.map(([v, l]) => h('option', { value: v }, l)));
    const teamChecks = h('div', { class: 'checks', id: 'user-teams' },
      teams.length ? teams.map((t) => h('label', { class: 'check' }, h('input', { type: 'checkbox', value: t.team_id }), t.team_alias || t.team_id))
        : h('span', { class: 'muted small' }, 'No teams yet.'));
    const limits = limitFields('user');
    const error = h('div');
    const submit = h('button', { class: 'btn primary', type: 'button', id: 'create-user-submit', onclick: () => form.requestSubmit() }, 'Create user');
    const form = h('form', { class: 'form', novalidate: true, onsubmit: async (e) => {
      e.preventDefault();
      replace(error);
      const body = { user_role: role.value };
      if (email.value.trim()) body.user_email = email.value.trim();
      if (userId.value.trim()) body.user_id = userId.value.trim();
      const chosen = [...teamChecks.querySelectorAll('input:checked')].map((c) => c.value);
      if (chosen.length) body.teams = chosen;
      limits.fill(body);
      submit.disabled = true;
      try {
        const r = await post('/user/new', body);
        m.close();
        load();
        if (r.key) showKey(r);
        else toast(`Created ${r.user_email || r.user_id}.`, 'ok');
      } catch (err) {
        replace(error, errorBox(err, 'The user was not created'));
        submit.disabled = false;
      }
    } },
    h('div', { class: 'row' }, field('Email', email), field('User id', userId)),
    field('Role', role),
    h('div', { class: 'field' }, h('span', null, 'Teams'), teamChecks),
    ...limits.el,
    error,
    h('button', { type: 'submit', class: 'hidden', tabindex: '-1', 'aria-hidden': 'true' }));
    const m = modal({ title: 'Create a user', wide: true, body: form,
      footer: [h('button', { class: 'btn', type: 'button', onclick: () => m.close() }, 'Cancel'), submit] });
  }

  function showKey(r) {
    const m = modal({ title: `Key for ${r.user_email || r.user_id}`, locked: true,
      body: h('div', { class: 'form' },
        h('div', { class: 'alert warn' }, icon('alert'), h('div', { class: 'msg' },
          h('strong', null, 'Copy this key now.'), 'It is shown only once: the gateway stores only its hash.')),
        h('div', { class: 'secret' }, h('code', { id: 'new-user-key' }, r.key), copyButton(r.key))),
      footer: [h('button', { class: 'btn primary', id: 'user-key-done', onclick: () => m.close() }, 'I have copied it')] });
  }

  await load();
}
