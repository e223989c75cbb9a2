/**
 * The page a confirmation email links to: one button confirms the subscription. The link itself changes nothing, since
 * mail scanners open links before people do.
 */
import { h, pageHeading, replace, messageOf } from '../dom.js';
import { confirmSubscription } from '../serverless.js';

export function render(view, { query }) {
  const token = query.get('token');
  const status = h('div', { class: 'form-status', 'aria-live': 'polite' });
  view.append(pageHeading('Confirm your subscription'), status);
  if (!token) {
    replace(status, h('p', { class: 'notice notice-error', role: 'alert' },
      'This page needs the link from the confirmation email. Subscribe again to get a new one.'));
    return undefined;
  }
  const button = h('button', { type: 'button', class: 'button', onclick: confirm }, 'Confirm my subscription');
  view.insertBefore(h('div', { class: 'confirm-subscription' },
    h('p', {}, 'Confirm that you want an email when a new event you may like goes on sale.'), button), status);

  async function confirm() {
    button.disabled = true;
    button.textContent = 'Confirming…';
    try {
      const confirmed = await confirmSubscription(token);
      const what = [
        confirmed.categories.length ? `categories: ${confirmed.categories.join(', ')}` : 'every category',
        confirmed.cities.length ? `cities: ${confirmed.cities.join(', ')}` : 'every city',
      ].join('; ');
      button.remove();
      replace(status, h('div', { class: 'notice notice-success', id: 'subscription-confirmed' },
        h('p', {}, h('strong', {}, 'Subscription confirmed. '), `You will hear about new events (${what}).`),
        h('p', {}, 'Each announcement has a link to unsubscribe in one click.')));
    } catch (error) {
      button.disabled = false;
      button.textContent = 'Confirm my subscription';
      replace(status, h('p', { class: 'notice notice-error', role: 'alert' }, messageOf(error)),
        h('p', {}, h('a', { href: '/subscribe' }, 'Subscribe again')));
    }
  }
  return undefined;
}
