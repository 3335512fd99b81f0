// The live run list: status and progress per run from /api/events, cancel, pick runs to compare.
import {api, hasRole, session} from './api.js';
import {h, mount, toast, debounce} from './dom.js';
import {on} from './events.js';
import {dateTime, duration, isFinal, plainError} from './format.js';
import {statusBadge, progressBar, setProgress, pageHead, errorBox} from './widgets.js';

export async function runsView(view) {
  const selected = new Set();
  const rows = new Map(); // run id → {run, tr, bar, statusCell, actionCell}
  let runs = [];
  const tbody = h('tbody');
  const compareButton = h('button', {type: 'button', class: 'btn', id: 'compare-selected', disabled: true, onclick: () => {
    window.location.hash = `#/compare?ids=${[...selected].sort((a, b) => a - b).join(',')}`;
  }}, 'Compare selected');
  const filterSelect = h('select', {id: 'status-filter', onchange: () => load()},
    h('option', {value: ''}, 'all'), ['queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted']
      .map((s) => h('option', {value: s}, s)));
  const message = h('div');

  mount(view,
    pageHead('Runs', h('p', {class: 'muted'}, 'Newest first. Status and progress update live.')),
    h('div', {class: 'toolbar'},
      h('label', {for: 'status-filter', class: 'inline-label'}, 'Status'), filterSelect,
      h('span', {class: 'spacer'}),
      compareButton,
      h('a', {class: 'btn primary', href: '#/builder'}, 'New pipeline')),
    message,
    h('div', {class: 'table-wrap'},
      h('table', {class: 'data runs-table', id: 'runs-table'},
        h('thead', null, h('tr', null,
          h('th', {scope: 'col'}, h('span', {class: 'sr-only'}, 'Select')),
          h('th', {scope: 'col'}, 'Run'), h('th', {scope: 'col'}, 'Name'), h('th', {scope: 'col'}, 'Status'),
          h('th', {scope: 'col', class: 'progress-col'}, 'Progress'), h('th', {scope: 'col'}, 'By'),
          h('th', {scope: 'col'}, 'Created'), h('th', {scope: 'col'}, 'Duration'), h('th', {scope: 'col'}, 'Actions'))),
        tbody)));

  function canCancel(run) {
    return !isFinal(run.status) && (hasRole('admin') || (hasRole('researcher') && run.createdBy === session.user.name));
  }

  async function cancel(run) {
    try {
      await api(`/api/runs/${run.id}/cancel`, {method: 'POST'});
      toast(`Cancelling run ${run.id}.`);
    } catch (e) {
      toast(`Run ${run.id} was not cancelled: ${e.message}`, 'error');
    }
  }

  function actions(run) {
    return [h('a', {class: 'btn small', href: `#/runs/${run.id}`}, 'Open'),
      canCancel(run) ? h('button', {type: 'button', class: 'btn small danger-ghost',
        'aria-label': `Cancel run ${run.id}`, onclick: () => cancel(run)}, 'Cancel') : null];
  }

  function row(run) {
    const checkbox = h('input', {type: 'checkbox', 'aria-label': `Select run ${run.id} for comparison`,
      checked: selected.has(run.id), onchange: (e) => {
        if (e.target.checked) selected.add(run.id);
        else selected.delete(run.id);
        compareButton.disabled = selected.size < 1;
        compareButton.textContent = selected.size ? `Compare selected (${selected.size})` : 'Compare selected';
      }});
    const bar = progressBar(run.progress, `progress of run ${run.id}`);
    const statusCell = h('td', null, statusBadge(run.status));
    const actionCell = h('td', {class: 'actions-cell'}, actions(run));
    const durationCell = h('td', null, duration(run.startedAt, run.finishedAt));
    const tr = h('tr', {'data-run-id': String(run.id)},
      h('td', null, checkbox),
      h('td', null, h('a', {href: `#/runs/${run.id}`}, `#${run.id}`)),
      h('td', {class: 'name-cell'}, run.name,
        run.error ? h('div', {class: 'error-line', title: run.error}, plainError(run.error)) : null),
      statusCell, h('td', null, bar), h('td', null, run.createdBy), h('td', null, dateTime(run.createdAt)),
      durationCell, actionCell);
    return {run, tr, bar, statusCell, actionCell, durationCell};
  }

  function render() {
    rows.clear();
    mount(tbody, runs.length ? runs.map((run) => {
      const r = row(run);
      rows.set(run.id, r);
      return r.tr;
    }) : h('tr', null, h('td', {colspan: '9', class: 'muted'}, 'No runs yet. Build a pipeline and run it.')));
  }

  async function load() {
    try {
      const query = filterSelect.value ? `?status=${filterSelect.value}` : '';
      runs = await api(`/api/runs${query}`);
      mount(message);
      render();
    } catch (e) {
      mount(message, errorBox(`The runs could not be loaded: ${e.message}`));
    }
  }

  const reload = debounce(load, 250);
  const stop = on('run', (event) => {
    const r = rows.get(event.runId);
    if (!r) {
      reload();
      return;
    }
    if (event.progress !== undefined) {
      r.run.progress = event.progress;
      setProgress(r.bar, event.progress);
    }
    if (event.status && event.status !== r.run.status) {
      r.run.status = event.status;
      mount(r.statusCell, statusBadge(event.status));
      mount(r.actionCell, actions(r.run));
      if (isFinal(event.status) || event.status === 'RUNNING') reload();
    }
  });
  const ticker = setInterval(() => {
    for (const r of rows.values()) {
      if (r.run.status === 'RUNNING') r.durationCell.textContent = duration(r.run.startedAt, null);
    }
  }, 1000);
  await load();
  return () => {
    stop();
    reload.cancel();
    clearInterval(ticker);
  };
}
