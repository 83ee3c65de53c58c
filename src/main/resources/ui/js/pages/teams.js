// Teams: create (models, budget, limits, organization), list with spend against budget, members (add with a role and a
// budget inside the team, remove), block/unblock, delete. LiteLLM's /team/* routes and field names.
import { h, icon, replace, toast, errorBox, emptyState, badge, modal, confirmDialog, field, spinner, stack } from '../dom.js';
import { get, post } from '../api.js';
import { usd } from '../format.js';
import { budgetCell, limitsCell, modelsCell, modelChecks, limitFields } from '../limits.js';

/** Every team, whatever shape the list comes in (LiteLLM answers a bare list). */
export async function listTeams() {
  const r = await get('/team/list');
  return Array.isArray(r) ? r : (r.teams || r.data || []);
}

function members(t) {
  return t.members_with_roles || [];
}

export async function render(el) {
  const list = h('div', { class: 'card', id: 'teams-list' }, spinner('Loading teams…'));
  let models = [];
  let orgs = [];
  el.append(
    h('div', { class: 'page-head' },
      h('div', null, h('h1', null, 'Teams'),
        h('p', null, 'Groups of people and keys sharing models, a budget and rate limits. A team admin manages the team\'s keys and members.')),
      h('div', { class: 'actions' },
        h('button', { class: 'btn', onclick: () => load() }, icon('refresh'), 'Refresh'),
        h('button', { class: 'btn primary', id: 'create-team', onclick: () => create() }, icon('plus'), 'Create team'))),
    list);

  async function load() {
    try {
      const [teams, info, orgList] = await Promise.all([listTeams(), get('/model/info').catch(() => ({ data: [] })),
        get('/organization/list').catch(() => [])]);
      models = [...new Set((info.data || []).map((m) => m.model_name))].sort();
      orgs = Array.isArray(orgList) ? orgList : (orgList.organizations || []);
      draw(teams);
    } catch (e) {
      replace(list, h('div', { class: 'card-body' }, errorBox(e, 'Could not load the teams')));
    }
  }

  function orgName(id) {
    const o = orgs.find((x) => x.organization_id === id);
    return o && o.organization_alias ? o.organization_alias : id;
  }

  function draw(teams) {
    if (!teams.length) {
      replace(list, emptyState('No teams yet', 'Create a team to give a group of people and their keys a shared budget, limits and models.',
        h('button', { class: 'btn primary', onclick: () => create() }, icon('plus'), 'Create team')));
      return;
    }
    const body = h('tbody');
    for (const t of teams) {
      body.appendChild(h('tr', { 'data-team': t.team_alias || t.team_id },
        h('td', null, h('strong', null, t.team_alias || t.team_id), h('span', { class: 'sub mono' }, t.team_id),
          t.organization_id ? h('span', { class: 'sub' }, `organization: ${orgName(t.organization_id)}`) : null),
        h('td', { class: 'hide-sm' }, modelsCell(t.models)),
        h('td', null, budgetCell(t)),
        h('td', { class: 'hide-sm' }, limitsCell(t)),
        h('td', { class: 'hide-sm' }, `${members(t).length}`),
        h('td', null, t.blocked ? badge('Blocked', 'err') : badge('Active', 'ok')),
        h('td', null, h('div', { class: 'cell-actions' },
          h('button', { class: 'btn sm', 'data-action': 'members', onclick: () => showMembers(t) }, 'Members'),
          h('button', { class: 'btn sm', 'data-action': t.blocked ? 'unblock' : 'block', onclick: () => block(t, !t.blocked) }, t.blocked ? 'Unblock' : 'Block'),
          h('button', { class: 'btn sm danger', 'data-action': 'delete', onclick: () => remove(t) }, 'Delete')))));
    }
    replace(list, h('div', { class: 'table-wrap' }, stack(h('table', null,
      h('thead', null, h('tr', null, h('th', null, 'Team'), h('th', { class: 'hide-sm' }, 'Models'), h('th', null, 'Spend / budget'),
        h('th', { class: 'hide-sm' }, 'Limits'), h('th', { class: 'hide-sm' }, 'Members'), h('th', null, 'Status'), h('th', null, ''))),
      body))));
  }

  async function block(t, blocked) {
    try {
      await post(blocked ? '/team/block' : '/team/unblock', { team_id: t.team_id });
      toast(`${t.team_alias || t.team_id} is ${blocked ? 'blocked: requests with its keys are refused' : 'unblocked'}.`, 'ok');
      load();
    } catch (e) {
      toast(`Could not ${blocked ? 'block' : 'unblock'} the team: ${e.message}`, 'err', 8000);
    }
  }

  async function remove(t) {
    const ok = await confirmDialog({ title: `Delete ${t.team_alias || t.team_id}?`, confirm: 'Delete team',
      message: 'The team and its keys are deleted: requests with those keys are refused from now on. Spend history stays in the usage logs.' });
    if (!ok) return;
    try {
      await post('/team/delete', { team_ids: [t.team_id] });
      toast(`Deleted ${t.team_alias || t.team_id}.`, 'ok');
      load();
    } catch (e) {
      toast(`Could not delete the team: ${e.message}`, 'err', 8000);
    }
  }

  async function showMembers(t) {
    const table = h('div', { id: 'team-members' }, spinner('Loading members…'));
    const userId = h('input', { id: 'member-user', placeholder: 'user id or email', autocomplete: 'off' });
    const role = h('select', { id: 'member-role' }, h('option', { value: 'user' }, 'Member'), h('option', { value: 'admin' }, 'Team admin'));
    const budget = h('input', { id: 'member-budget', type: 'number', min: '0', step: 'any', placeholder: 'no limit' });
    const error = h('div');
    const m = modal({ title: `Members of ${t.team_alias || t.team_id}`, wide: true,
      body: h('div', { class: 'form' }, table,
        h('fieldset', null, h('legend', null, 'Add a member'),
          h('div', { class: 'row three' }, field('User', userId), field('Role', role), field('Budget in this team (USD)', budget))),
        error),
      footer: [h('button', { class: 'btn', onclick: () => m.close() }, 'Close'),
        h('button', { class: 'btn primary', id: 'member-add', onclick: () => add() }, icon('plus'), 'Add member')] });

    async function refresh() {
      try {
        const info = await get(`/team/info?team_id=${encodeURIComponent(t.team_id)}`);
        const team = info.team_info || info;
        const spendOf = new Map((info.team_memberships || []).map((tm) => [tm.user_id, tm]));
        const rows = members(team).map((mb) => {
          const tm = spendOf.get(mb.user_id) || {};
          const cap = tm.litellm_budget_table && tm.litellm_budget_table.max_budget;
          return h('tr', { 'data-member': mb.user_id || mb.user_email },
            h('td', null, h('strong', null, mb.user_id || mb.user_email), mb.user_email && mb.user_id ? h('span', { class: 'sub' }, mb.user_email) : null),
            h('td', null, mb.role === 'admin' ? badge('Team admin', 'ok') : 'Member'),
            h('td', null, `${usd(tm.spend || 0)}${cap != null ? ` of ${usd(cap)}` : ''}`),
            h('td', null, h('button', { class: 'btn sm danger', 'data-action': 'remove-member', onclick: () => drop(mb) }, 'Remove')));
        });
        replace(table, rows.length ? h('div', { class: 'table-wrap' }, h('table', null,
          h('thead', null, h('tr', null, h('th', null, 'User'), h('th', null, 'Role'), h('th', null, 'Spend in team'), h('th', null, ''))),
          h('tbody', null, rows))) : h('p', { class: 'muted' }, 'No members yet.'));
      } catch (e) {
        replace(table, errorBox(e, 'Could not load the members'));
      }
    }

    async function add() {
      replace(error);
      const who = userId.value.trim();
      if (!who) { replace(error, errorBox(new Error('Name the user to add (their id or email).'), 'Check the form')); return; }
      const member = { role: role.value };
      if (who.includes('@')) member.user_email = who; else member.user_id = who;
      const body = { team_id: t.team_id, member };
      if (budget.value !== '') body.max_budget_in_team = Number(budget.value);
      try {
        await post('/team/member_add', body);
        userId.value = '';
        budget.value = '';
        toast(`Added ${who} to ${t.team_alias || t.team_id}.`, 'ok');
        refresh();
        load();
      } catch (e) {
        replace(error, errorBox(e, 'The member was not added'));
      }
    }

    async function drop(mb) {
      try {
        await post('/team/member_delete', { team_id: t.team_id, user_id: mb.user_id, user_email: mb.user_email });
        toast(`Removed ${mb.user_id || mb.user_email}.`, 'ok');
        refresh();
        load();
      } catch (e) {
        toast(`Could not remove the member: ${e.message}`, 'err', 8000);
      }
    }

    refresh();
    return m;
  }

  function create() {
    const alias = h('input', { id: 'team-alias', placeholder: 'ml-research', autocomplete: 'off' });
    const org = h('select', { id: 'team-organization' }, h('option', { value: '' }, 'None'),
      orgs.map((o) => h('option', { value: o.organization_id }, o.organization_alias || o.organization_id)));
    const checks = modelChecks('team-models', models);
    const limits = limitFields('team');
    const error = h('div');
    const submit = h('button', { class: 'btn primary', type: 'button', id: 'create-team-submit', onclick: () => form.requestSubmit() }, 'Create team');
    const form = h('form', { class: 'form', novalidate: true, onsubmit: async (e) => {
      e.preventDefault();
      replace(error);
      if (!alias.value.trim()) { replace(error, errorBox(new Error('Give the team a name.'), 'Check the form')); return; }
      const body = { team_alias: alias.value.trim() };
      if (org.value) body.organization_id = org.value;
      const chosen = checks.chosen();
      if (chosen.length) body.models = chosen;
      limits.fill(body);
      submit.disabled = true;
      try {
        await post('/team/new', body);
        m.close();
        toast(`Created team ${body.team_alias}.`, 'ok');
        load();
      } catch (err) {
        replace(error, errorBox(err, 'The team was not created'));
        submit.disabled = false;
      }
    } },
    field('Name', alias, 'How the team is shown (its team_alias).', true),
    field('Organization', org),
    h('div', { class: 'field' }, h('span', null, 'Models'), checks.el, h('span', { class: 'hint' }, 'None ticked: every model (of its organization).')),
    ...limits.el,
    error,
    h('button', { type: 'submit', class: 'hidden', tabindex: '-1', 'aria-hidden': 'true' }));
    const m = modal({ title: 'Create a team', wide: true, body: form,
      footer: [h('button', { class: 'btn', type: 'button', onclick: () => m.close() }, 'Cancel'), submit] });
  }

  await load();
}
