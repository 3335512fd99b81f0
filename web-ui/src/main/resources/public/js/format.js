// Formatting of numbers, metric values, times and ids.

/** A metric value: fractions as %, counts as numbers. */
export function metricText(value, unit) {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  if (unit === 'fraction') return `${(value * 100).toFixed(2)}%`;
  if (unit === 'count') return String(Math.round(value));
  return `${roundSig(value)}${unit ? ` ${unit}` : ''}`;
}

/** A number with at most 4 significant digits, no exponent for ordinary sizes. */
export function roundSig(value) {
  if (!Number.isFinite(value)) return String(value);
  if (value !== 0 && (Math.abs(value) >= 1e6 || Math.abs(value) < 1e-3)) return value.toExponential(2);
  return String(Number(value.toPrecision(4)));
}

/** A plain number as typed in a form (keeps bounds like 2147483647 exact). */
export function plainNumber(value) {
  if (value === null || value === undefined) return '';
  if (Number.isInteger(value)) return String(value);
  const text = String(value);
  return text.length > 12 ? value.toPrecision(6).replace(/\.?0+$/, '') : text;
}

export function percent(fraction) {
  return `${Math.round(Math.max(0, Math.min(1, fraction || 0)) * 100)}%`;
}

export function dateTime(iso) {
  if (!iso) return '–';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : d.toLocaleString();
}

/** Duration between two ISO instants (or until now). */
export function duration(startIso, endIso) {
  if (!startIso) return '–';
  const ms = (endIso ? new Date(endIso) : new Date()) - new Date(startIso);
  if (!(ms >= 0)) return '–';
  if (ms < 1000) return `${ms} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${Math.round(s % 60)} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

export function bytes(n) {
  if (!(n >= 0)) return '–';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

export function shortHash(hash) {
  return hash ? `${hash.slice(0, 12)}…` : '–';
}

/** camelCase → "Camel case". */
export function humanize(name) {
  const words = String(name).replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[-_]/g, ' ').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const STATUS_WORDS = {
  QUEUED: 'queued', RUNNING: 'running', SUCCEEDED: 'succeeded', FAILED: 'failed', CANCELLED: 'cancelled',
  INTERRUPTED: 'interrupted', SKIPPED: 'skipped', PENDING: 'pending',
};

export function statusWord(status) {
  return STATUS_WORDS[status] || String(status || 'unknown').toLowerCase();
}

/** Server errors carry exception class names and code locations; lead with the words a person can act on. */
export function plainError(error) {
  return String(error)
    .replace(/\b(?:[a-z]+\.)*(IllegalArgumentException|IllegalStateException|RuntimeException|InvalidInputException|InvalidParametersException|ModelFormatException): /g, '')
    .replace(/ \(at [^\n]*\)$/, '');
}

export function isFinal(status) {
  return ['SUCCEEDED', 'FAILED', 'CANCELLED', 'INTERRUPTED'].includes(status);
}
