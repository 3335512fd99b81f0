// The comparison's run picker: tick runs, then "Compare these runs" puts their ids into the address.
import {h} from '../dom.js';
import {dateTime} from '../format.js';
import {statusBadge} from '../widgets.js';

/** The picker over `runs` with `ids` ticked (open when nothing is compared yet). */
export function runPicker(runs, ids) {
  const chosen = new Set(ids);
  const go = () => {
    window.location.hash = `#/compare?ids=${[...chosen].sort((a, b) => a - b).join(',')}`;
  };
  const button = h('button', {type: 'button', class: 'btn primary', id: 'compare-apply', onclick: go}, 'Compare these runs');
  return h('details', {class: 'card picker-card', open: ids.length ? null : true},
    h('summary', null, ids.length ? `Comparing ${ids.length} run${ids.length === 1 ? '' : 's'}: ${ids.map((i) => `#${i}`).join(', ')} — change selection`
      : 'Choose runs to compare'),
    runs.length ? h('div', {class: 'table-wrap picker-table'}, h('table', {class: 'data compact'},
      h('thead', null, h('tr', null, h('th', {scope: 'col'}, h('span', {class: 'sr-only'}, 'Select')),
        ['Run', 'Name', 'Status', 'Created'].map((t) => h('th', {scope: 'col'}, t)))),
      h('tbody', null, runs.map((run) => {
        const id = `pick-${run.id}`;
        return h('tr', null,
          h('td', null, h('input', {type: 'checkbox', id, checked: chosen.has(run.id), 'data-run-id': String(run.id),
            onchange: (e) => {
              if (e.target.checked) chosen.add(run.id);
              else chosen.delete(run.id);
            }})),
          h('td', null, h('label', {for: id}, `#${run.id}`)), h('td', null, run.name),
          h('td', null, statusBadge(run.status)),
          h('td', null, dateTime(run.createdAt)));
      })))) : h('p', {class: 'muted'}, 'No runs yet.'),
    h('div', {class: 'actions'}, button));
}
