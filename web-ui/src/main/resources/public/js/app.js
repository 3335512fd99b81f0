// The shell: sign-in, role-aware navigation, hash routing, the shared live stream.
import {api, session, storeToken, forgetToken, onUnauthorized} from './api.js';
import {h, mount} from './dom.js';
import {connectGlobal, disconnectGlobal, onStreamState} from './events.js';
import {builderView} from './builder/view.js';
import {runsView} from './runs.js';
import {runView} from './run/view.js';
import {compareView} from './compare/view.js';
import {componentsView} from './components.js';
import {bundlesView} from './bundles.js';

const VIEWS = {
  builder: {render: builderView, title: 'Pipeline builder'},
  runs: {render: runsView, title: 'Runs'},
  run: {render: runView, title: 'Run', nav: 'runs'},
  compare: {render: compareView, title: 'Compare runs'},
  components: {render: componentsView, title: 'Components'},
  bundles: {render: bundlesView, title: 'Bundles'},
};

const el = (id) => document.getElementById(id);
let cleanup = null;
let routeSeq = 0;

function parseHash() {
  const raw = window.location.hash.replace(/^#\/?/, '');
  const [pathPart, query = ''] = raw.split('?');
  return {parts: pathPart.split('/').filter(Boolean).map(decodeURIComponent), params: new URLSearchParams(query)};
}

function runCleanup() {
  if (cleanup) {
    try {
      cleanup();
    } catch (e) {
      console.warn('view clean-up failed', e); // eslint-disable-line no-console
    }
  }
  cleanup = null;
}

async function route(focus) {
  if (!session.user) return;
  const seq = ++routeSeq;
  const {parts, params} = parseHash();
  let name = parts[0] || 'builder';
  if (name === 'runs' && parts[1]) name = 'run';
  const view = VIEWS[name];
  runCleanup();
  const main = el('view');
  for (const link of document.querySelectorAll('[data-nav]')) {
    const current = link.dataset.nav === (view ? view.nav || name : '');
    if (current) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  main.replaceChildren();
  if (!view) {
    mount(main, h('h1', null, 'Page not found'), h('p', null, 'No page at this address. ',
      h('a', {href: '#/builder'}, 'Go to the pipeline builder.')));
    return;
  }
  document.title = `${view.title} · Purifier`;
  if (focus) main.focus({preventScroll: true});
  try {
    const result = await view.render(main, {parts, params});
    if (seq !== routeSeq) {
      if (typeof result === 'function') result();
      return;
    }
    cleanup = typeof result === 'function' ? result : null;
  } catch (e) {
    if (seq !== routeSeq || !session.user) return;
    mount(main, h('h1', null, view.title),
      h('div', {class: 'alert error', role: 'alert'}, `This page could not be loaded: ${e.message}`));
  }
}

function showSignIn(message) {
  el('topbar').hidden = true;
  el('view').hidden = true;
  el('signin').hidden = false;
  const box = el('signin-message');
  box.textContent = message || '';
  box.hidden = !message;
  el('signin-token').value = '';
  el('signin-token').focus();
}

function showApp() {
  el('signin').hidden = true;
  el('topbar').hidden = false;
  el('view').hidden = false;
  const user = session.user;
  mount(el('who'), h('span', {class: 'user-name'}, user.name), ' ', h('span', {class: `role role-${user.role}`}, user.role));
  connectGlobal();
  route(false);
}

function signOut(message) {
  routeSeq += 1;
  runCleanup();
  disconnectGlobal();
  forgetToken();
  el('view').replaceChildren();
  showSignIn(message);
}

async function signIn(token) {
  storeToken(token);
  try {
    session.user = await api('/api/me', {quiet401: true});
    showApp();
  } catch (e) {
    forgetToken();
    showSignIn(e.status === 401 ? `That token was not accepted: ${e.message}.` : e.message);
  }
}

function start() {
  onUnauthorized((message) => signOut(`You were signed out because the server no longer accepts your token (${message}). Sign in again.`));
  onStreamState((state) => {
    const live = el('live-state');
    live.textContent = {live: '● live', connecting: '○ connecting…', reconnecting: '○ reconnecting…', offline: '○ offline'}[state] || state;
    live.className = `live ${state}`;
  });
  el('signin-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const token = el('signin-token').value.trim();
    if (!token) {
      showSignIn('Enter your access token.');
      return;
    }
    signIn(token);
  });
  el('sign-out').addEventListener('click', () => signOut('You signed out.'));
  window.addEventListener('hashchange', () => route(true));
  api('/api/health').then((health) => {
    el('server-version').textContent = `Server ${health.version}, up ${health.uptimeSeconds} s.`;
  }, () => {
    el('server-version').textContent = 'The server is not reachable.';
  });
  if (session.token) signIn(session.token);
  else showSignIn(null);
}

start();
