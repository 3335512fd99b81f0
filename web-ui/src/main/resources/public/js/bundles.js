// Bundles: what is installed, and (admins) deploy a jar or remove a deployed bundle; live on registry events.
import {api, hasRole} from './api.js';
import {h, mount, toast, debounce} from './dom.js';
import {on} from './events.js';
import {shortHash} from './format.js';
import {pageHead, errorBox} from './widgets.js';

export async function bundlesView(view) {
  const admin = hasRole('admin');
  const listBox = h('div', {class: 'table-wrap', id: 'bundle-list'});
  const result = h('div', {id: 'deploy-result', 'aria-live': 'polite'});
  const fileInput = h('input', {type: 'file', id: 'bundle-file', accept: '.jar', disabled: !admin});
  const deployButton = h('button', {type: 'button', class: 'btn primary', id: 'deploy-bundle', disabled: !admin,
    onclick: () => deploy()}, 'Deploy');
  let bundles = [];

  mount(view,
    pageHead('Bundles', h('p', {class: 'muted'}, 'Plugins arrive as OSGi bundles. Built-in bundles start with the server; '
      + 'deployed ones can be added and removed while it runs.')),
    h('section', {class: 'card', 'aria-labelledby': 'deploy-h'},
      h('h2', {id: 'deploy-h'}, 'Deploy a bundle'),
      admin ? h('p', {class: 'muted small'}, 'The jar is checked (OSGi manifest, resolves and starts) before it is installed; '
        + 'a newer version of a deployed bundle replaces it.')
        : h('p', {class: 'alert info'}, 'Only admins can deploy or remove bundles.'),
      h('div', {class: 'row'},
        h('div', {class: 'field'}, h('label', {for: 'bundle-file'}, 'Bundle jar'), fileInput),
        h('div', {class: 'field end'}, deployButton)),
      result),
    h('section', {class: 'card', 'aria-labelledby': 'installed-h'},
      h('h2', {id: 'installed-h'}, 'Installed bundles'), listBox));

  async function deploy() {
    const file = fileInput.files[0];
    if (!file) {
      mount(result, errorBox('Choose a jar file first.'));
      return;
    }
    deployButton.disabled = true;
    mount(result, h('p', {class: 'muted'}, `Deploying ${file.name}…`));
    try {
      const answer = await api(`/api/bundles?filename=${encodeURIComponent(file.name)}`, {method: 'POST', body: file,
        headers: {'Content-Type': 'application/java-archive'}});
      const b = answer.bundle;
      mount(result, h('div', {class: 'alert ok', role: 'status'},
        `${answer.replaced ? 'Replaced' : 'Deployed'} ${b.symbolicName} ${b.version} (${b.state}); plugins: `
        + `${b.plugins.length ? b.plugins.join(', ') : 'none yet'}.`));
      fileInput.value = '';
      load();
    } catch (e) {
      mount(result, h('div', {class: 'alert error', role: 'alert', id: 'deploy-error'},
        h('strong', null, `${file.name} was not deployed. `), e.message));
    } finally {
      deployButton.disabled = !admin;
    }
  }

  async function remove(b) {
    if (!window.confirm(`Remove the bundle ${b.symbolicName} ${b.version}? Its plugins disappear at once; running steps finish.`)) return;
    try {
      await api(`/api/bundles/${encodeURIComponent(b.symbolicName)}`, {method: 'DELETE'});
      toast(`Removed ${b.symbolicName}.`);
      load();
    } catch (e) {
      toast(`${b.symbolicName} was not removed: ${e.message}`, 'error');
    }
  }

  function render() {
    mount(listBox, h('table', {class: 'data', id: 'bundles-table'},
      h('thead', null, h('tr', null, ['Symbolic name', 'Version', 'State', 'Origin', 'Plugins', 'File', 'Actions']
        .map((t) => h('th', {scope: 'col'}, t)))),
      h('tbody', null, bundles.map((b) => h('tr', {'data-bundle': b.symbolicName},
        h('td', null, h('code', null, b.symbolicName)),
        h('td', null, b.version),
        h('td', null, h('span', {class: `badge state-${b.state.toLowerCase()}`}, b.state.toLowerCase())),
        h('td', null, b.builtIn ? 'built-in' : 'deployed'),
        h('td', {class: 'plugins'}, b.plugins.length ? h('ul', {class: 'plain'}, b.plugins.map((p) => h('li', null, h('code', null, p)))) : '–'),
        h('td', {class: 'small'}, b.fileName || '–', b.sha256 ? h('div', {class: 'muted mono', title: b.sha256}, shortHash(b.sha256)) : null),
        h('td', null, !b.builtIn && admin ? h('button', {type: 'button', class: 'btn small danger-ghost',
          'aria-label': `Remove ${b.symbolicName}`, 'data-remove': b.symbolicName, onclick: () => remove(b)}, 'Remove') : ''))))));
  }

  async function load() {
    try {
      bundles = await api('/api/bundles');
      bundles.sort((a, b) => Number(a.builtIn) - Number(b.builtIn) || a.symbolicName.localeCompare(b.symbolicName));
      render();
    } catch (e) {
      mount(listBox, errorBox(`The bundles could not be loaded: ${e.message}`));
    }
  }

  const reload = debounce(load, 250);
  const stop = on('registry', reload);
  await load();
  return () => {
    stop();
    reload.cancel();
  };
}
