// The run page's head: title, status badge, progress, cancel and compare actions, facts, and the outcome box.
import {api, hasRole, session} from '../api.js';
import {h, mount, toast} from '../dom.js';
import {dateTime, duration, isFinal, plainError, statusWord} from '../format.js';
import {statusBadge, setProgress} from '../widgets.js';

const OUTCOMES = {
  FAILED: ['error', 'This run failed.'],
  CANCELLED: ['warn', 'This run was cancelled.'],
  INTERRUPTED: ['warn', 'The server stopped while this run was queued or running, so it was marked interrupted at the next start. Nothing stored before that was lost.'],
};

function cancelButton(run) {
  return h('button', {type: 'button', class: 'btn danger-ghost', id: 'cancel-run', onclick: async () => {
    try {
      await api(`/api/runs/${run.id}/cancel`, {method: 'POST'});
      toast(`Cancelling run ${run.id}.`);
    } catch (e) {
      toast(`Not cancelled: ${e.message}`, 'error');
    }
  }}, 'Cancel run');
}

/** Fills the head's boxes ({title, badgeBox, bar, headActions, facts, outcome}) from a run detail. */
export function renderHead(boxes, detail) {
  const run = detail.run;
  boxes.title.textContent = `Run #${run.id} · ${run.name}`;
  mount(boxes.badgeBox, statusBadge(run.status));
  setProgress(boxes.bar, run.status === 'SUCCEEDED' ? 1 : run.progress);
  const canCancel = !isFinal(run.status)
    && (hasRole('admin') || (hasRole('researcher') && run.createdBy === session.user.name));
  mount(boxes.headActions, canCancel ? cancelButton(run) : null,
    h('a', {class: 'btn small', href: `#/compare?ids=${run.id}`}, 'Compare…'));
  mount(boxes.facts,
    h('dt', null, 'Status'), h('dd', null, statusWord(run.status), run.message ? ` · ${run.message}` : ''),
    h('dt', null, 'By'), h('dd', null, run.createdBy),
    h('dt', null, 'Seed'), h('dd', null, String(run.seed)),
    h('dt', null, 'Created'), h('dd', null, dateTime(run.createdAt)),
    h('dt', null, 'Duration'), h('dd', null, duration(run.startedAt, run.finishedAt)));
  const words = OUTCOMES[run.status];
  if (words || run.error) {
    const [kind, text] = words || ['error', 'The run reported an error.'];
    mount(boxes.outcome, h('div', {class: `alert ${kind}`, role: 'alert', id: 'run-error'},
      h('strong', null, text), run.error ? h('p', {class: 'error-text'}, plainError(run.error)) : null));
  } else if (run.status === 'SUCCEEDED') {
    mount(boxes.outcome, h('div', {class: 'alert ok', role: 'status'}, `Finished: all ${detail.steps.length} steps succeeded.`));
  } else {
    mount(boxes.outcome);
  }
}
