// What the run page shows, computed from a run detail without the DOM: the metrics table (values and changes
// against the model step), the chart's bars, curve groups, trigger pictures and artifacts.
import {byStep, directionArrow, headlineNames, isHeadline, stepLabel} from '../metrics.js';
import {bytes, metricText, shortHash} from '../format.js';

/** A change in points against the baseline, with its tone: 'good', 'bad' or '' (no direction or no change). */
export function delta(metric, base) {
  const d = (metric.value - base.value) * 100;
  const good = metric.direction === 'HIGHER_IS_BETTER' ? d > 0 : metric.direction === 'LOWER_IS_BETTER' ? d < 0 : null;
  return {text: `${d >= 0 ? '+' : '−'}${Math.abs(d).toFixed(2)} pts`,
    tone: good === null || Math.abs(d) < 0.005 ? '' : good ? 'good' : 'bad'};
}

/**
 * The metrics of a run: the evaluated steps, the headline metric rows (each cell: text and change against the
 * model step), the bar chart's groups and the other values. Null when the run has no metric values.
 */
export function metricsModel(detail) {
  const metrics = detail.metrics;
  if (!metrics.length) return null;
  const names = headlineNames(metrics);
  const perStep = byStep(metrics);
  const steps = detail.steps.filter((st) => perStep.has(st.index));
  const baseline = steps.find((st) => st.kind === 'model') || steps[0];
  const sample = new Map(metrics.map((m) => [m.name, m]));
  const rows = names.map((name) => ({name, direction: directionArrow(sample.get(name).direction),
    cells: steps.map((st) => {
      const m = perStep.get(st.index).get(name);
      const base = baseline && perStep.get(baseline.index).get(name);
      return {text: m ? metricText(m.value, m.unit) : '–', delta: m && base && st !== baseline ? delta(m, base) : null};
    })}));
  const groups = steps.map((st) => ({label: stepLabel(st), sublabel: `step ${st.index + 1}`,
    values: names.map((n) => {
      const m = perStep.get(st.index).get(n);
      return m ? m.value * 100 : null;
    })}));
  return {names, steps, rows, groups, others: metrics.filter((m) => !isHeadline(m))};
}

/** Curves grouped per step and series prefix ('loss/train' and 'loss/test' share a chart). */
export function curveGroups(curves, steps) {
  const groups = new Map();
  for (const c of curves) {
    const slash = c.series.indexOf('/');
    const group = slash > 0 ? c.series.slice(0, slash) : c.series;
    const name = slash > 0 ? c.series.slice(slash + 1) : c.series;
    const key = `${c.stepIndex}|${group}`;
    if (!groups.has(key)) groups.set(key, {stepIndex: c.stepIndex, group, series: []});
    groups.get(key).series.push({name, points: c.points});
  }
  return [...groups.values()].map((g) => {
    const st = steps.find((x) => x.index === g.stepIndex);
    return {title: `Step ${g.stepIndex + 1}${st ? ` · ${st.componentId}` : ''} — ${g.group}`,
      series: g.series.filter((sr) => sr.points.length)};
  });
}

/** A picture's caption: 'trigger-3-poisoned-sample.png' → 'poisoned sample'. */
export function caption(name) {
  return name.replace(/\.png$/i, '').replace(/^trigger-\d+-/, '').replace(/-/g, ' ');
}

/** The PNG artifacts, trigger pictures first. */
export function pictures(artifacts) {
  const out = artifacts.filter((a) => /\.png$/i.test(a.name));
  return out.sort((a, b) => Number(!a.name.startsWith('trigger-')) - Number(!b.name.startsWith('trigger-')));
}

/** Each artifact with whether it is a purified model and its line of facts. */
export function artifactRows(detail) {
  const stepOf = new Map(detail.steps.map((st) => [st.index, st]));
  return detail.artifacts.map((a) => {
    const st = stepOf.get(a.stepIndex);
    return {artifact: a,
      purifiedModel: a.name.startsWith('purified-model') || Boolean(st && st.kind === 'defense' && !/\.(png|json|csv)$/i.test(a.name)),
      facts: ` step ${a.stepIndex + 1} · ${bytes(a.size)} · sha256 ${shortHash(a.sha256)}`};
  });
}

/** The provenance's facts as [label, value] pairs, without the missing ones. */
export function provenanceFacts(p) {
  const platform = p.platform || {};
  return [['Seed', p.seed], ['Started by', p.startedBy], ['Server', p.serverVersion],
    ['Java', platform.java && `${platform.java} (${platform.javaVendor})`], ['OS', platform.os && `${platform.os} ${platform.arch}`],
    ['CPUs', platform.cpus], ['ND4J', platform.nd4jVersion && `${platform.nd4jVersion}, ${platform.nd4jThreads} threads`]]
    .filter(([, v]) => v !== undefined && v !== null);
}
