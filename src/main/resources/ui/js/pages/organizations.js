// Organizations: the top of the tenancy (organizations -> teams -> users -> keys). Create with models, a budget and
// limits (kept, as in LiteLLM, in a budget the organization references), list with spend and teams, delete.
import { h, icon, replace, toast, errorBox, emptyState, modal, confirmDialog, field, spinner, stack } from '../dom.js';
import { get, post } from '../api.js';
import { budgetCell, limitsCell, modelsCell, modelChecks, limitFields } from '../limits.js';

/** An organization's limits live in its budget (litellm_budget_table); its spend on itself. */
function withLimits(o) {
  return { ...(o.litellm_budget_table || {}), ...o, spend: o.spend || 0 };
}

export async function render(el) {
  const list = h('div', { class: 'card', id: 'orgs-list' }, spinner('Loading organizations…'));
  let models = [];
  el.append(
    h('div', { class: 'page-head' },
      h('div', null, h('h1', null, 'Organizations'),
        h('p', null, 'The top of the tenancy: an organization\'s models, budget and limits bound every team and key in it.')),
      h('div', { class: 'actions' },
        h('button', { class: 'btn', onclick: () => load() }, icon('refresh'), 'Refresh'),
        h('button', { class: 'btn primary', id: 'create-org', onclick: () => create() }, icon('plus'), 'Create organization'))),
    list);

  async function load() {
    try {
      const [orgs, info] = await Promise.all([get('/organization/list'), get('/model/info').catch(() => ({ data: [] }))]);
      models = [...new Set((info.data || []).map((m) => m.model_name))].sort();
      draw(Array.isArray(orgs) ? orgs : (orgs.organizations || []));
    } catch (e) {
      replace(list, h('div', { class: 'card-body' }, errorBox(e, 'Could not load the organizations')));
    }
  }

  function draw(orgs) {
    if (!orgs.length) {
      replace(list, emptyState('No organizations yet', 'Create an organization to bound the models, budget and limits of the teams in it.',
        h('button', { class: 'btn primary', onclick: () => create() }, icon('plus'), 'Create organization')));
      return;
    }
    const body = h('tbody');
    for (const raw of orgs) {
      const o = withLimits(raw);
      body.appendChild(h('tr', { 'data-org': o.organization_alias || o.organization_id },
        h('td', null, h('strong', null, o.organization_alias || o.organization_id), h('span', { class: 'sub mono' }, o.organization_id)),
        h('td', { class: 'hide-sm' }, modelsCell(o.models)),
        h('td', null, budgetCell(o)),
        h('td', { class: 'hide-sm' }, limitsCell(o)),
        h('td', { class: 'hide-sm' }, `${(o.teams || []).length} teams · ${(o.members || []).length} members`),
        h('td', null, h('div', { class: 'cell-actions' },
          h('button', { class: 'btn sm danger', 'data-action': 'delete', onclick: () => remove(o) }, 'Delete')))));
    }
    replace(list, h('div', { class: 'table-wrap' }, stack(h('table', null,
      h('thead', null, h('tr', null, h('th', null, 'Organization'), h('th', { class: 'hide-sm' }, 'Models'), h('th', null, 'Spend / budget'),
        h('th', { class: 'hide-sm' }, 'Limits'), h('th', { class: 'hide-sm' }, 'Teams and members'), h('th', null, ''))),
      body))));
  }

  async function remove(o) {
    const ok = await confirmDialog({ title: `Delete ${o.organization_alias || o.organization_id}?`, confirm: 'Delete organization',
      message: 'The organization is deleted. Spend history stays in the usage logs.' });
    if (!ok) return;
    try {
      await post('/organization/delete', { organization_ids: [o.organization_id] });
      toast(`Deleted ${o.organization_alias || o.organization_id}.`, 'ok');
      load();
    } catch (e) {
      toast(`Could not delete the organization: ${e.message}`, 'err', 8000);
    }
  }

  function create() {
    const alias = h('input', { id: 'org-alias', placeholder: 'acme', autocomplete: 'off' });
    const checks = modelChecks('org-models', models);
    const limits = limitFields('org');
    const error = h('div');
    const submit = h('button', { class: 'btn primary', type: 'button', id: 'create-org-submit', onclick: () => form.requestSubmit() }, 'Create organization');
    const form = h('form', { class: 'form', novalidate: true, onsubmit: async (e) => {
      e.preventDefault();
      replace(error);
      if (!alias.value.trim()) { replace(error, errorBox(new Error('Give the organization a name.'), 'Check the form')); return; }
      const body = { organization_alias: alias.value.trim() };
      const chosen = checks.chosen();
      if (chosen.length) body.models = chosen;
      limits.fill(body);
      submit.disabled = true;
      try {
        await post('/organization/new', body);
        m.close();
        toast(`Created ${body.organization_alias}.`, 'ok');
        load();
      } catch (err) {
        replace(error, errorBox(err, 'The organization was not created'));
        submit.disabled = false;
      }
    } },
    field('Name', alias, 'How the organization is shown (its organization_alias).', true),
    h('div', { class: 'field' }, h('span', null, 'Models'), checks.el, h('span', { class: 'hint' }, 'None ticked: every model.')),
    ...limits.el,
    error,
    h('button', { type: 'submit', class: 'hidden', tabindex: '-1', 'aria-hidden': 'true' }));
    const m = modal({ title: 'Create an organization', wide: true, body: form,
      footer: [h('button', { class: 'btn', type: 'button', onclick: () => m.close() }, 'Cancel'), submit] });
  }

  await load();
}
