// Small DOM helpers. Every piece of text goes in through text nodes or attributes, never through innerHTML,
// so server-provided strings are always shown as text.

const SVG_NS = 'http://www.w3.org/2000/svg';

function setAttributes(el, attrs) {
  let value;
  for (const [key, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (key === 'class') el.setAttribute('class', v);
    else if (key === 'dataset') Object.assign(el.dataset, v);
    else if (key.startsWith('on') && typeof v === 'function') el.addEventListener(key.slice(2), v);
    else if (key === 'value') value = v;
    else if (key === 'checked' || key === 'selected') el[key] = Boolean(v);
    else if (key === 'style' && typeof v === 'object') Object.assign(el.style, v);
    else el.setAttribute(key, v === true ? '' : String(v));
  }
  return value;
}

function appendChildren(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Creates an HTML element: h('button', {class: 'btn', onclick: fn}, 'Label'). */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  const value = setAttributes(el, attrs);
  appendChildren(el, children);
  if (value !== undefined) el.value = value; // after the options of a select exist
  return el;
}

/** Creates an SVG element. */
export function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  setAttributes(el, attrs);
  appendChildren(el, children);
  return el;
}

/** Replaces the children of el. */
export function mount(el, ...children) {
  el.replaceChildren();
  appendChildren(el, children);
  return el;
}

let idCounter = 0;
/** A fresh element id with a readable prefix. */
export function uid(prefix = 'id') {
  idCounter += 1;
  return `${prefix}-${idCounter}`;
}

/** Shows a short message in the toast area. */
export function toast(message, kind = 'info') {
  const box = document.getElementById('toasts');
  const item = h('div', {class: `toast ${kind}`}, message);
  box.append(item);
  while (box.children.length > 4) box.firstChild.remove();
  setTimeout(() => item.remove(), kind === 'error' ? 9000 : 5000);
}

/** Offers text as a file download. */
export function download(fileName, text, type = 'text/plain') {
  const url = URL.createObjectURL(new Blob([text], {type}));
  const a = h('a', {href: url, download: fileName, hidden: true});
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Copies text to the clipboard (falls back to selecting a textarea). */
export async function copyText(text, fallbackArea) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch (e) {
    if (fallbackArea) {
      fallbackArea.focus();
      fallbackArea.select();
      return document.execCommand && document.execCommand('copy');
    }
    return false;
  }
}

/** Calls fn at most once per `ms`, with the latest arguments. */
export function throttle(fn, ms) {
  let timer = null;
  let lastArgs = null;
  return (...args) => {
    lastArgs = args;
    if (timer) return;
    timer = setTimeout(() => {
      timer = null;
      fn(...lastArgs);
    }, ms);
  };
}

/** Calls fn `ms` after the last call. */
export function debounce(fn, ms) {
  let timer = null;
  const wrapped = (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
  wrapped.cancel = () => clearTimeout(timer);
  return wrapped;
}
