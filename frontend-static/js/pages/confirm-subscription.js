/**
 * The page a confirmation email links to: one button confirms the subscription. The link itself changes nothing, since
 * mail scanners open links before people do.
 */
import { h, pageHeading, replace, messageOf } from '../dom.js';
import { confirmSubscription } from '../serverless.js';
import { t } from '../i18n.js';

export function render(view, { query }) {
  const token = query.get('token');
  const status = h('div', { class: 'form-status', 'aria-live': 'polite' });
  view.append(pageHeading(t('confirmSubscription.title')), status);
  if (!token) {
    replace(status, h('p', { class: 'notice notice-error', role: 'alert' },
      t('confirmSubscription.noToken')));
    return undefined;
  }
  const button = h('button', { type: 'button', class: 'button', onclick: confirm }, t('confirmSubscription.submit'));
  view.insertBefore(h('div', { class: 'confirm-subscription' },
    h('p', {}, t('confirmSubscription.intro')), button), status);

  async function confirm() {
    button.disabled = true;
    button.textContent = t('confirmSubscription.confirming');
    try {
      const confirmed = await confirmSubscription(token);
      const what = [
        confirmed.categories.length
          ? t('confirmSubscription.categories', { list: confirmed.categories.join(', ') })
          : t('confirmSubscription.everyCategory'),
        confirmed.cities.length
          ? t('confirmSubscription.cities', { list: confirmed.cities.join(', ') })
          : t('confirmSubscription.everyCity'),
      ].join('; ');
      button.remove();
      replace(status, h('div', { class: 'notice notice-success', id: 'subscription-confirmed' },
        h('p', {}, h('strong', {}, t('confirmSubscription.done')), ' ', t('confirmSubscription.doneText', { what })),
        h('p', {}, t('confirmSubscription.oneClick'))));
    } catch (error) {
      button.disabled = false;
      button.textContent = t('confirmSubscription.submit');
      replace(status, h('p', { class: 'notice notice-error', role: 'alert' }, messageOf(error)),
        h('p', {}, h('a', { href: '/subscribe' }, t('confirmSubscription.again'))));
    }
  }
  return undefined;
}
