/**
 * The page an announcement's unsubscribe link leads to: one button ends the subscription. Mail clients that support
 * one-click unsubscribe (RFC 8058) POST to the same API route without this page.
 */
import { h, pageHeading, replace, messageOf } from '../dom.js';
import { unsubscribe } from '../serverless.js';

export function render(view, { query }) {
  const token = query.get('token');
  const status = h('div', { class: 'form-status', 'aria-live': 'polite' });
  view.append(pageHeading('Unsubscribe'), status);
  if (!token) {
    replace(status, h('p', { class: 'notice notice-error', role: 'alert' },
      'This page needs the unsubscribe link of an announcement email.'));
    return undefined;
  }
  const button = h('button', { type: 'button', class: 'button', onclick: leave }, 'Unsubscribe from announcements');
  view.insertBefore(h('div', { class: 'unsubscribe' },
    h('p', {}, 'Stop the emails about new events. Your tickets and sign-in codes still reach you.'), button), status);

  async function leave() {
    button.disabled = true;
    button.textContent = 'Unsubscribing…';
    try {
      await unsubscribe(token);
      button.remove();
      replace(status, h('div', { class: 'notice notice-success', id: 'unsubscribed' },
        h('p', {}, h('strong', {}, 'You are unsubscribed. '), 'You will get no more announcements.'),
        h('p', {}, 'Changed your mind? ', h('a', { href: '/subscribe' }, 'Subscribe again'))));
    } catch (error) {
      button.disabled = false;
      button.textContent = 'Unsubscribe from announcements';
      replace(status, h('p', { class: 'notice notice-error', role: 'alert' }, messageOf(error)));
    }
  }
  return undefined;
}
