// One run: steps, metrics before/after every step (table and chart), per-epoch curves, trigger pictures,
// provenance, artifacts and the log, updated live from /api/runs/{id}/events.
import {api, hasRole, session, withToken} from './api.js';
import {h, mount, toast, throttle} from './dom.js';
import {openRunStream} from './events.js';
import {bytes, dateTime, duration, isFinal, metricText, plainError, shortHash, statusWord} from './format.js';
import {statusBadge, progressBar, setProgress, errorBox} from './widgets.js';
import {barChart, lineChart} from './charts.js';
import {byStep, directionArrow, headlineNames, isHeadline, stepLabel} from './metrics.js';
import {openInBuilder} from './builder.js';

export async function runView(view, {parts}) {
  const runId = Number(parts[1]);
  if (!Number.isInteger(runId)) {
    mount(view, errorBox(`'${parts[1]}' is not a run id.`));
    return null;
  }
  let detail = await api(`/api/runs/${runId}`);

  const title = h('h1', {id: 'run-title'});
  const badgeBox = h('span', {id: 'run-status'});
  const bar = progressBar(detail.run.progress, `progress of run ${runId}`);
  bar.id = 'run-progress';
  const headActions = h('div', {class: 'actions'});
  const facts = h('dl', {class: 'facts inline'});
  const outcome = h('div', {id: 'run-outcome'});
  const stepsBox = h('div', {class: 'table-wrap'});
  const metricsBox = h('div', {id: 'metrics'});
  const curvesBox = h('div', {id: 'curves', class: 'chart-grid'});
  const picturesBox = h('div', {id: 'pictures'});
  const artifactsBox = h('div', {id: 'artifacts'});
  const provenanceBox = h('div', {id: 'provenance'});
  const logList = h('ol', {class: 'log', id: 'run-log', 'aria-live': 'off'});
  const specBox = h('pre', {class: 'json', id: 'run-spec'});

  const card = (heading, id, ...children) => h('section', {class: 'card', 'aria-labelledby': id},
    h('h2', {id}, heading), ...children);

  mount(view,
    h('div', {class: 'page-head run-head'},
      h('p', {class: 'crumbs'}, h('a', {href: '#/runs'}, '← All runs')),
      h('div', {class: 'title-row'}, title, badgeBox),
      h('div', {class: 'progress-row'}, bar, headActions),
      facts),
    outcome,
    card('Steps', 'steps-h', stepsBox),
    card('Metrics before and after every step', 'metrics-h', metricsBox),
    card('Training curves', 'curves-h', curvesBox),
    card('Trigger pictures', 'pictures-h', picturesBox),
    card('Artifacts', 'artifacts-h', artifactsBox),
    card('Provenance', 'provenance-h', provenanceBox),
    card('Log', 'log-h', logList),
    card('Pipeline', 'spec-h', h('p', {class: 'muted small'}, 'The pipeline exactly as submitted.'), specBox,
      h('div', {class: 'actions'}, h('button', {type: 'button', class: 'btn small', onclick: () =>
        openInBuilder(detail.spec, `${detail.spec.name || detail.run.name} (copy)`)}, 'Open a copy in the builder'))));

  const stepRows = new Map();

  function renderHead() {
    const run = detail.run;
    title.textContent = `Run #${run.id} · ${run.name}`;
    mount(badgeBox, statusBadge(run.status));
    setProgress(bar, run.status === 'SUCCEEDED' ? 1 : run.progress);
    const canCancel = !isFinal(run.status)
      && (hasRole('admin') || (hasRole('researcher') && run.createdBy === session.user.name));
    mount(headActions, canCancel ? h('button', {type: 'button', class: 'btn danger-ghost', id: 'cancel-run', onclick: async () => {
      try {
        await api(`/api/runs/${run.id}/cancel`, {method: 'POST'});
        toast(`Cancelling run ${run.id}.`);
      } catch (e) {
        toast(`Not cancelled: ${e.message}`, 'error');
      }
    }}, 'Cancel run') : null,
    h('a', {class: 'btn small', href: `#/compare?ids=${run.id}`}, 'Compare…'));
    mount(facts,
      h('dt', null, 'Status'), h('dd', null, statusWord(run.status), run.message ? ` · ${run.message}` : ''),
      h('dt', null, 'By'), h('dd', null, run.createdBy),
      h('dt', null, 'Seed'), h('dd', null, String(run.seed)),
      h('dt', null, 'Created'), h('dd', null, dateTime(run.createdAt)),
      h('dt', null, 'Duration'), h('dd', null, duration(run.startedAt, run.finishedAt)));
    const words = {
      FAILED: ['error', 'This run failed.'],
      CANCELLED: ['warn', 'This run was cancelled.'],
      INTERRUPTED: ['warn', 'The server stopped while this run was queued or running, so it was marked interrupted at the next start. Nothing stored before that was lost.'],
    }[run.status];
    if (words || run.error) {
      const [kind, text] = words || ['error', 'The run reported an error.'];
      mount(outcome, h('div', {class: `alert ${kind}`, role: 'alert', id: 'run-error'},
        h('strong', null, text), run.error ? h('p', {class: 'error-text'}, plainError(run.error)) : null));
    } else if (run.status === 'SUCCEEDED') {
      mount(outcome, h('div', {class: 'alert ok', role: 'status'}, `Finished: all ${detail.steps.length} steps succeeded.`));
    } else {
      mount(outcome);
    }
  }

  function renderSteps() {
    stepRows.clear();
    const rows = detail.steps.map((st) => {
      const stepBar = progressBar(st.status === 'SUCCEEDED' ? 1 : st.progress, `progress of step ${st.index + 1}`);
      const statusCell = h('td', null, statusBadge(st.status));
      const messageCell = h('td', {class: 'message-cell'}, st.error ? h('span', {class: 'error-line'}, plainError(st.error)) : (st.message || ''));
      stepRows.set(st.index, {bar: stepBar, statusCell, messageCell, step: st});
      return h('tr', {'data-step': String(st.index)},
        h('td', null, String(st.index + 1)),
        h('td', null, st.title, h('div', {class: 'muted small'}, `${st.kind} · ${st.componentId}`)),
        statusCell, h('td', null, stepBar), h('td', null, duration(st.startedAt, st.finishedAt)),
        h('td', {class: 'small'}, st.bundleSymbolicName ? `${st.bundleSymbolicName} ${st.bundleVersion}` : '–'),
        messageCell);
    });
    mount(stepsBox, h('table', {class: 'data', id: 'steps-table'},
      h('thead', null, h('tr', null, ['#', 'Step', 'Status', 'Progress', 'Time', 'Bundle', 'Message']
        .map((t) => h('th', {scope: 'col'}, t)))),
      h('tbody', null, rows)));
  }

  function renderMetrics() {
    const metrics = detail.metrics;
    if (!metrics.length) {
      mount(metricsBox, h('p', {class: 'muted'}, isFinal(detail.run.status)
        ? 'This run recorded no metric values.' : 'Metric values appear after the model step is evaluated.'));
      return;
    }
    const names = headlineNames(metrics);
    const perStep = byStep(metrics);
    const steps = detail.steps.filter((st) => perStep.has(st.index));
    const baseline = steps.find((st) => st.kind === 'model') || steps[0];
    const sample = new Map(metrics.map((m) => [m.name, m]));
    const table = h('table', {class: 'data metrics-table', id: 'metrics-table'},
      h('thead', null, h('tr', null, h('th', {scope: 'col'}, 'Metric'),
        steps.map((st) => h('th', {scope: 'col'}, stepLabel(st), h('div', {class: 'muted small'}, `step ${st.index + 1}`))))),
      h('tbody', null, names.map((name) => h('tr', {'data-metric': name},
        h('th', {scope: 'row'}, name, h('div', {class: 'muted small'}, directionArrow(sample.get(name).direction))),
        steps.map((st) => {
          const m = perStep.get(st.index).get(name);
          const base = baseline && perStep.get(baseline.index).get(name);
          let delta = null;
          if (m && base && st !== baseline) {
            const d = (m.value - base.value) * 100;
            const good = m.direction === 'HIGHER_IS_BETTER' ? d > 0 : m.direction === 'LOWER_IS_BETTER' ? d < 0 : null;
            delta = h('div', {class: `delta ${good === null || Math.abs(d) < 0.005 ? '' : good ? 'good' : 'bad'}`},
              `${d >= 0 ? '+' : '−'}${Math.abs(d).toFixed(2)} pts`);
          }
          return h('td', {class: 'num'}, m ? metricText(m.value, m.unit) : '–', delta);
        })))));
    const chart = names.length ? barChart(
      steps.map((st) => ({label: stepLabel(st), sublabel: `step ${st.index + 1}`,
        values: names.map((n) => {
          const m = perStep.get(st.index).get(n);
          return m ? m.value * 100 : null;
        })})),
      names, {title: 'Metrics per step (%)', max: 100, unit: '%'}) : null;
    if (chart) chart.id = 'metrics-chart';
    const others = metrics.filter((m) => !isHeadline(m));
    mount(metricsBox, h('div', {class: 'metrics-layout'}, h('div', {class: 'table-wrap'}, table), chart),
      others.length ? h('details', {class: 'more'}, h('summary', null, `All other metric values (${others.length})`),
        h('div', {class: 'table-wrap'}, h('table', {class: 'data compact'},
          h('thead', null, h('tr', null, ['Step', 'Metric', 'Name', 'Value'].map((t) => h('th', {scope: 'col'}, t)))),
          h('tbody', null, others.map((m) => h('tr', null, h('td', null, String(m.stepIndex + 1)), h('td', null, m.metricId),
            h('td', null, m.name), h('td', {class: 'num'}, metricText(m.value, m.unit)))))))) : null);
  }

  function renderCurves() {
    const groups = new Map();
    for (const c of detail.curves) {
      const slash = c.series.indexOf('/');
      const group = slash > 0 ? c.series.slice(0, slash) : c.series;
      const name = slash > 0 ? c.series.slice(slash + 1) : c.series;
      const key = `${c.stepIndex}|${group}`;
      if (!groups.has(key)) groups.set(key, {stepIndex: c.stepIndex, group, series: []});
      groups.get(key).series.push({name, points: c.points});
    }
    if (!groups.size) {
      mount(curvesBox, h('p', {class: 'muted'}, 'No per-epoch curves were recorded.'));
      return;
    }
    mount(curvesBox, [...groups.values()].map((g) => {
      const st = detail.steps.find((x) => x.index === g.stepIndex);
      return lineChart(g.series.filter((sr) => sr.points.length), {
        title: `Step ${g.stepIndex + 1}${st ? ` · ${st.componentId}` : ''} — ${g.group}`, xLabel: 'epoch'});
    }));
  }

  function artifactUrl(a) {
    return withToken(`/api/runs/${runId}/artifacts/${a.stepIndex}/${encodeURIComponent(a.name)}`);
  }

  function renderPictures() {
    const pictures = detail.artifacts.filter((a) => /\.png$/i.test(a.name));
    pictures.sort((a, b) => Number(!a.name.startsWith('trigger-')) - Number(!b.name.startsWith('trigger-')));
    mount(picturesBox, pictures.length ? h('div', {class: 'pictures'}, pictures.map((a) => h('figure', {class: 'picture'},
      h('img', {src: artifactUrl(a), alt: `${caption(a.name)} (step ${a.stepIndex + 1})`, loading: 'lazy'}),
      h('figcaption', null, caption(a.name), h('div', {class: 'muted small'}, `step ${a.stepIndex + 1}`)))))
      : h('p', {class: 'muted'}, 'No trigger pictures (runs with an attack show clean and poisoned samples here).'));
  }

  function renderArtifacts() {
    const stepOf = new Map(detail.steps.map((st) => [st.index, st]));
    mount(artifactsBox, detail.artifacts.length ? h('ul', {class: 'artifact-list'}, detail.artifacts.map((a) => {
      const st = stepOf.get(a.stepIndex);
      const isModel = a.name.startsWith('purified-model') || (st && st.kind === 'defense' && !/\.(png|json|csv)$/i.test(a.name));
      return h('li', null,
        h('a', {href: artifactUrl(a), download: a.name}, a.name),
        isModel ? h('span', {class: 'tag'}, 'purified model') : null,
        h('span', {class: 'muted small'}, ` step ${a.stepIndex + 1} · ${bytes(a.size)} · sha256 ${shortHash(a.sha256)}`));
    })) : h('p', {class: 'muted'}, 'No artifacts yet.'));
  }

  function renderProvenance() {
    const p = detail.provenance || {};
    const platform = p.platform || {};
    const ds = p.dataset;
    const dl = (pairs) => h('dl', {class: 'facts'}, pairs.filter(([, v]) => v !== undefined && v !== null)
      .flatMap(([k, v]) => [h('dt', null, k), h('dd', null, String(v))]));
    mount(provenanceBox,
      dl([['Seed', p.seed], ['Started by', p.startedBy], ['Server', p.serverVersion],
        ['Java', platform.java && `${platform.java} (${platform.javaVendor})`], ['OS', platform.os && `${platform.os} ${platform.arch}`],
        ['CPUs', platform.cpus], ['ND4J', platform.nd4jVersion && `${platform.nd4jVersion}, ${platform.nd4jThreads} threads`]]),
      ds ? h('div', null, h('h3', null, 'Dataset'), dl([['Id', ds.id], ['Content hash', ds.contentHash],
        ['Train / test', `${ds.trainSize} / ${ds.testSize}`], ['Shape', ds.shape]])) : null,
      (p.steps || []).length ? h('div', {class: 'table-wrap'}, h('h3', null, 'Steps'), h('table', {class: 'data compact', id: 'provenance-steps'},
        h('thead', null, h('tr', null, ['#', 'Kind', 'Id', 'Seed', 'Bundle', 'SHA-256', 'Parameters']
          .map((t) => h('th', {scope: 'col'}, t)))),
        h('tbody', null, p.steps.map((st) => h('tr', null,
          h('td', null, String(st.index + 1)), h('td', null, st.kind), h('td', null, st.id), h('td', {class: 'mono'}, String(st.seed)),
          h('td', null, st.bundle ? `${st.bundle} ${st.bundleVersion}` : '–'),
          h('td', {class: 'mono', title: st.bundleSha256 || ''}, shortHash(st.bundleSha256)),
          h('td', null, st.params ? h('code', {class: 'params'}, JSON.stringify(st.params)) : '–')))))) : null);
  }

  function renderAll() {
    renderHead();
    renderSteps();
    renderMetrics();
    renderCurves();
    renderPictures();
    renderArtifacts();
    renderProvenance();
    specBox.textContent = JSON.stringify(detail.spec, null, 2);
  }

  function logLine(line) {
    return h('li', {class: `log-${String(line.level || 'info').toLowerCase()}`},
      h('span', {class: 'log-meta'}, line.at ? new Date(line.at).toLocaleTimeString() : new Date().toLocaleTimeString(),
        line.stepIndex !== null && line.stepIndex !== undefined ? ` step ${line.stepIndex + 1}` : '',
        ` ${line.level || 'INFO'}`),
      ' ', line.message);
  }

  async function loadLogs() {
    try {
      const lines = await api(`/api/runs/${runId}/logs?limit=5000`);
      mount(logList, lines.length ? lines.map(logLine) : h('li', {class: 'muted empty'}, 'No log lines yet.'));
    } catch (e) {
      mount(logList, h('li', {class: 'log-error'}, `The log could not be loaded: ${e.message}`));
    }
  }

  // Events can overtake a detail request; statuses only move forward, so the furthest one seen wins.
  const liveSteps = new Map();
  const liveRun = {status: null, progress: 0};
  function mergeLive(next) {
    for (const st of next.steps) {
      const live = liveSteps.get(st.index);
      if (!live) continue;
      if (rank(live.status) > rank(st.status)) st.status = live.status;
      if (st.status === 'RUNNING' && live.progress > st.progress) st.progress = live.progress;
    }
    if (rank(liveRun.status) > rank(next.run.status)) next.run.status = liveRun.status;
    if (!isFinal(next.run.status) && liveRun.progress > next.run.progress) next.run.progress = liveRun.progress;
    return next;
  }

  let stopped = false;
  const refresh = throttle(async () => {
    try {
      const next = await api(`/api/runs/${runId}`);
      if (stopped) return;
      detail = mergeLive(next);
      renderAll();
      if (isFinal(detail.run.status)) loadLogs();
    } catch (e) {
      // the shell handles sign-out; a transient failure is retried by the next event
    }
  }, 600);

  renderAll();
  await loadLogs();

  const close = openRunStream(runId, {
    run: (e) => {
      if (e.status && rank(e.status) >= rank(liveRun.status)) liveRun.status = e.status;
      if (e.progress !== undefined) liveRun.progress = Math.max(liveRun.progress, e.progress);
      if (e.progress !== undefined) {
        detail.run.progress = e.progress;
        setProgress(bar, e.progress);
      }
      if (liveRun.status && liveRun.status !== detail.run.status) {
        detail.run.status = liveRun.status;
        if (e.error) detail.run.error = e.error;
        renderHead();
        refresh();
      }
    },
    step: (e) => {
      const live = liveSteps.get(e.step) || {status: 'PENDING', progress: 0};
      if (e.status && rank(e.status) >= rank(live.status)) live.status = e.status;
      if (e.progress !== undefined) live.progress = Math.max(live.progress, e.progress);
      liveSteps.set(e.step, live);
      const r = stepRows.get(e.step);
      if (!r) {
        refresh();
        return;
      }
      if (e.progress !== undefined) setProgress(r.bar, e.progress);
      if (e.message) r.messageCell.textContent = e.message;
      if (e.status) {
        mount(r.statusCell, statusBadge(live.status));
        refresh();
      }
    },
    log: (e) => {
      const empty = logList.querySelector('.empty');
      if (empty) empty.remove();
      logList.append(logLine({stepIndex: e.step, level: e.level, message: e.message}));
    },
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
  const renderCurvesLater = throttle(renderCurves, 500);
  return () => {
    stopped = true;
    close();
  };
}

function rank(status) {
  if (!status || status === 'PENDING' || status === 'QUEUED') return 0;
  return status === 'RUNNING' ? 1 : 2;
}

function caption(name) {
  return name.replace(/\.png$/i, '').replace(/^trigger-\d+-/, '').replace(/-/g, ' ');
}
