/** Create or edit an event (with its image), its ticket types, and publish or cancel it. */
import { api } from '../api.js';
import {
  h, pageHeading, loading, errorBox, replace, field, messageOf, showFieldError, clearFieldErrors,
  formatMoney, formatInZone, toZoneInputValue, fromZoneInputValue, isValidTimeZone, minorUnitDigits,
} from '../dom.js';
import { uploadEventImage } from '../serverless.js';
import { eventImageUrl, rememberUpload } from '../images.js';
import { myEvent, rememberEvent, rememberTicketType } from '../organizer-store.js';
import { roleGate } from './guards.js';
import { t } from '../i18n.js';

const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp'];
const MAX_IMAGE_BYTES = 5 * 1024 * 1024;

export async function render(view, { params, navigate }) {
  const creating = !params.eventId;
  const gate = roleGate('organizer', t('edit.gate'));
  if (gate) {
    view.append(pageHeading(creating ? t('edit.createTitle') : t('edit.title')), gate);
    return undefined;
  }
  const controller = new AbortController();
  if (creating) {
    view.append(h('p', { class: 'breadcrumb' }, h('a', { href: '/organizer' }, t('edit.myEvents'))),
      pageHeading(t('edit.createTitle')), eventForm(null, navigate));
    return () => controller.abort();
  }
  const load = async () => {
    replace(view, loading(t('event.loading')));
    try {
      const event = await myEvent(params.eventId, controller.signal);
      replace(view,
        h('p', { class: 'breadcrumb' }, h('a', { href: '/organizer' }, t('edit.myEvents'))),
        pageHeading(t('edit.titleOf', { title: event.title })),
        statusSection(event, load),
        eventForm(event, navigate),
        ticketTypesSection(event, load));
    } catch (error) {
      if (error.name !== 'AbortError') replace(view, pageHeading(t('edit.title')), errorBox(error, load));
    }
  };
  await load();
  return () => controller.abort();
}

function statusSection(event, reload) {
  const status = h('div', { 'aria-live': 'polite', class: 'form-status' });
  const actions = h('div', { class: 'actions' });
  const run = async (button, path, done) => {
    button.disabled = true;
    try {
      rememberEvent(await api(`/events/${event.id}/${path}`, { method: 'POST' }));
      sessionStorage.setItem('boxoffice.flash', done);
      await reload();
    } catch (error) {
      button.disabled = false;
      replace(status, h('p', { class: 'notice notice-error', role: 'alert' }, messageOf(error)));
    }
  };
  const publish = h('button', { type: 'button', class: 'button', onclick: () => run(publish, 'publish', t('edit.published')) },
    t('edit.publish'));
  const cancel = h('button', { type: 'button', class: 'button danger', onclick: askCancel }, t('edit.cancel'));
  function askCancel() {
    const confirmButton = h('button', { type: 'button', class: 'button danger', onclick: () => run(confirmButton, 'cancel', t('edit.cancelled')) },
      t('edit.confirmCancel'));
    replace(status, h('div', { class: 'notice notice-warning', role: 'alert' },
      h('p', {}, t('edit.cancelWarning')),
      h('div', { class: 'actions' }, confirmButton,
        h('button', { type: 'button', class: 'button secondary', onclick: () => { replace(status); cancel.focus(); } }, t('edit.keep')))));
    confirmButton.focus();
  }
  if (event.status === 'draft') actions.append(publish);
  if (event.status !== 'cancelled') actions.append(cancel);
  if (event.status === 'published') {
    actions.append(h('a', { class: 'button secondary', href: `/events/${event.id}` }, t('edit.publicPage')));
  }
  actions.append(h('a', { class: 'button secondary', href: `/organizer/events/${event.id}/dashboard` }, t('dashboard.title')));
  const flash = sessionStorage.getItem('boxoffice.flash');
  sessionStorage.removeItem('boxoffice.flash');
  if (flash) replace(status, h('p', { class: 'notice notice-success' }, flash));
  return h('section', { class: 'event-status', 'aria-labelledby': 'status-heading' },
    h('h2', { id: 'status-heading' }, t('edit.status'), ' ', h('span', { class: `badge badge-status-${event.status}` }, t(`organizer.status.${event.status}`))),
    actions, status);
}

function eventForm(event, navigate) {
  const defaultZone = event?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC';
  const input = (name, attributes = {}) => h('input', { name, type: 'text', value: event?.[name] ?? '', ...attributes });
  const timeZone = input('timeZone', { value: defaultZone, required: true, list: 'time-zones', autocomplete: 'off', maxlength: 60 });
  const startsAt = h('input', { name: 'startsAt', type: 'datetime-local', required: true,
    value: event ? toZoneInputValue(event.startsAt, event.timeZone) : '' });
  const endsAt = h('input', { name: 'endsAt', type: 'datetime-local', required: true,
    value: event ? toZoneInputValue(event.endsAt, event.timeZone) : '' });
  const image = imagePicker(event);
  const save = h('button', { type: 'submit', class: 'button' }, event ? t('edit.save') : t('edit.create'));
  const status = h('div', { class: 'form-status', 'aria-live': 'polite' });
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  const form = h('form', { class: 'event-form', novalidate: true, onsubmit: submit },
    h('h2', {}, t('edit.details')),
    field({ id: 'event-title', label: t('edit.field.title'), input: input('title', { required: true, maxlength: 200 }) }),
    field({ id: 'event-description', label: t('edit.field.description'), input: h('textarea', { name: 'description', rows: 5, maxlength: 10000 }, event?.description ?? '') }),
    h('div', { class: 'field-row' },
      field({ id: 'event-category', label: t('edit.field.category'), input: input('category', { required: true, maxlength: 60, placeholder: t('events.categoryPlaceholder') }) }),
      field({ id: 'event-city', label: t('edit.field.city'), input: input('city', { required: true, maxlength: 100 }) })),
    field({ id: 'event-venue', label: t('edit.field.venue'), input: input('venue', { required: true, maxlength: 200 }) }),
    field({ id: 'event-time-zone', label: t('edit.field.timeZone'), input: timeZone, hint: t('edit.field.timeZoneHint') }),
    h('datalist', { id: 'time-zones' }, ...zones.map((zone) => h('option', { value: zone }))),
    h('div', { class: 'field-row' },
      field({ id: 'event-starts-at', label: t('edit.field.starts'), input: startsAt }),
      field({ id: 'event-ends-at', label: t('edit.field.ends'), input: endsAt })),
    field({ id: 'event-hold-minutes', label: t('edit.field.hold'),
      input: input('holdMinutes', { type: 'number', min: 1, max: 60, required: true, value: event?.holdMinutes ?? 10 }),
      hint: t('edit.field.holdHint') }),
    field({ id: 'event-max-tickets-per-buyer', label: t('edit.field.perBuyer'),
      input: input('maxTicketsPerBuyer', { type: 'number', min: 1, max: 1000, value: event?.maxTicketsPerBuyer ?? '' }),
      hint: t('edit.field.perBuyerHint') }),
    image.element,
    h('div', { class: 'actions' }, save), status);

  async function submit(submitEvent) {
    submitEvent.preventDefault();
    clearFieldErrors(form);
    replace(status);
    if (image.uploading()) {
      replace(status, h('p', { class: 'notice notice-error', role: 'alert' }, t('edit.waitUpload')));
      return;
    }
    const data = new FormData(form);
    const body = {};
    for (const name of ['title', 'description', 'category', 'venue', 'city', 'timeZone']) {
      body[name] = String(data.get(name) ?? '').trim();
    }
    for (const name of ['title', 'category', 'venue', 'city']) {
      if (!body[name]) return showFieldError(form, name, t('edit.required'));
    }
    if (!isValidTimeZone(body.timeZone)) return showFieldError(form, 'timeZone', t('edit.timeZoneInvalid'));
    body.startsAt = startsAt.value && fromZoneInputValue(startsAt.value, body.timeZone);
    body.endsAt = endsAt.value && fromZoneInputValue(endsAt.value, body.timeZone);
    if (!body.startsAt) return showFieldError(form, 'startsAt', t('edit.startsMissing'));
    if (!body.endsAt) return showFieldError(form, 'endsAt', t('edit.endsMissing'));
    if (Date.parse(body.endsAt) <= Date.parse(body.startsAt)) return showFieldError(form, 'endsAt', t('edit.endsBeforeStart'));
    const holdMinutes = Number(data.get('holdMinutes'));
    if (!Number.isInteger(holdMinutes) || holdMinutes < 1 || holdMinutes > 60) return showFieldError(form, 'holdMinutes', t('edit.holdInvalid'));
    body.holdMinutes = holdMinutes;
    const perBuyer = String(data.get('maxTicketsPerBuyer') ?? '').trim();
    if (perBuyer) {
      const maxTicketsPerBuyer = Number(perBuyer);
      if (!Number.isInteger(maxTicketsPerBuyer) || maxTicketsPerBuyer < 1 || maxTicketsPerBuyer > 1000) return showFieldError(form, 'maxTicketsPerBuyer', t('edit.perBuyerInvalid'));
      body.maxTicketsPerBuyer = maxTicketsPerBuyer;
    } else if (event?.maxTicketsPerBuyer) {
      body.maxTicketsPerBuyer = null;
    }
    if (image.key()) body.imageKey = image.key();
    save.disabled = true;
    replace(status, h('p', {}, t('edit.saving')));
    try {
      const saved = rememberEvent(await api(event ? `/events/${event.id}` : '/events',
        { method: event ? 'PATCH' : 'POST', body }));
      sessionStorage.setItem('boxoffice.flash', event ? t('edit.saved') : t('edit.created'));
      navigate(`/organizer/events/${saved.id}`, { replace: !event });
    } catch (error) {
      save.disabled = false;
      const placed = error.field && showFieldError(form, error.field.replace(/^\//, ''), error.message);
      replace(status, h('p', { class: 'notice notice-error', role: 'alert' },
        placed ? t('edit.correct') : messageOf(error)));
    }
  }
  return form;
}

/** The image field: type and size checked here, a preview from an object URL, and an upload with its progress. */
function imagePicker(event) {
  let imageKey = event?.imageKey ?? null;
  let uploading = false;
  let previewUrl = null;
  const file = h('input', { name: 'image', type: 'file', accept: IMAGE_TYPES.join(','), onchange: picked });
  const preview = h('img', { class: 'image-preview', alt: t('edit.image.preview'), hidden: true, width: 480, height: 270 });
  const progress = h('progress', { max: 100, value: 0, hidden: true, 'aria-label': t('edit.image.progress') });
  const status = h('p', { class: 'upload-status', 'aria-live': 'polite' });
  if (event?.imageKey) {
    eventImageUrl(event).then((url) => { preview.src = url; preview.hidden = false; });
  }
  const element = h('div', { class: 'image-picker' },
    field({ id: 'event-image', label: t('edit.image'), input: file, hint: t('edit.image.hint') }),
    preview, progress, status);

  async function picked() {
    const chosen = file.files[0];
    const error = document.getElementById('event-image-error');
    error.textContent = '';
    file.removeAttribute('aria-invalid');
    if (!chosen) return;
    const problem = !IMAGE_TYPES.includes(chosen.type)
      ? t('edit.image.wrongType', { name: chosen.name })
      : chosen.size > MAX_IMAGE_BYTES
        ? t('edit.image.tooLarge', { name: chosen.name, size: (chosen.size / 1024 / 1024).toFixed(1) }) : null;
    if (problem) {
      error.textContent = problem;
      file.setAttribute('aria-invalid', 'true');
      file.value = '';
      return;
    }
    if (previewUrl) URL.revokeObjectURL(previewUrl);
    const localUrl = URL.createObjectURL(chosen);
    previewUrl = localUrl;
    preview.src = previewUrl;
    preview.hidden = false;
    progress.hidden = false;
    progress.value = 0;
    uploading = true;
    status.textContent = t('edit.image.uploading');
    try {
      const stored = await uploadEventImage(chosen, (fraction) => { progress.value = Math.round(fraction * 100); });
      imageKey = stored.imageKey;
      rememberUpload(imageKey, localUrl);
      previewUrl = null;
      status.textContent = t('edit.image.uploaded');
    } catch (failure) {
      progress.hidden = true;
      error.textContent = t('edit.image.failed', { message: messageOf(failure) });
      file.setAttribute('aria-invalid', 'true');
      status.textContent = '';
    } finally {
      uploading = false;
    }
  }
  return { element, key: () => imageKey, uploading: () => uploading };
}

function ticketTypesSection(event, reload) {
  const types = event.ticketTypes ?? [];
  const section = h('section', { class: 'ticket-type-admin', 'aria-labelledby': 'types-heading' },
    h('h2', { id: 'types-heading' }, t('edit.types')),
    types.length === 0
      ? h('p', { class: 'state state-empty' }, t('edit.noTypes'))
      : h('ul', { class: 'ticket-types' }, ...types.map((type) => ticketTypeRow(type, event, reload))));
  if (event.status !== 'cancelled') section.append(ticketTypeForm(event, reload));
  return section;
}

function ticketTypeRow(type, event, reload) {
  const status = h('span', { 'aria-live': 'polite' });
  const close = h('button', { type: 'button', class: 'button secondary', onclick: closeSales }, t('edit.closeSales', { name: type.name }));
  async function closeSales() {
    close.disabled = true;
    try {
      rememberTicketType(await api(`/ticket-types/${type.id}`, { method: 'PATCH', body: { salesClosed: true } }));
      await reload();
    } catch (error) {
      close.disabled = false;
      status.textContent = messageOf(error);
    }
  }
  return h('li', { class: 'ticket-type' },
    h('div', { class: 'ticket-type-info' },
      h('h3', {}, type.name),
      h('p', {}, [formatMoney(type.priceMinor, type.currency), t('edit.soldOf', { sold: type.sold, capacity: type.capacity }), t('event.state.perOrder', { perOrder: type.maxPerOrder })].join(' · ')),
      h('p', { class: 'card-meta' }, t('edit.onSale', { from: formatInZone(type.salesStart, event.timeZone), until: formatInZone(type.salesEnd, event.timeZone) }))),
    type.salesClosed ? h('span', { class: 'badge badge-closed' }, t('event.badge.closed')) : close, status);
}

function ticketTypeForm(event, reload) {
  const now = new Date(Math.floor(Date.now() / 60000) * 60000).toISOString();
  const input = (name, attributes) => h('input', { name, ...attributes });
  const salesStart = input('salesStart', { type: 'datetime-local', required: true, value: toZoneInputValue(now, event.timeZone) });
  const salesEnd = input('salesEnd', { type: 'datetime-local', required: true, value: toZoneInputValue(event.startsAt, event.timeZone) });
  const add = h('button', { type: 'submit', class: 'button' }, t('edit.addType'));
  const status = h('div', { class: 'form-status', 'aria-live': 'polite' });
  const form = h('form', { class: 'ticket-type-form', novalidate: true, onsubmit: submit },
    h('h3', {}, t('edit.addTypeTitle')),
    field({ id: 'type-name', label: t('edit.type.name'), input: input('name', { type: 'text', required: true, maxlength: 100 }), hint: t('edit.type.nameHint') }),
    h('div', { class: 'field-row' },
      field({ id: 'type-price', label: t('edit.type.price'), input: input('price', { type: 'number', required: true, min: 0, step: '0.01', inputmode: 'decimal' }) }),
      field({ id: 'type-currency', label: t('edit.type.currency'), input: input('currency', { type: 'text', required: true, value: 'EUR', maxlength: 3, pattern: '[A-Z]{3}' }) })),
    h('div', { class: 'field-row' },
      field({ id: 'type-capacity', label: t('edit.type.capacity'), input: input('capacity', { type: 'number', required: true, min: 0, max: 1000000, step: 1 }) }),
      field({ id: 'type-max', label: t('edit.type.max'), input: input('maxPerOrder', { type: 'number', required: true, min: 1, max: 50, step: 1, value: 10 }) })),
    h('div', { class: 'field-row' },
      field({ id: 'type-sales-start', label: t('edit.type.salesOpen'), input: salesStart }),
      field({ id: 'type-sales-end', label: t('edit.type.salesClose'), input: salesEnd })),
    add, status);

  async function submit(submitEvent) {
    submitEvent.preventDefault();
    clearFieldErrors(form);
    const data = Object.fromEntries(new FormData(form));
    const name = String(data.name).trim();
    const currency = String(data.currency).trim().toUpperCase();
    const price = Number(data.price);
    const capacity = Number(data.capacity);
    const maxPerOrder = Number(data.maxPerOrder);
    if (!name) return showFieldError(form, 'name', t('edit.type.nameMissing'));
    if (data.price === '' || !Number.isFinite(price) || price < 0) return showFieldError(form, 'price', t('edit.type.priceInvalid'));
    if (!/^[A-Z]{3}$/.test(currency) || !currencyKnown(currency)) return showFieldError(form, 'currency', t('edit.type.currencyInvalid'));
    if (data.capacity === '' || !Number.isInteger(capacity) || capacity < 0) return showFieldError(form, 'capacity', t('edit.type.capacityInvalid'));
    if (!Number.isInteger(maxPerOrder) || maxPerOrder < 1 || maxPerOrder > 50) return showFieldError(form, 'maxPerOrder', t('edit.type.maxInvalid'));
    const start = fromZoneInputValue(salesStart.value, event.timeZone);
    const end = fromZoneInputValue(salesEnd.value, event.timeZone);
    if (!start) return showFieldError(form, 'salesStart', t('edit.type.salesOpenMissing'));
    if (!end || Date.parse(end) <= Date.parse(start)) return showFieldError(form, 'salesEnd', t('edit.type.salesCloseInvalid'));
    add.disabled = true;
    try {
      rememberTicketType(await api(`/events/${event.id}/ticket-types`, {
        method: 'POST',
        body: { name, priceMinor: Math.round(price * 10 ** minorUnitDigits(currency)), currency, capacity,
          salesStart: start, salesEnd: end, maxPerOrder },
      }));
      sessionStorage.setItem('boxoffice.flash', t('edit.type.added', { name }));
      await reload();
    } catch (error) {
      add.disabled = false;
      const fieldName = { priceMinor: 'price' }[error.field?.replace(/^\//, '')] ?? error.field?.replace(/^\//, '');
      if (!(fieldName && showFieldError(form, fieldName, error.message))) {
        replace(status, h('p', { class: 'notice notice-error', role: 'alert' }, messageOf(error)));
      }
    }
  }
  return form;
}

function currencyKnown(currency) {
  try {
    new Intl.NumberFormat('en', { style: 'currency', currency });
    return true;
  } catch {
    return false;
  }
}
