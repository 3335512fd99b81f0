// The comparison table's rows without the DOM: one row per evaluated step of each run, optional reference rows
// from the field, the headline metric columns, and sorting.
import {byStep, headlineNames, stepLabel} from '../metrics.js';

/** Attack ids of Purifier → the attack names of the reference results. */
export const REFERENCE_ATTACKS = {badnets: 'BadNets', blended: 'Blended', wanet: 'WaNet', sig: 'SIG',
  'input-aware': 'Input-aware', lf: 'LF', ssba: 'SSBA'};
const REFERENCE_METRICS = {cAcc: 'C-ACC', asr: 'ASR', ra: 'RA', der: 'DER'};

/** Defense names of the reference results → the ids of Purifier's defenses of the same method. */
export const REFERENCE_DEFENSES = {'No defense': 'none', FT: 'ft', FP: 'fp', NAD: 'nad', NC: 'nc', ANP: 'anp', CLP: 'clp',
  'i-BAU': 'i-bau', 'FT-SAM': 'ft-sam', SAU: 'sau', FST: 'fst', NPD: 'npd', BCU: 'bcu'};

/** The table's fixed (non-metric) columns. */
export const FIXED_COLUMNS = [
  {key: 'source', label: 'Source'}, {key: 'pipeline', label: 'Pipeline'}, {key: 'dataset', label: 'Dataset'},
  {key: 'model', label: 'Model'}, {key: 'attack', label: 'Attack'}, {key: 'step', label: 'Defense / step'},
];

/** The reference attack matching the first compared run with a known attack; BadNets otherwise. */
export function defaultReferenceAttack(details) {
  const ids = details.map((d) => d.spec && d.spec.attack && d.spec.attack.id).filter(Boolean);
  return ids.map((a) => REFERENCE_ATTACKS[a]).find(Boolean) || 'BadNets';
}

function modelText(spec) {
  if (!spec.model) return '–';
  return spec.model.source === 'train'
    ? `train ${spec.model.architecture ? spec.model.architecture.id : '?'}` : `stored ${spec.model.modelId}`;
}

/** One row per evaluated step of each run detail ('final': only the last evaluated step). */
export function runRows(details, rowsMode) {
  const rows = [];
  for (const d of details) {
    const spec = d.spec || {};
    const perStep = byStep(d.metrics);
    let steps = d.steps.filter((st) => perStep.has(st.index));
    if (rowsMode === 'final' && steps.length) steps = [steps[steps.length - 1]];
    for (const st of steps) {
      const values = {};
      const units = {};
      for (const [name, m] of perStep.get(st.index)) {
        values[name] = m.value;
        units[name] = m.unit;
      }
      rows.push({kind: 'run', runId: d.run.id, source: `run #${d.run.id}`, pipeline: d.run.name,
        dataset: spec.dataset ? spec.dataset.id : '–', model: modelText(spec), attack: spec.attack ? spec.attack.id : 'none',
        step: `${stepLabel(st)} (step ${st.index + 1})`, defense: st.kind === 'defense' ? st.componentId : 'none',
        values, units, status: d.run.status,
        chartLabel: `#${d.run.id} ${st.kind === 'model' ? 'before' : st.componentId}`, chartSub: `step ${st.index + 1}`});
    }
  }
  return rows;
}

/** The reference results' rows of `attack` (all attacks for ''), values as fractions. */
export function referenceRows(reference, attack) {
  return reference.rows.filter((r) => !attack || r.attack === attack).map((r) => {
    const values = {};
    const units = {};
    for (const [key, name] of Object.entries(REFERENCE_METRICS)) {
      if (r[key] !== null && r[key] !== undefined) {
        values[name] = r[key] / 100;
        units[name] = 'fraction';
      }
    }
    const defense = REFERENCE_DEFENSES[r.defense] || r.defense;
    return {kind: 'reference', source: 'reference', pipeline: 'BackdoorBench leaderboard', dataset: 'CIFAR-10',
      model: 'PreAct-ResNet-18', attack: r.attack, step: defense === 'none' ? 'no defense' : `after ${defense}`, defense,
      values, units, note: r.source};
  });
}

/**
 * The default order: run rows as they come, each reference row right after the last run row of the same defense
 * (the baseline of the same name, or 'no defense' after the undefended models); reference rows without a
 * counterpart at the end.
 */
export function lineUp(rows) {
  const runs = rows.filter((r) => r.kind !== 'reference');
  const refs = rows.filter((r) => r.kind === 'reference');
  const placed = new Set();
  const out = [];
  runs.forEach((r, i) => {
    out.push(r);
    const lastOfDefense = !runs.slice(i + 1).some((later) => later.defense === r.defense);
    if (lastOfDefense) {
      for (const ref of refs) {
        if (ref.defense === r.defense && !placed.has(ref)) {
          out.push(ref);
          placed.add(ref);
        }
      }
    }
  });
  return [...out, ...refs.filter((ref) => !placed.has(ref))];
}

/** The headline metric names of the rows, in the usual order. */
export function metricColumns(rows) {
  return headlineNames(rows.flatMap((r) => Object.keys(r.values).map((name) => ({name, unit: r.units[name], stepIndex: 0}))));
}

/** The rows sorted by a fixed column or a metric (dir 1 ascending, -1 descending); rows without a value last. */
export function sortRows(rows, metrics, key, dir) {
  if (!key) return rows;
  const value = (r) => (metrics.includes(key) ? r.values[key] : r[key]);
  return [...rows].sort((a, b) => {
    const va = value(a);
    const vb = value(b);
    if (va === undefined || va === null) return 1;
    if (vb === undefined || vb === null) return -1;
    return (typeof va === 'number' && typeof vb === 'number' ? va - vb : String(va).localeCompare(String(vb))) * dir;
  });
}

/** `value` with object keys sorted at every level (a stable grouping key). */
function sortedKeys(value) {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortedKeys(value[k])]));
  }
  return value;
}

/** What runs of one setting share whatever their seed: the pipeline without its seed and name. */
export function settingKey(spec) {
  const {seed, name, ...setting} = spec || {};
  return JSON.stringify(sortedKeys(setting));
}

/** Mean and sample standard deviation (divisor n − 1; 0 for one value) of `values`. */
export function meanSd(values) {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const sd = n > 1 ? Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1)) : 0;
  return {mean, sd, n};
}

/**
 * Rows of runs pooled over seeds: runs whose pipelines differ only in seed and name form one setting, and each of
 * its evaluated steps becomes one row whose values are the means over the runs, with `sds` (sample standard
 * deviations) and `ns` (how many runs had the value) per metric, and `n` runs in all.
 */
export function seedRows(details, rowsMode) {
  const settings = new Map();
  for (const d of details) {
    const key = settingKey(d.spec);
    if (!settings.has(key)) settings.set(key, []);
    settings.get(key).push(d);
  }
  const rows = [];
  for (const members of settings.values()) {
    const steps = new Map();
    for (const r of runRows(members, rowsMode)) {
      if (!steps.has(r.step)) steps.set(r.step, []);
      steps.get(r.step).push(r);
    }
    for (const [step, runs] of steps) {
      const first = runs[0];
      const values = {};
      const sds = {};
      const ns = {};
      const units = {};
      for (const name of new Set(runs.flatMap((r) => Object.keys(r.values)))) {
        const stat = meanSd(runs.map((r) => r.values[name]).filter((v) => v !== undefined && v !== null));
        values[name] = stat.mean;
        sds[name] = stat.sd;
        ns[name] = stat.n;
        units[name] = first.units[name] || runs.find((r) => r.units[name]).units[name];
      }
      const ids = runs.map((r) => r.runId);
      rows.push({kind: 'run', runId: first.runId, runIds: ids, n: runs.length,
        source: runs.length > 1 ? `${runs.length} seeds: ${ids.map((id) => `#${id}`).join(', ')}` : first.source,
        pipeline: first.pipeline.replace(/ seed \d+$/, ''), dataset: first.dataset, model: first.model,
        attack: first.attack, step, defense: first.defense, values, sds, ns, units, status: first.status,
        chartLabel: runs.length > 1 ? `${first.chartLabel} (N=${runs.length})` : first.chartLabel, chartSub: first.chartSub});
    }
  }
  return rows;
}
