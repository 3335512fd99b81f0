// Shared bits of markup: status badges, progress bars, headings.
import {h} from './dom.js';
import {statusWord} from './format.js';

export function statusBadge(status) {
  return h('span', {class: `badge status-${String(status || '').toLowerCase()}`, 'data-status': status}, statusWord(status));
}

/** A progress bar with its percentage as text; update with setProgress. */
export function progressBar(fraction, label) {
  const fill = h('span', {class: 'fill'});
  const text = h('span', {class: 'pct'});
  const bar = h('span', {class: 'progress', role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100',
    'aria-label': label || 'progress'}, h('span', {class: 'track'}, fill), text);
  setProgress(bar, fraction);
  return bar;
}

export function setProgress(bar, fraction) {
  const pct = Math.round(Math.max(0, Math.min(1, Number(fraction) || 0)) * 100);
  bar.setAttribute('aria-valuenow', String(pct));
  bar.querySelector('.fill').style.width = `${pct}%`;
  bar.querySelector('.pct').textContent = `${pct}%`;
}

export function pageHead(title, ...rest) {
  return h('div', {class: 'page-head'}, h('h1', null, title), ...rest);
}

export function errorBox(message) {
  return h('div', {class: 'alert error', role: 'alert'}, message);
}
