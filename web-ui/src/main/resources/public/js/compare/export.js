// Exports of the comparison (CSV, Markdown, JSON) without the DOM; metric values in percent.

const COLUMNS = ['source', 'pipeline', 'dataset', 'model', 'attack', 'step'];

const pct = (v) => (v === undefined || v === null ? null : Number((v * 100).toFixed(4)));

/** The metric columns of an export: with seeds pooled, each metric then its standard deviation, and N last. */
export function exportColumns(rows, metrics) {
  if (!rows.some((r) => r.sds)) return metrics;
  return [...metrics.flatMap((m) => [m, `${m} sd`]), 'N'];
}

/**
 * The rows as plain objects: the fixed columns, each metric in % (4 decimals), a note for reference rows; rows pooled
 * over seeds also carry "<metric> sd" (percentage points) and N (runs pooled).
 */
export function plainRows(rows, metrics, reference) {
  return rows.map((r) => {
    const out = {};
    for (const c of COLUMNS) out[c] = r[c];
    for (const m of metrics) out[m] = pct(r.values[m]);
    if (r.sds) {
      for (const m of metrics) out[`${m} sd`] = r.values[m] === undefined ? null : pct(r.sds[m]);
      out.N = r.n;
    }
    if (r.kind === 'reference') out.note = `${reference.label}; ${r.note}`;
    return out;
  });
}

/** CSV with a header row; metric columns are labelled "(%)". */
export function csv(plain, metrics) {
  const cols = [...COLUMNS, ...metrics, 'note'];
  const cell = (v) => {
    const text = v === null || v === undefined ? '' : String(v);
    return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const head = cols.map((c) => (metrics.includes(c) && c !== 'N' ? `${c} (%)` : c));
  return [head.map(cell).join(','), ...plain.map((r) => cols.map((c) => cell(r[c])).join(','))].join('\n');
}

/** A Markdown table; with reference rows shown, a line naming their source and caveats. */
export function markdown(plain, metrics, reference, showReference) {
  const esc = (v) => String(v === null || v === undefined ? '–' : v).replace(/\|/g, '\\|');
  const lines = [
    `| ${[...COLUMNS, ...metrics.map((m) => (m === 'N' ? m : `${m} (%)`))].join(' | ')} |`,
    `|${[...COLUMNS, ...metrics].map((c) => (metrics.includes(c) ? '---:' : '---')).join('|')}|`,
    ...plain.map((r) => `| ${[...COLUMNS.map((c) => esc(r[c])), ...metrics.map((m) => (r[m] === null || r[m] === undefined ? '–' : m === 'N' ? String(r[m]) : r[m].toFixed(2)))].join(' | ')} |`),
  ];
  if (showReference) lines.push('', `Reference rows: ${reference.label} (${reference.setting}). ${reference.caveat} ${reference.derNote}`);
  return lines.join('\n');
}

/** JSON with the export time, the unit and (when shown) where the reference rows come from. */
export function json(plain, reference, showReference, now = new Date()) {
  return JSON.stringify({exportedAt: now.toISOString(), unit: 'percent', rows: plain,
    reference: showReference ? {label: reference.label, source: reference.source, setting: reference.setting,
      caveat: reference.caveat} : undefined}, null, 2);
}
