// The REST client: bearer token from sessionStorage, typed errors, one place that handles 401.

const TOKEN_KEY = 'purifier.token';

/** JSON.parse reviver: integers beyond 2^53 (64-bit seeds) keep their exact digits as strings. */
function keepBigIntegers(key, value, context) {
  if (typeof value === 'number' && Number.isInteger(value) && !Number.isSafeInteger(value) && context && context.source) {
    return context.source;
  }
  return value;
}

/** The signed-in state. */
export const session = {
  token: sessionStorage.getItem(TOKEN_KEY),
  user: null, // {name, role}
};

let unauthorizedHandler = () => {};

/** Called with the server's message whenever a request answers 401. */
export function onUnauthorized(handler) {
  unauthorizedHandler = handler;
}

export function storeToken(token) {
  session.token = token;
  sessionStorage.setItem(TOKEN_KEY, token);
}

export function forgetToken() {
  session.token = null;
  session.user = null;
  sessionStorage.removeItem(TOKEN_KEY);
}

const RANK = {viewer: 1, researcher: 2, admin: 3};

/** Whether the signed-in user has at least `role`. */
export function hasRole(role) {
  return Boolean(session.user) && (RANK[session.user.role] || 0) >= RANK[role];
}

/** An error answer of the API: status, plain message and (for validation) the problems. */
export class ApiError extends Error {
  constructor(status, message, problems) {
    super(message);
    this.status = status;
    this.problems = problems || [];
  }
}

/**
 * Calls the API. Options: method, json (a value sent as JSON), body (raw), headers, quiet401 (do not sign out).
 * Resolves to the parsed JSON (or null for 204); rejects with ApiError.
 */
export async function api(path, options = {}) {
  const headers = {...(options.headers || {})};
  if (session.token) headers.Authorization = `Bearer ${session.token}`;
  let body = options.body;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers['Content-Type'] = 'application/json';
  }
  let response;
  try {
    response = await fetch(path, {method: options.method || 'GET', headers, body});
  } catch (e) {
    throw new ApiError(0, `The server cannot be reached (${e.message}). Is it running?`);
  }
  if (response.status === 204) return null;
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text, keepBigIntegers) : null;
  } catch (e) {
    data = text;
  }
  if (!response.ok) {
    const message = data && typeof data === 'object' && data.error ? data.error
      : `The server answered ${response.status} ${response.statusText}`;
    const error = new ApiError(response.status, message, data && data.problems);
    if (response.status === 401 && !options.quiet401) unauthorizedHandler(message);
    throw error;
  }
  return data;
}

/** A GET url that carries the token as a query parameter (SSE streams, downloads, images). */
export function withToken(url) {
  return `${url}${url.includes('?') ? '&' : '?'}token=${encodeURIComponent(session.token || '')}`;
}
