// Everything installed: model formats, datasets, attacks, defenses, metrics, the model zoo. Live on registry events.
import {api} from './api.js';
import {h, mount, debounce} from './dom.js';
import {on} from './events.js';
import {KINDS, KIND_TITLES, KIND_WORDS, loadComponents, contractText} from './catalog.js';
import {describeSpec} from './params/values.js';
import {shortHash} from './format.js';
import {pageHead, errorBox} from './widgets.js';

export function paramTable(params) {
  if (!params || !params.length) return h('p', {class: 'muted small'}, 'No parameters.');
  return h('div', {class: 'table-wrap'}, h('table', {class: 'data compact params-table'},
    h('thead', null, h('tr', null, ['Parameter', 'Type, range, default', 'Choices', 'Help'].map((t) => h('th', {scope: 'col'}, t)))),
    h('tbody', null, params.map((p) => h('tr', null,
      h('td', null, h('code', null, p.name)),
      h('td', null, describeSpec(p)),
      h('td', null, p.choices && p.choices.length ? p.choices.join(', ') : '–'),
      h('td', null, p.help || '–'))))));
}

export async function componentsView(view) {
  const filter = h('input', {type: 'search', id: 'component-filter', placeholder: 'Filter by name, id, bundle…',
    oninput: () => render()});
  const body = h('div', {id: 'component-list'});
  const changes = h('ul', {class: 'changes', id: 'registry-changes', 'aria-live': 'polite'});
  let byKind = {};
  let zoo = {available: false, architectures: [], training: []};

  mount(view,
    pageHead('Components', h('p', {class: 'muted'}, 'Every installed plugin with its parameters and the bundle that provides it. '
      + 'The list follows deployments live.')),
    h('div', {class: 'toolbar'}, h('label', {for: 'component-filter', class: 'inline-label'}, 'Filter'), filter),
    changes, body);

  function matches(c) {
    const q = filter.value.trim().toLowerCase();
    if (!q) return true;
    return [c.id, c.name, c.description, c.kind, c.bundle && c.bundle.symbolicName].some((v) => v && v.toLowerCase().includes(q));
  }

  function card(c) {
    return h('article', {class: 'component card', 'data-component': `${c.kind}:${c.id}`},
      h('header', {class: 'component-head'},
        h('h3', null, c.name), h('code', null, c.id),
        h('span', {class: 'bundle-tag'}, c.bundle ? `${c.bundle.symbolicName} ${c.bundle.version}` : '')),
      h('p', null, c.description),
      c.kind === 'defense' ? h('p', {class: 'contract-text'}, h('strong', null, 'Data contract: '), contractText(c.dataContract)) : null,
      c.kind === 'model-format' ? h('p', {class: 'small'}, `Reads ${c.fileExtensions.length ? c.fileExtensions.map((e) => `.${e}`).join(', ') : 'any'} files`,
        c.canSave ? '; also writes models (purified models are saved in this format).' : '; read-only.') : null,
      c.parameters.length ? h('details', {open: c.parameters.length <= 4 ? true : null},
        h('summary', null, `Parameters (${c.parameters.length})`), paramTable(c.parameters))
        : h('p', {class: 'muted small'}, 'No parameters.'),
      c.bundle ? h('p', {class: 'muted small'}, `Bundle id ${c.bundle.bundleId} · sha256 ${shortHash(c.bundle.sha256)}`) : null);
  }

  function render() {
    const sections = KINDS.map((kind) => {
      const list = (byKind[kind] || []).filter(matches);
      return h('section', {class: 'kind-section', 'data-kind': kind, 'aria-labelledby': `kind-${kind}`},
        h('h2', {id: `kind-${kind}`}, `${KIND_TITLES[kind]} `, h('span', {class: 'count'}, `(${list.length})`)),
        list.length ? h('div', {class: 'component-grid'}, list.map(card))
          : h('p', {class: 'muted'}, filter.value ? 'Nothing matches the filter.' : `No ${KIND_WORDS[kind]} is installed.`));
    });
    const zooSection = h('section', {class: 'kind-section', 'aria-labelledby': 'kind-zoo'},
      h('h2', {id: 'kind-zoo'}, 'Model zoo (trainable architectures)'),
      zoo.available ? h('div', {class: 'component-grid'},
        zoo.architectures.map((a) => h('article', {class: 'component card'},
          h('header', {class: 'component-head'}, h('h3', null, a.name), h('code', null, a.id)),
          h('p', null, a.description), h('details', null, h('summary', null, `Parameters (${a.parameters.length})`), paramTable(a.parameters)))),
        h('article', {class: 'component card'}, h('header', {class: 'component-head'}, h('h3', null, 'Training')),
          h('details', null, h('summary', null, `Parameters (${zoo.training.length})`), paramTable(zoo.training))))
        : h('p', {class: 'muted'}, 'This server has no model trainer: pipelines use stored (uploaded) models.'));
    mount(body, sections, zooSection);
  }

  async function load() {
    try {
      [byKind, zoo] = await Promise.all([loadComponents(), api('/api/architectures')]);
      render();
    } catch (e) {
      mount(body, errorBox(`The components could not be loaded: ${e.message}`));
    }
  }

  const reload = debounce(load, 250);
  const stop = on('registry', (event) => {
    const word = {added: 'added', modified: 'updated', removed: 'removed'}[event.change] || event.change;
    const text = `${KIND_WORDS[event.kind] || event.kind} ${event.id} ${word}`;
    changes.prepend(h('li', null, `${new Date().toLocaleTimeString()} · ${text}`));
    while (changes.children.length > 6) changes.lastChild.remove();
    reload();
  });
  await load();
  return () => {
    stop();
    reload.cancel();
  };
}
