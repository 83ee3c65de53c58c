// Charts with uPlot (vendored, see vendor/README.md), loaded the first time a chart is drawn.
const UPLOT = 'vendor/uplot-1.6.32/';
let loading = null;

function loadUPlot() {
  if (window.uPlot) return Promise.resolve(window.uPlot);
  if (loading) return loading;
  loading = new Promise((resolve, reject) => {
    const css = document.createElement('link');
    css.rel = 'stylesheet';
    css.href = `${UPLOT}uPlot.min.css`;
    document.head.appendChild(css);
    const s = document.createElement('script');
    s.src = `${UPLOT}uPlot.iife.min.js`;
    s.onload = () => (window.uPlot ? resolve(window.uPlot) : reject(new Error('The chart library did not load.')));
    s.onerror = () => { loading = null; reject(new Error('The chart library could not be loaded.')); };
    document.head.appendChild(s);
  });
  return loading;
}

function cssVar(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';
}

/**
 * Daily spend (bars, left axis, USD) and requests (line, right axis) for the days given.
 * Returns a cleanup function (it follows the container's width while shown).
 */
export async function spendChart(container, days, spend, requests) {
  const uPlot = await loadUPlot();
  const xs = days.map((d) => Date.parse(`${d}T00:00:00Z`) / 1000);
  const accent = cssVar('--accent'), muted = cssVar('--muted'), grid = cssVar('--border'), ok = cssVar('--ok');
  const axis = { stroke: muted, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
  const bars = uPlot.paths && uPlot.paths.bars ? uPlot.paths.bars({ size: [0.6, 48] }) : undefined;
  const width = () => Math.max(280, container.clientWidth);
  const opts = {
    width: width(),
    height: 260,
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
    cursor: { points: { size: 6 } },
    legend: { live: true },
    scales: { x: { time: true }, usd: { range: (u, min, max) => [0, Math.max(max * 1.15, 0.0001)] }, req: { range: (u, min, max) => [0, Math.max(max * 1.15, 1)] } },
    axes: [
      { ...axis, values: [[86400, '{MMM} {D}', null, null, null, null, null, null, 1]] },
      { ...axis, scale: 'usd', size: 64, values: (u, vals) => vals.map((v) => `$${v < 1 ? +v.toPrecision(2) : v.toFixed(0)}`) },
      { ...axis, scale: 'req', side: 1, size: 48, grid: { show: false }, values: (u, vals) => vals.map((v) => (Number.isInteger(v) ? v : '')) },
    ],
    series: [
      { label: 'Day', value: (u, v) => (v == null ? '–' : new Date(v * 1000).toISOString().slice(0, 10)) },
      { label: 'Spend', scale: 'usd', stroke: accent, fill: `${accent}55`, width: 1, paths: bars, points: { show: false },
        value: (u, v) => (v == null ? '–' : `$${v.toFixed(v < 1 ? 6 : 2)}`) },
      { label: 'Requests', scale: 'req', stroke: ok, width: 2, points: { show: true, size: 5 }, value: (u, v) => (v == null ? '–' : String(v)) },
    ],
  };
  container.textContent = '';
  const plot = new uPlot(opts, [xs, spend, requests], container);
  const ro = new ResizeObserver(() => plot.setSize({ width: width(), height: 260 }));
  ro.observe(container);
  return () => { ro.disconnect(); plot.destroy(); };
}
