// Server-sent events: one shared stream of everything (/api/events) and per-run streams.
import {api, session, withToken} from './api.js';

const GLOBAL_TYPES = ['run', 'step', 'registry'];
const listeners = new Map();
let source = null;
let retryTimer = null;
let stateListener = () => {};

function dispatch(type, data) {
  for (const fn of listeners.get(type) || []) {
    try {
      fn(data);
    } catch (e) {
      console.warn(`event listener for '${type}' failed`, e); // eslint-disable-line no-console
    }
  }
}

function parse(event) {
  try {
    return JSON.parse(event.data);
  } catch (e) {
    return null;
  }
}

/** Reports 'live', 'reconnecting' or 'offline' to fn. */
export function onStreamState(fn) {
  stateListener = fn;
}

/** Opens the shared stream (idempotent). */
export function connectGlobal() {
  if (source || !session.token) return;
  source = new EventSource(withToken('/api/events'));
  stateListener('connecting');
  source.onopen = () => stateListener('live');
  source.onerror = () => {
    if (source && source.readyState === EventSource.CLOSED) {
      source = null;
      stateListener('offline');
      // A closed stream can mean a revoked token: ask the API, which signs out on 401; otherwise retry.
      api('/api/me').then(() => {
        clearTimeout(retryTimer);
        retryTimer = setTimeout(connectGlobal, 3000);
      }, () => {});
    } else {
      stateListener('reconnecting');
    }
  };
  for (const type of GLOBAL_TYPES) {
    source.addEventListener(type, (e) => {
      const data = parse(e);
      if (data) dispatch(type, data);
    });
  }
}

export function disconnectGlobal() {
  clearTimeout(retryTimer);
  if (source) source.close();
  source = null;
}

/** Subscribes to a type of the shared stream; returns the unsubscribe function. */
export function on(type, fn) {
  if (!listeners.has(type)) listeners.set(type, new Set());
  listeners.get(type).add(fn);
  return () => listeners.get(type).delete(fn);
}

/** Opens the stream of one run; handlers[type](data). Returns a close function. */
export function openRunStream(runId, handlers) {
  const stream = new EventSource(withToken(`/api/runs/${encodeURIComponent(runId)}/events`));
  for (const [type, fn] of Object.entries(handlers)) {
    if (type === 'error') continue;
    stream.addEventListener(type, (e) => {
      const data = parse(e);
      if (data) fn(data);
    });
  }
  stream.onerror = () => {
    if (handlers.error) handlers.error(stream.readyState);
  };
  return () => stream.close();
}
