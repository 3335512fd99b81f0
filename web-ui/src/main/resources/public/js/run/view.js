// One run: steps, metrics before/after every step (table and chart), per-epoch curves, trigger pictures,
// provenance, artifacts and the log, updated live from /api/runs/{id}/events. The cards are drawn by
// sections.js, head.js and log.js; live.js keeps statuses from going backwards.
import {api} from '../api.js';
import {h, mount, throttle} from '../dom.js';
import {openRunStream} from '../events.js';
import {isFinal} from '../format.js';
import {statusBadge, progressBar, setProgress, errorBox} from '../widgets.js';
import {openInBuilder} from '../builder/store.js';
import {renderHead} from './head.js';
import {appendLine, loadLogs} from './log.js';
import {createLive, mergeLive, noteRun, noteStep} from './live.js';
import {renderArtifacts, renderCurves, renderMetrics, renderPictures, renderProvenance, renderSteps} from './sections.js';

const card = (heading, id, ...children) => h('section', {class: 'card', 'aria-labelledby': id}, h('h2', {id}, heading), ...children);

function layout(view, runId, openCopy) {
  const boxes = {
    title: h('h1', {id: 'run-title'}), badgeBox: h('span', {id: 'run-status'}), headActions: h('div', {class: 'actions'}),
    facts: h('dl', {class: 'facts inline'}), outcome: h('div', {id: 'run-outcome'}), steps: h('div', {class: 'table-wrap'}),
    metrics: h('div', {id: 'metrics'}), curves: h('div', {id: 'curves', class: 'chart-grid'}), pictures: h('div', {id: 'pictures'}),
    artifacts: h('div', {id: 'artifacts'}), provenance: h('div', {id: 'provenance'}),
    log: h('ol', {class: 'log', id: 'run-log', 'aria-live': 'off'}), spec: h('pre', {class: 'json', id: 'run-spec'}),
  };
  boxes.bar = progressBar(0, `progress of run ${runId}`);
  boxes.bar.id = 'run-progress';
  mount(view,
    h('div', {class: 'page-head run-head'},
      h('p', {class: 'crumbs'}, h('a', {href: '#/runs'}, '← All runs')),
      h('div', {class: 'title-row'}, boxes.title, boxes.badgeBox),
      h('div', {class: 'progress-row'}, boxes.bar, boxes.headActions),
      boxes.facts),
    boxes.outcome,
    card('Steps', 'steps-h', boxes.steps),
    card('Metrics before and after every step', 'metrics-h', boxes.metrics),
    card('Training curves', 'curves-h', boxes.curves),
    card('Trigger pictures', 'pictures-h', boxes.pictures),
    card('Artifacts', 'artifacts-h', boxes.artifacts),
    card('Provenance', 'provenance-h', boxes.provenance),
    card('Log', 'log-h', boxes.log),
    card('Pipeline', 'spec-h', h('p', {class: 'muted small'}, 'The pipeline exactly as submitted.'), boxes.spec,
      h('div', {class: 'actions'}, h('button', {type: 'button', class: 'btn small', onclick: openCopy}, 'Open a copy in the builder'))));
  return boxes;
}

/** Renders run `parts[1]` into `view`; returns the clean-up function. */
export async function runView(view, {parts}) {
  const runId = Number(parts[1]);
  if (!Number.isInteger(runId)) {
    mount(view, errorBox(`'${parts[1]}' is not a run id.`));
    return null;
  }
  let detail = await api(`/api/runs/${runId}`);
  const boxes = layout(view, runId, () => openInBuilder(detail.spec, `${detail.spec.name || detail.run.name} (copy)`));
  let stepRows = new Map();

  function renderAll() {
    renderHead(boxes, detail);
    stepRows = renderSteps(boxes.steps, detail);
    renderMetrics(boxes.metrics, detail);
    renderCurves(boxes.curves, detail);
    renderPictures(boxes.pictures, detail);
    renderArtifacts(boxes.artifacts, detail);
    renderProvenance(boxes.provenance, detail);
    boxes.spec.textContent = JSON.stringify(detail.spec, null, 2);
  }

  const live = createLive();
  let stopped = false;
  const refresh = throttle(async () => {
    try {
      const next = await api(`/api/runs/${runId}`);
      if (stopped) return;
      detail = mergeLive(live, next);
      renderAll();
      if (isFinal(detail.run.status)) loadLogs(boxes.log, runId);
    } catch (e) {
      // the shell handles sign-out; a transient failure is retried by the next event
    }
  }, 600);
  const renderCurvesLater = throttle(() => renderCurves(boxes.curves, detail), 500);

  renderAll();
  await loadLogs(boxes.log, runId);

  const close = openRunStream(runId, {
    run: (e) => {
      noteRun(live, e);
      if (e.progress !== undefined) {
        detail.run.progress = e.progress;
        setProgress(boxes.bar, e.progress);
      }
      if (live.run.status && live.run.status !== detail.run.status) {
        detail.run.status = live.run.status;
        if (e.error) detail.run.error = e.error;
        renderHead(boxes, detail);
        refresh();
      }
    },
    step: (e) => {
      const step = noteStep(live, e);
      const r = stepRows.get(e.step);
      if (!r) {
        refresh();
        return;
      }
      if (e.progress !== undefined) setProgress(r.bar, e.progress);
      if (e.message) r.messageCell.textContent = e.message;
      if (e.status) {
        mount(r.statusCell, statusBadge(step.status));
        refresh();
      }
    },
    log: (e) => appendLine(boxes.log, {stepIndex: e.step, level: e.level, message: e.message}),
    curve: (e) => {
      let curve = detail.curves.find((c) => c.stepIndex === e.step && c.series === e.series);
      if (!curve) {
        curve = {stepIndex: e.step, series: e.series, points: []};
        detail.curves.push(curve);
      }
      curve.points.push([e.x, e.y]);
      renderCurvesLater();
    },
    metric: () => refresh(),
  });
  return () => {
    stopped = true;
    close();
  };
}
