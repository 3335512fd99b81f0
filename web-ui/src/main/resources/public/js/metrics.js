// Metric rows of runs: which values are headline numbers, their order, and step labels.

// P-ASR and P-C-ACC (the retuning attack's ASR and C-ACC, pipeline member robustness) stand next to ASR.
const ORDER = ['C-ACC', 'ACC', 'ASR', 'P-ASR', 'P-C-ACC', 'RA', 'DER', 'RIR'];

/** Headline values: fractions with plain names (not per-class or confusion cells). */
export function isHeadline(m) {
  return m.unit === 'fraction' && !m.name.includes('[');
}

/** Ordered unique names of the headline metrics among `metrics`. */
export function headlineNames(metrics) {
  const names = [...new Set(metrics.filter(isHeadline).map((m) => m.name))];
  return names.sort((a, b) => {
    const ia = ORDER.indexOf(a);
    const ib = ORDER.indexOf(b);
    if (ia >= 0 || ib >= 0) return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib);
    return a.localeCompare(b);
  });
}

/** "before defenses" for the model step, "after <defense>" for a defense step. */
export function stepLabel(step) {
  if (!step) return 'step';
  if (step.kind === 'model') return 'before defenses';
  if (step.kind === 'defense') return `after ${step.componentId}`;
  return step.title || step.kind;
}

/** Map stepIndex → Map name → metric row. */
export function byStep(metrics) {
  const out = new Map();
  for (const m of metrics) {
    if (!out.has(m.stepIndex)) out.set(m.stepIndex, new Map());
    out.get(m.stepIndex).set(m.name, m);
  }
  return out;
}

export function directionArrow(direction) {
  if (direction === 'HIGHER_IS_BETTER') return '↑ higher is better';
  if (direction === 'LOWER_IS_BETTER') return '↓ lower is better';
  return '';
}
