// The run page's log: stored lines, then lines from the live stream.
import {api} from '../api.js';
import {h, mount} from '../dom.js';

/** One log line: time, step, level, message. */
export function logLine(line) {
  return h('li', {class: `log-${String(line.level || 'info').toLowerCase()}`},
    h('span', {class: 'log-meta'}, line.at ? new Date(line.at).toLocaleTimeString() : new Date().toLocaleTimeString(),
      line.stepIndex !== null && line.stepIndex !== undefined ? ` step ${line.stepIndex + 1}` : '',
      ` ${line.level || 'INFO'}`),
    ' ', line.message);
}

/** Loads the run's stored log lines into `list`. */
export async function loadLogs(list, runId) {
  try {
    const lines = await api(`/api/runs/${runId}/logs?limit=5000`);
    mount(list, lines.length ? lines.map(logLine) : h('li', {class: 'muted empty'}, 'No log lines yet.'));
  } catch (e) {
    mount(list, h('li', {class: 'log-error'}, `The log could not be loaded: ${e.message}`));
  }
}

/** Appends a line from the live stream. */
export function appendLine(list, line) {
  const empty = list.querySelector('.empty');
  if (empty) empty.remove();
  list.append(logLine(line));
}
