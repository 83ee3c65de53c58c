// Health: the gateway's readiness (database, Redis, version, uptime), what the router knows about each deployment
// (in flight, latency, cooldown, background health check), refreshed every few seconds, and an on-demand check that
// sends every deployment a one-token request (GET /health).
import { h, replace, errorBox, badge, emptyState, spinner, stack } from '../dom.js';
import { get, base } from '../api.js';
import { ms, num, duration, dateTime, relative } from '../format.js';

const REFRESH_MS = 5000;

function statusBadge(s) {
  if (s === 'connected' || s === 'healthy' || s === 'ok') return badge(s, 'ok');
  if (s === 'not configured' || s === 'disabled') return badge(s, null);
  return badge(s || 'unknown', 'err');
}

export async function render(el) {
  const cards = h('div', { class: 'stats', id: 'health-cards' }, spinner());
  const deployments = h('div', { class: 'card', id: 'deployments' }, spinner('Loading deployments…'));
  const checkResult = h('div', { id: 'check-result' });
  const checkBtn = h('button', { class: 'btn', id: 'run-check', onclick: () => runCheck() }, 'Check every deployment now');
  let lastCheck = new Map();
  let timer = null;
  let stopped = false;

  el.append(
    h('div', { class: 'page-head' },
      h('div', null, h('h1', null, 'Health'), h('p', null, 'The gateway, its database and Redis, and every deployment as the router sees it. Refreshes every 5 s.')),
      h('div', { class: 'actions' }, checkBtn)),
    cards, deployments, checkResult);

  async function loadReadiness() {
    let r;
    try {
      // /health/readiness answers 503 with the same body when a dependency is down: show that body
      const res = await fetch(`${base}/health/readiness`, { cache: 'no-store', credentials: 'same-origin' });
      r = await res.json();
    } catch (e) {
      replace(cards, errorBox({ status: 0, message: e.message }, 'The gateway did not answer its readiness check'));
      return;
    }
    const q = r.spend_queue || {};
    replace(cards,
      h('div', { class: 'stat', id: 'h-status' }, h('div', { class: 'label' }, 'Gateway'), h('div', { class: 'value' }, statusBadge(r.status)), h('div', { class: 'sub' }, `${num(r.models)} models`)),
      h('div', { class: 'stat', id: 'h-db' }, h('div', { class: 'label' }, 'Database'), h('div', { class: 'value' }, statusBadge(r.db))),
      h('div', { class: 'stat', id: 'h-redis' }, h('div', { class: 'label' }, 'Redis'), h('div', { class: 'value' }, statusBadge(r.redis))),
      h('div', { class: 'stat', id: 'h-version' }, h('div', { class: 'label' }, 'Version'), h('div', { class: 'value' }, r.version || '–')),
      h('div', { class: 'stat', id: 'h-uptime' }, h('div', { class: 'label' }, 'Uptime'), h('div', { class: 'value' }, duration(r.uptime_seconds))),
      h('div', { class: 'stat', id: 'h-queue' }, h('div', { class: 'label' }, 'Spend rows queued'), h('div', { class: 'value' }, num(q.rows)),
        h('div', { class: 'sub' }, q.oldest_age_ms ? `oldest ${ms(q.oldest_age_ms)}` : 'all written')));
  }

  async function loadDeployments() {
    let r;
    try {
      r = await get('/ui/api/deployments');
    } catch (e) {
      replace(deployments, h('div', { class: 'card-body' }, errorBox(e, 'Could not load the deployments')));
      return;
    }
    const list = r.deployments || [];
    if (!list.length) {
      replace(deployments, emptyState('No deployments', 'Add a model on the Models page.'));
      return;
    }
    const counts = { healthy: 0, unhealthy: 0, cooling_down: 0 };
    for (const d of list) counts[d.status] = (counts[d.status] || 0) + 1;
    const tbody = h('tbody');
    for (const d of list) {
      const check = lastCheck.get(d.id);
      const st = d.status === 'cooling_down' ? badge(`cooling down · back ${relative(d.cooldown_until)}`, 'warn')
        : d.status === 'unhealthy' ? badge('unhealthy', 'err') : badge('healthy', 'ok');
      tbody.appendChild(h('tr', { 'data-deployment': d.id, 'data-status': d.status },
        h('td', null, h('strong', null, d.model_name), h('span', { class: 'sub mono' }, d.id)),
        h('td', { class: 'hide-sm' }, h('span', { class: 'mono' }, d.model), d.api_base ? h('span', { class: 'sub' }, d.api_base) : null),
        h('td', null, st, d.health_error ? h('span', { class: 'sub', title: d.health_error }, d.health_error) : null,
          d.cooldown_until ? h('span', { class: 'sub' }, `until ${dateTime(d.cooldown_until)}`) : null),
        h('td', { class: 'num' }, num(d.in_flight)),
        h('td', { class: 'num hide-sm' }, d.latency_ms != null ? ms(d.latency_ms) : '–'),
        h('td', { class: 'num hide-sm' }, d.ttft_ms != null ? ms(d.ttft_ms) : '–'),
        h('td', { class: 'num hide-sm' }, num(d.requests_this_minute)),
        h('td', null, check ? (check.error ? h('span', { title: check.error }, badge('failed', 'err'), h('span', { class: 'sub' }, check.error))
          : badge('reachable', 'ok')) : h('span', { class: 'muted small' }, 'not run'))));
    }
    replace(deployments,
      h('div', { class: 'card-head' }, h('h2', null, 'Deployments'),
        h('div', { class: 'actions' }, badge(`${counts.healthy} healthy`, 'ok'), counts.cooling_down ? badge(`${counts.cooling_down} cooling down`, 'warn') : null,
          counts.unhealthy ? badge(`${counts.unhealthy} unhealthy`, 'err') : null)),
      h('div', { class: 'table-wrap' }, stack(h('table', null,
        h('thead', null, h('tr', null, h('th', null, 'Model'), h('th', { class: 'hide-sm' }, 'Provider model'), h('th', null, 'Router status'),
          h('th', { class: 'num' }, 'In flight'), h('th', { class: 'num hide-sm' }, 'Latency'), h('th', { class: 'num hide-sm' }, 'TTFT'),
          h('th', { class: 'num hide-sm' }, 'Req / min'), h('th', null, 'Last check'))),
        tbody))),
      r.background_health_checks ? null : h('div', { class: 'card-body small muted' },
        'Background health checks are off (router_settings health_check_interval); "Check every deployment now" runs one.'));
  }

  async function runCheck() {
    checkBtn.disabled = true;
    checkBtn.textContent = 'Checking…';
    replace(checkResult);
    try {
      const r = await get('/health');
      lastCheck = new Map();
      for (const e of r.healthy_endpoints || []) lastCheck.set(e.model_id, {});
      for (const e of r.unhealthy_endpoints || []) lastCheck.set(e.model_id, { error: e.error || 'failed' });
      await loadDeployments();
    } catch (e) {
      replace(checkResult, h('div', { class: 'section', style: { marginTop: '18px' } }, errorBox(e, 'The health check failed')));
    } finally {
      checkBtn.disabled = false;
      checkBtn.textContent = 'Check every deployment now';
    }
  }

  async function refresh() {
    await Promise.all([loadReadiness(), loadDeployments()]);
    if (!stopped) timer = setTimeout(refresh, REFRESH_MS);
  }

  await refresh();
  return () => { stopped = true; clearTimeout(timer); };
}
