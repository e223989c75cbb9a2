/**
 * The page an announcement's unsubscribe link leads to: one button ends the subscription. Mail clients that support
 * one-click unsubscribe (RFC 8058) POST to the same API route without this page.
 */
import { h, pageHeading, replace, messageOf } from '../dom.js';
import { unsubscribe } from '../serverless.js';
import { t } from '../i18n.js';

export function render(view, { query }) {
  const token = query.get('token');
  const status = h('div', { class: 'form-status', 'aria-live': 'polite' });
  view.append(pageHeading(t('unsubscribe.title')), status);
  if (!token) {
    replace(status, h('p', { class: 'notice notice-error', role: 'alert' },
      t('unsubscribe.noToken')));
    return undefined;
  }
  const button = h('button', { type: 'button', class: 'button', onclick: leave }, t('unsubscribe.submit'));
  view.insertBefore(h('div', { class: 'unsubscribe' },
    h('p', {}, t('unsubscribe.intro')), button), status);

  async function leave() {
    button.disabled = true;
    button.textContent = t('unsubscribe.leaving');
    try {
      await unsubscribe(token);
      button.remove();
      replace(status, h('div', { class: 'notice notice-success', id: 'unsubscribed' },
        h('p', {}, h('strong', {}, t('unsubscribe.done')), ' ', t('unsubscribe.doneText')),
        h('p', {}, t('unsubscribe.changedMind'), ' ', h('a', { href: '/subscribe' }, t('confirmSubscription.again')))));
    } catch (error) {
      button.disabled = false;
      button.textContent = t('unsubscribe.submit');
      replace(status, h('p', { class: 'notice notice-error', role: 'alert' }, messageOf(error)));
    }
  }
  return undefined;
}
