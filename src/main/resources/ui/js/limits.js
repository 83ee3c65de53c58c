// What keys, teams, users and organizations share: a spend-against-budget cell, a limits cell, and the budget and
// rate-limit fields of their create forms (LiteLLM's field names: max_budget, budget_duration, rpm_limit, tpm_limit,
// max_parallel_requests).
import { h, field } from './dom.js';
import { usd, num, relative } from './format.js';

export const DURATIONS = [['', 'No reset (lifetime budget)'], ['1d', 'Daily'], ['7d', 'Weekly'], ['30d', 'Every 30 days'], ['1mo', 'Monthly']];

/** Spend against max_budget, with a bar and the reset period. */
export function budgetCell(o) {
  const spend = o.spend || 0;
  if (o.max_budget == null) {
    return h('div', { class: 'budget' }, h('div', { class: 'nums' }, h('strong', null, usd(spend)), h('span', { class: 'muted' }, 'no budget')));
  }
  const pct = o.max_budget > 0 ? Math.min(100, (spend / o.max_budget) * 100) : 100;
  return h('div', { class: 'budget', title: `${pct.toFixed(1)}% of the budget used` },
    h('div', { class: 'nums' }, h('strong', null, usd(spend)), h('span', { class: 'muted' }, `of ${usd(o.max_budget)}`)),
    h('div', { class: `bar${pct >= 100 ? ' err' : pct >= 80 ? ' warn' : ''}`, role: 'progressbar', 'aria-valuenow': pct.toFixed(0), 'aria-valuemin': '0', 'aria-valuemax': '100' },
      h('i', { style: { width: `${pct}%` } })),
    o.budget_duration ? h('span', { class: 'sub small muted' }, `resets every ${o.budget_duration}${o.budget_reset_at ? ` · next ${relative(o.budget_reset_at)}` : ''}`) : null);
}

export function limitsCell(o) {
  const parts = [];
  if (o.rpm_limit != null) parts.push(`${num(o.rpm_limit)} rpm`);
  if (o.tpm_limit != null) parts.push(`${num(o.tpm_limit)} tpm`);
  if (o.max_parallel_requests != null) parts.push(`${num(o.max_parallel_requests)} parallel`);
  return parts.length ? h('div', { class: 'chips' }, parts.map((p) => h('span', { class: 'chip' }, p))) : h('span', { class: 'muted' }, 'none');
}

export function modelsCell(models) {
  return models && models.length
    ? h('div', { class: 'chips' }, models.map((m) => h('span', { class: 'chip' }, m))) : h('span', { class: 'muted' }, 'all models');
}

/** Model checkboxes; none ticked means every model. */
export function modelChecks(id, models) {
  const el = h('div', { class: 'checks', id },
    models.length ? models.map((m) => h('label', { class: 'check' }, h('input', { type: 'checkbox', value: m }), m))
      : h('span', { class: 'muted small' }, 'No models configured yet.'));
  return { el, chosen: () => [...el.querySelectorAll('input:checked')].map((c) => c.value) };
}

/**
 * The budget and rate-limit fieldsets of a create form, with ids `${prefix}-budget`, `${prefix}-budget-duration`,
 * `${prefix}-rpm`, `${prefix}-tpm`, `${prefix}-parallel`; `fill(body)` adds the fields that were filled in.
 */
export function limitFields(prefix) {
  const budget = h('input', { id: `${prefix}-budget`, type: 'number', min: '0', step: 'any', placeholder: 'no limit' });
  const duration = h('select', { id: `${prefix}-budget-duration` }, DURATIONS.map(([v, l]) => h('option', { value: v }, l)));
  const rpm = h('input', { id: `${prefix}-rpm`, type: 'number', min: '1', step: '1', placeholder: 'unlimited' });
  const tpm = h('input', { id: `${prefix}-tpm`, type: 'number', min: '1', step: '1', placeholder: 'unlimited' });
  const parallel = h('input', { id: `${prefix}-parallel`, type: 'number', min: '1', step: '1', placeholder: 'unlimited' });
  const el = [
    h('fieldset', null, h('legend', null, 'Budget'),
      h('div', { class: 'row' }, field('Max budget (USD)', budget), field('Budget period', duration))),
    h('fieldset', null, h('legend', null, 'Rate limits'),
      h('div', { class: 'row three' }, field('Requests / min', rpm), field('Tokens / min', tpm), field('Parallel requests', parallel))),
  ];
  const fill = (body) => {
    if (budget.value !== '') body.max_budget = Number(budget.value);
    if (duration.value) body.budget_duration = duration.value;
    if (rpm.value !== '') body.rpm_limit = Number(rpm.value);
    if (tpm.value !== '') body.tpm_limit = Number(tpm.value);
    if (parallel.value !== '') body.max_parallel_requests = Number(parallel.value);
    return body;
  };
  return { el, fill };
}
