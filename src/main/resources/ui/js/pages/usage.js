// Usage: spend over time (GET /spend/daily), by key, by model and by calling tool (GET /spend/daily?group_by=client),
// and the request log (GET /spend/logs) with filters and a detail view. Days are UTC days, as the gateway books them.
import { h, icon, replace, errorBox, emptyState, badge, modal, spinner, stack } from '../dom.js';
import { get, query } from '../api.js';
import { usd, num, ms, dateTime, utcDay, daysAgo, shortHash } from '../format.js';
import { spendChart } from '../chart.js';

const RANGES = [[7, '7 days'], [30, '30 days'], [90, '90 days']];
const LOG_PAGE_SIZE = 25;

// The gateway's names for calling tools (classified from the User-Agent), as people say them.
const TOOLS = {
  'claude-code': 'Claude Code', codex: 'Codex', cursor: 'Cursor', cline: 'Cline', aider: 'Aider', opencode: 'opencode',
  'gemini-cli': 'Gemini CLI', 'open-webui': 'Open WebUI', 'openai-sdk': 'OpenAI SDK', 'anthropic-sdk': 'Anthropic SDK',
  curl: 'curl', browser: 'Browser', other: 'Other', unknown: 'Unknown',
};

export function toolLabel(client) {
  return TOOLS[client] || client || TOOLS.unknown;
}

function unavailable(e) {
  return e && e.status === 404 && (e.code === 'not_found' || /Unknown route/i.test(e.message || ''));
}

function aggregate(rows, keyOf, labelOf) {
  const map = new Map();
  for (const r of rows) {
    const k = keyOf(r);
    const a = map.get(k) || { key: k, label: labelOf(r), requests: 0, failures: 0, tokens: 0, spend: 0 };
    a.requests += r.requests || 0;
    a.failures += r.failures || 0;
    a.tokens += (r.prompt_tokens || 0) + (r.completion_tokens || 0);
    a.spend += r.spend || 0;
    if (!a.label && labelOf(r)) a.label = labelOf(r);
    map.set(k, a);
  }
  return [...map.values()].sort((a, b) => b.spend - a.spend || b.requests - a.requests);
}

function shareTable(id, title, rows, nameHeader) {
  const total = rows.reduce((s, r) => s + r.spend, 0);
  const body = h('tbody');
  for (const r of rows) {
    const pct = total > 0 ? (r.spend / total) * 100 : 0;
    body.appendChild(h('tr', { 'data-name': r.label || r.key || '' },
      h('td', null, h('strong', null, r.label || '–'), r.sub ? h('span', { class: 'sub mono' }, r.sub) : null,
        h('div', { class: 'bar', style: { marginTop: '6px' } }, h('i', { style: { width: `${pct}%` } }))),
      h('td', { class: 'num' }, num(r.requests), r.failures ? h('span', { class: 'sub' }, `${num(r.failures)} failed`) : null),
      h('td', { class: 'num hide-sm' }, num(r.tokens)),
      h('td', { class: 'num' }, usd(r.spend))));
  }
  return h('div', { class: 'card', id }, h('div', { class: 'card-head' }, h('h2', null, title)),
    rows.length ? h('div', { class: 'table-wrap' }, h('table', null,
      h('thead', null, h('tr', null, h('th', null, nameHeader), h('th', { class: 'num' }, 'Requests'), h('th', { class: 'num hide-sm' }, 'Tokens'), h('th', { class: 'num' }, 'Spend'))),
      body)) : h('div', { class: 'card-body muted' }, 'Nothing in this period.'));
}

export async function render(el, app) {
  const masterToken = app && app.session && app.session.master_key_token;
  let days = 30;
  let cleanupChart = null;
  const rangeSeg = h('div', { class: 'seg', role: 'group', 'aria-label': 'Period' });
  const body = h('div', { id: 'usage-body' });
  el.append(
    h('div', { class: 'page-head' },
      h('div', null, h('h1', null, 'Usage'), h('p', null, 'Spend, requests and tokens through the gateway, and every request\'s details.')),
      h('div', { class: 'actions' }, rangeSeg, h('button', { class: 'btn', onclick: () => load() }, icon('refresh'), 'Refresh'))),
    body);

  function drawRange() {
    replace(rangeSeg, RANGES.map(([d, label]) => h('button', { class: d === days ? 'on' : '', onclick: () => { days = d; drawRange(); load(); } }, label)));
  }

  async function load() {
    if (cleanupChart) { cleanupChart(); cleanupChart = null; }
    replace(body, spinner('Loading usage…'));
    const start = utcDay(daysAgo(days - 1)), end = utcDay(new Date());
    let rows, toolRows;
    try {
      // by tool is an extra: a gateway without it still shows the rest
      [rows, toolRows] = await Promise.all([
        get(`/spend/daily${query({ start_date: start, end_date: end })}`),
        get(`/spend/daily${query({ start_date: start, end_date: end, group_by: 'client' })}`).catch(() => null),
      ]);
    } catch (e) {
      if (unavailable(e)) {
        replace(body, h('div', { class: 'card', id: 'usage-empty' }, emptyState('No usage data yet',
          'This gateway does not report spend yet (GET /spend/daily is not available). Requests still work; their usage will show here once spend reporting is enabled.')));
        return;
      }
      replace(body, errorBox(e, 'Could not load the usage'));
      return;
    }
    rows = Array.isArray(rows) ? rows : [];
    if (!rows.length) {
      replace(body, h('div', { class: 'card', id: 'usage-empty' }, emptyState('No usage yet',
        `No requests in the last ${days} days. Requests through the gateway appear here a few seconds after they finish.`,
        h('a', { class: 'btn primary', href: '#/playground' }, 'Try the playground'))));
      return;
    }
    const dayList = [];
    for (let i = days - 1; i >= 0; i--) dayList.push(utcDay(daysAgo(i)));
    const byDay = new Map(dayList.map((d) => [d, { spend: 0, requests: 0 }]));
    for (const r of rows) {
      const d = byDay.get(r.date);
      if (d) { d.spend += r.spend || 0; d.requests += r.requests || 0; }
    }
    const totals = rows.reduce((t, r) => ({
      spend: t.spend + (r.spend || 0), requests: t.requests + (r.requests || 0), failures: t.failures + (r.failures || 0),
      prompt: t.prompt + (r.prompt_tokens || 0), completion: t.completion + (r.completion_tokens || 0),
    }), { spend: 0, requests: 0, failures: 0, prompt: 0, completion: 0 });
    const keyLabel = (r) => r.key_alias || (r.api_key && r.api_key === masterToken ? 'Master key' : r.api_key ? shortHash(r.api_key) : 'no key');
    const keys = aggregate(rows, (r) => r.api_key || '', keyLabel);
    for (const k of keys) k.sub = k.key && k.label !== shortHash(k.key) ? shortHash(k.key) : null;
    const models = aggregate(rows, (r) => r.model || '', (r) => r.model || '(no model)');
    const tools = Array.isArray(toolRows) ? aggregate(toolRows, (r) => r.client || 'unknown', (r) => toolLabel(r.client)) : null;

    const chartBox = h('div', { class: 'chart', id: 'spend-chart' }, spinner('Drawing…'));
    const logs = h('div', { class: 'card', id: 'request-log' });
    replace(body,
      h('div', { class: 'stats' },
        stat('Spend', usd(totals.spend), `last ${days} days`, 'total-spend'),
        stat('Requests', num(totals.requests), totals.requests ? `${((totals.failures / totals.requests) * 100).toFixed(1)}% failed` : '', 'total-requests'),
        stat('Tokens', num(totals.prompt + totals.completion), `${num(totals.prompt)} in · ${num(totals.completion)} out`, 'total-tokens'),
        stat('Keys', num(keys.filter((k) => k.key).length), `${num(models.length)} models`, 'total-keys')),
      h('div', { class: 'card' }, h('div', { class: 'card-head' }, h('h2', null, 'Spend per day'), h('span', { class: 'legend-note' }, 'UTC days · bars: spend · line: requests')),
        h('div', { class: 'card-body' }, chartBox)),
      h('div', { class: 'grid-2 section', style: { marginTop: '18px' } },
        shareTable('by-key', 'By key', keys, 'Key'),
        shareTable('by-model', 'By model', models, 'Model')),
      tools ? h('div', { class: 'section', style: { marginTop: '18px' } }, shareTable('by-tool', 'By tool', tools, 'Tool')) : null,
      h('div', { class: 'section', style: { marginTop: '18px' } }, logs));
    try {
      cleanupChart = await spendChart(chartBox, dayList, dayList.map((d) => byDay.get(d).spend), dayList.map((d) => byDay.get(d).requests));
    } catch (e) {
      replace(chartBox, errorBox(e, 'The chart could not be drawn'));
    }
    requestLog(logs, { start, keys: keys.filter((k) => k.key), models: models.map((m) => m.key).filter(Boolean) });
  }

  drawRange();
  await load();
  return () => { if (cleanupChart) cleanupChart(); };
}

function stat(label, value, sub, id) {
  return h('div', { class: 'stat', id }, h('div', { class: 'label' }, label), h('div', { class: 'value' }, value), sub ? h('div', { class: 'sub' }, sub) : null);
}

function localInput(d) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The request log: filters, a page of rows, and a detail dialog per row. */
function requestLog(card, { start, keys, models }) {
  let page = 1;
  const status = h('select', { id: 'log-status' }, h('option', { value: '' }, 'All'), h('option', { value: 'success' }, 'Succeeded'), h('option', { value: 'failure' }, 'Failed'));
  const model = h('select', { id: 'log-model' }, h('option', { value: '' }, 'All models'), models.map((m) => h('option', { value: m }, m)));
  const key = h('select', { id: 'log-key' }, h('option', { value: '' }, 'All keys'), keys.map((k) => h('option', { value: k.key }, k.label)));
  const from = h('input', { id: 'log-from', type: 'datetime-local', value: localInput(new Date(`${start}T00:00:00Z`)) });
  const to = h('input', { id: 'log-to', type: 'datetime-local' });
  const endUser = h('input', { id: 'log-end-user', type: 'text', placeholder: 'Any', maxlength: '255', autocomplete: 'off' });
  const table = h('div');
  const prev = h('button', { class: 'btn sm', onclick: () => { page = Math.max(1, page - 1); load(); } }, 'Previous');
  const next = h('button', { class: 'btn sm', onclick: () => { page += 1; load(); } }, 'Next');
  const where = h('span', { class: 'muted small' });
  const onFilter = () => { page = 1; load(); };
  for (const f of [status, model, key, from, to, endUser]) f.addEventListener('change', onFilter);

  replace(card,
    h('div', { class: 'card-head' }, h('h2', null, 'Requests'), h('span', { class: 'muted small' }, 'Click a row for its details')),
    h('div', { class: 'card-body' }, h('div', { class: 'filters' },
      h('label', { class: 'field' }, h('span', null, 'Status'), status),
      h('label', { class: 'field' }, h('span', null, 'Model'), model),
      h('label', { class: 'field' }, h('span', null, 'Key'), key),
      h('label', { class: 'field' }, h('span', null, 'From'), from),
      h('label', { class: 'field' }, h('span', null, 'To'), to),
      h('label', { class: 'field' }, h('span', null, 'End user'), endUser))),
    table,
    h('div', { class: 'pager' }, where, prev, next));

  async function load() {
    replace(table, spinner('Loading requests…'));
    const params = {
      start_date: from.value ? new Date(from.value).toISOString() : start,
      end_date: to.value ? new Date(to.value).toISOString() : '',
      status: status.value, model: model.value, api_key: key.value, end_user: endUser.value.trim(), page, page_size: LOG_PAGE_SIZE,
    };
    let rows;
    try {
      rows = await get(`/spend/logs${query(params)}`);
    } catch (e) {
      replace(table, h('div', { class: 'card-body' }, errorBox(e, 'Could not load the requests')));
      return;
    }
    rows = Array.isArray(rows) ? rows : (rows && rows.data) || [];
    prev.disabled = page <= 1;
    next.disabled = rows.length < LOG_PAGE_SIZE;
    where.textContent = rows.length ? `Page ${page}` : '';
    if (!rows.length) {
      replace(table, h('div', { class: 'card-body muted', id: 'log-empty' }, page > 1 ? 'No more requests.' : 'No requests match these filters.'));
      return;
    }
    const tbody = h('tbody');
    for (const r of rows) {
      const m = r.metadata || {};
      const ok = (m.status || r.status) === 'success';
      const latency = Date.parse(r.endTime) - Date.parse(r.startTime);
      tbody.appendChild(h('tr', { class: 'clickable', tabindex: '0', 'data-request-id': r.request_id, onclick: () => detail(r),
        onkeydown: (e) => { if (e.key === 'Enter') detail(r); } },
        h('td', { class: 'nowrap' }, dateTime(r.startTime)),
        h('td', null, badge(ok ? String(m.http_status || 200) : `${m.http_status || ''} ${m.error_type || 'failed'}`.trim(), ok ? 'ok' : 'err')),
        h('td', null, r.model_group || r.model || '–', m.stream ? h('span', { class: 'sub' }, 'stream') : null),
        h('td', { class: 'hide-sm' }, m.key_alias || shortHash(r.api_key)),
        h('td', { class: 'hide-sm', 'data-col': 'tool' }, toolLabel(m.client), r.end_user ? h('span', { class: 'sub' }, r.end_user) : null),
        h('td', { class: 'num hide-sm' }, num(r.total_tokens)),
        h('td', { class: 'num' }, usd(r.spend)),
        h('td', { class: 'num hide-sm' }, Number.isFinite(latency) ? ms(latency) : '–'),
        h('td', { class: 'num hide-sm' }, m.time_to_first_token_ms != null ? ms(m.time_to_first_token_ms) : '–')));
    }
    replace(table, h('div', { class: 'table-wrap' }, stack(h('table', null,
      h('thead', null, h('tr', null, h('th', null, 'Time'), h('th', null, 'Status'), h('th', null, 'Model'), h('th', { class: 'hide-sm' }, 'Key'), h('th', { class: 'hide-sm' }, 'Tool'),
        h('th', { class: 'num hide-sm' }, 'Tokens'), h('th', { class: 'num' }, 'Cost'), h('th', { class: 'num hide-sm' }, 'Latency'), h('th', { class: 'num hide-sm' }, 'TTFT'))),
      tbody))));
  }

  load();
}

function detail(r) {
  const m = r.metadata || {};
  const ok = (m.status || r.status) === 'success';
  const latency = Date.parse(r.endTime) - Date.parse(r.startTime);
  const rows = [
    ['Request id', h('code', null, r.request_id)],
    r.client_request_id ? ['Client request id', h('code', null, r.client_request_id)] : null,
    ['Status', [badge(ok ? 'success' : 'failure', ok ? 'ok' : 'err'), ` HTTP ${m.http_status ?? '–'}`]],
    ['Error', m.error_type || (ok ? 'none' : 'unknown')],
    ['Started', dateTime(r.startTime)],
    ['Latency', Number.isFinite(latency) ? ms(latency) : '–'],
    ['Time to first token', m.time_to_first_token_ms != null ? ms(m.time_to_first_token_ms) : (m.stream ? '–' : 'not streamed')],
    ['Model (asked)', r.model_group || '–'],
    ['Provider model', r.custom_llm_provider ? `${r.custom_llm_provider}/${r.model}` : (r.model || '–')],
    ['Deployment', h('code', null, r.model_id || '–')],
    ['Call type', r.call_type || '–'],
    ['Streamed', m.stream ? 'yes' : 'no'],
    ['Attempts', m.attempts != null ? String(m.attempts) : '–'],
    m.fallback_model ? ['Fallback', m.fallback_model] : null,
    ['Tokens', `${num(r.prompt_tokens)} prompt + ${num(r.completion_tokens)} completion = ${num(r.total_tokens)}${m.cached_tokens ? ` (${num(m.cached_tokens)} cached)` : ''}`],
    ['Cost', usd(r.spend)],
    ['Key', [m.key_alias ? `${m.key_alias} ` : '', h('code', null, shortHash(r.api_key))]],
    ['Tool', [toolLabel(m.client), m.user_agent ? [' · ', h('code', null, m.user_agent)] : null]],
    r.session_id ? ['Session', h('code', null, r.session_id)] : null,
    r.end_user ? ['End user', r.end_user] : null,
    r.user ? ['User', r.user] : null,
    r.team_id ? ['Team', r.team_id] : null,
  ].filter(Boolean);
  const mdl = modal({
    title: 'Request details',
    body: h('dl', { class: 'kv', id: 'request-detail' }, rows.map(([k, v]) => [h('dt', null, k), h('dd', null, v)])),
    footer: [h('button', { class: 'btn', onclick: () => mdl.close() }, 'Close')],
  });
}
