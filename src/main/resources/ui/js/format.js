// Number, money, time formatting. Money is USD, as the gateway's prices and budgets are.

const intFmt = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });

export function num(n) {
  if (n === null || n === undefined || Number.isNaN(Number(n))) return '–';
  return intFmt.format(Number(n));
}

/** $12.34, and small amounts with enough digits to not read as zero ($0.000123). */
export function usd(v) {
  if (v === null || v === undefined || Number.isNaN(Number(v))) return '–';
  const n = Number(v);
  if (n === 0) return '$0.00';
  const abs = Math.abs(n);
  if (abs >= 0.01) return `$${n.toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}`;
  const digits = Math.min(10, Math.max(4, 2 - Math.floor(Math.log10(abs)) + 1));
  return `$${n.toFixed(digits).replace(/0+$/, '')}`;
}

/** Dollars per million tokens, from a per-token price. */
export function perMillion(perToken) {
  if (perToken === null || perToken === undefined) return null;
  return Number(perToken) * 1e6;
}

export function ms(v) {
  if (v === null || v === undefined || Number.isNaN(Number(v))) return '–';
  const n = Number(v);
  if (n < 1000) return `${Math.round(n)} ms`;
  if (n < 60_000) return `${(n / 1000).toFixed(n < 10_000 ? 2 : 1)} s`;
  return `${Math.floor(n / 60_000)} min ${Math.round((n % 60_000) / 1000)} s`;
}

export function duration(seconds) {
  const s = Math.max(0, Math.floor(Number(seconds) || 0));
  const d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60);
  if (d) return `${d}d ${h}h`;
  if (h) return `${h}h ${m}m`;
  if (m) return `${m}m ${s % 60}s`;
  return `${s}s`;
}

export function dateTime(iso) {
  if (!iso) return '–';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return d.toLocaleString(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

export function shortDate(iso) {
  if (!iso) return '–';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return d.toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
}

/** "in 3 days", "2 hours ago". */
export function relative(iso) {
  if (!iso) return '';
  const t = new Date(iso).getTime();
  if (Number.isNaN(t)) return '';
  const diff = t - Date.now();
  const abs = Math.abs(diff);
  const units = [['day', 86_400_000], ['hour', 3_600_000], ['minute', 60_000], ['second', 1000]];
  const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  for (const [unit, size] of units) {
    if (abs >= size || unit === 'second') return rtf.format(Math.round(diff / size), unit);
  }
  return '';
}

/** YYYY-MM-DD of a date in UTC (the gateway's spend days are UTC days). */
export function utcDay(d) {
  return d.toISOString().slice(0, 10);
}

export function daysAgo(n) {
  return new Date(Date.now() - n * 86_400_000);
}

/** A key hash shortened for display. */
export function shortHash(h) {
  if (!h) return '–';
  return h.length > 14 ? `${h.slice(0, 8)}…${h.slice(-4)}` : h;
}
