/** Tiny DOM and formatting helpers: elements are built with h() so user data never passes through innerHTML. */
import { currentLocale, t } from './i18n.js';

export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2), value);
    } else if (name === 'dataset') {
      Object.assign(element.dataset, value);
    } else if (value === true) {
      element.setAttribute(name, '');
    } else {
      element.setAttribute(name, String(value));
    }
  }
  append(element, children);
  return element;
}

function append(parent, children) {
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    parent.append(child instanceof Node ? child : String(child));
  }
}

export function replace(container, ...children) {
  container.replaceChildren();
  append(container, children);
}

/** The page's main heading, focused after navigation so screen readers announce the new page. */
export function pageHeading(text) {
  return h('h1', { tabindex: '-1', id: 'page-heading' }, text);
}

export function loading(label = t('state.loading')) {
  return h('p', { class: 'state state-loading', role: 'status' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), label);
}

export function empty(text, ...extra) {
  return h('div', { class: 'state state-empty' }, h('p', {}, text), ...extra);
}

export function errorBox(error, retry) {
  return h('div', { class: 'state state-error', role: 'alert' },
    h('p', {}, messageOf(error)),
    retry ? h('button', { type: 'button', class: 'button secondary', onclick: retry }, t('state.tryAgain')) : null);
}

export function messageOf(error) {
  if (!error) return t('error.unknown');
  if (error.status === 0) return t('error.network');
  return error.message || t('error.unknown');
}

export function formatMoney(minor, currency) {
  const digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits;
  return new Intl.NumberFormat(currentLocale(), { style: 'currency', currency }).format(minor / 10 ** digits);
}

export function minorUnitDigits(currency) {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits;
}

/** A date and time as the venue's clock shows it, with the zone's short name. */
export function formatInZone(instant, timeZone) {
  try {
    return new Intl.DateTimeFormat(currentLocale(), {
      weekday: 'short', day: 'numeric', month: 'short', year: 'numeric',
      hour: '2-digit', minute: '2-digit', timeZone, timeZoneName: 'short',
    }).format(new Date(instant));
  } catch {
    return new Date(instant).toLocaleString();
  }
}

export function formatLocal(instant) {
  return new Intl.DateTimeFormat(currentLocale(), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(instant));
}

/** The value for an <input type="datetime-local"> showing `instant` on the clock of `timeZone`. */
export function toZoneInputValue(instant, timeZone) {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-GB', {
    timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(new Date(instant)).map((part) => [part.type, part.value]));
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

/** The instant at which the clock of `timeZone` shows the datetime-local `value`. */
export function fromZoneInputValue(value, timeZone) {
  const asUtc = Date.parse(`${value}:00Z`);
  if (Number.isNaN(asUtc)) return null;
  let guess = asUtc;
  for (let i = 0; i < 2; i += 1) {
    const shown = Date.parse(`${toZoneInputValue(guess, timeZone)}:00Z`);
    guess += asUtc - shown;
  }
  return new Date(guess).toISOString().replace('.000Z', 'Z');
}

export function isValidTimeZone(timeZone) {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** A labelled form field; the hint and error are tied to the input with aria-describedby. */
export function field({ id, label, input, hint }) {
  const hintId = hint ? `${id}-hint` : null;
  const errorId = `${id}-error`;
  input.id = id;
  input.setAttribute('aria-describedby', [hintId, errorId].filter(Boolean).join(' '));
  return h('div', { class: 'field' },
    h('label', { for: id }, label),
    hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
    input,
    h('p', { class: 'field-error', id: errorId }));
}

export function showFieldError(form, name, message) {
  const input = form.querySelector(`[name="${name}"]`);
  const target = input && document.getElementById(`${input.id}-error`);
  if (!target) return false;
  target.textContent = message;
  input.setAttribute('aria-invalid', 'true');
  input.focus();
  return true;
}

export function clearFieldErrors(form) {
  form.querySelectorAll('.field-error').forEach((node) => { node.textContent = ''; });
  form.querySelectorAll('[aria-invalid]').forEach((node) => node.removeAttribute('aria-invalid'));
}
