/** Subscribe to announcements of new events, by category and city; a confirmation link is mailed first. */
import { h, pageHeading, replace, field, messageOf } from '../dom.js';
import { subscribe } from '../serverless.js';
import { currentSession } from '../session.js';
import { logActivity } from '../activity.js';
import { preferencesFields } from '../preferences.js';
import { t } from '../i18n.js';

export function render(view) {
  const email = h('input', { name: 'email', type: 'email', required: true, autocomplete: 'email', maxlength: 254,
    value: currentSession()?.email ?? '' });
  const choices = preferencesFields('subscribe');
  const button = h('button', { type: 'submit', class: 'button' }, t('subscribe.submit'));
  const status = h('div', { class: 'form-status', 'aria-live': 'polite' });
  const form = h('form', { novalidate: true, onsubmit: submit },
    field({ id: 'subscribe-email', label: t('signIn.email'), input: email }),
    choices.element,
    button);
  view.append(pageHeading(t('subscribe.title')),
    h('p', {}, t('subscribe.intro')), form, status);

  async function submit(event) {
    event.preventDefault();
    document.getElementById('subscribe-email-error').textContent = '';
    email.removeAttribute('aria-invalid');
    const address = email.value.trim();
    if (!address || !email.checkValidity()) {
      document.getElementById('subscribe-email-error').textContent = t('signIn.emailInvalid');
      email.setAttribute('aria-invalid', 'true');
      email.focus();
      return;
    }
    const preferences = choices.read();
    if (!preferences) return;
    button.disabled = true;
    button.textContent = t('signIn.subscribing');
    replace(status, h('p', {}, t('subscribe.sending')));
    try {
      const answer = await subscribe(address, preferences);
      logActivity('subscribe');
      replace(status, answer?.status === 'confirmed'
        ? h('div', { class: 'notice notice-success' },
          h('p', {}, h('strong', {}, t('subscribe.saved')), ' ', t('subscribe.savedText', { email: address })))
        : h('div', { class: 'notice notice-success' },
          h('p', {}, h('strong', {}, t('subscribe.almost')), ' ', t('subscribe.linkSent', { email: address }))));
    } catch (error) {
      const culprit = error.field?.split('.')[0];
      const target = culprit && document.getElementById(`subscribe-${culprit === 'preferences' ? 'categories' : culprit}-error`);
      if (target) target.textContent = error.message;
      replace(status, h('p', { class: 'notice notice-error', role: 'alert' }, messageOf(error)));
    } finally {
      button.disabled = false;
      button.textContent = t('subscribe.submit');
    }
  }
  return undefined;
}
