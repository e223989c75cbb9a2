/**
 * Sign in with an emailed one-time code: email → (subscribe and confirm the address, the first time) → code → session.
 */
import { h, pageHeading, replace, field, messageOf } from '../dom.js';
import { sendOtp, subscribe, verifyOtp } from '../serverless.js';
import { currentSession, signIn } from '../session.js';
import { syncRoles } from '../roles.js';
import { logActivity } from '../activity.js';
import { preferencesFields } from '../preferences.js';
import { sameOriginPath } from '../redirects.js';

/** What /send-otp answers (409) for an address without a confirmed subscription. */
const NOT_CONFIRMED = 'subscription_not_confirmed';

export function render(view, { query, navigate }) {
  const next = sameOriginPath(query.get('next'), location.origin);
  const body = h('div', { class: 'sign-in' });
  const status = h('div', { class: 'form-status', 'aria-live': 'polite' });
  view.append(pageHeading('Sign in'), body, status);
  const session = currentSession();
  if (session) {
    replace(body, h('p', {}, `You are signed in as ${session.email}.`), h('p', {}, h('a', { href: next }, 'Continue')));
    return undefined;
  }

  function emailStep(initial = '') {
    const input = h('input', { name: 'email', type: 'email', required: true, autocomplete: 'email', maxlength: 254, value: initial });
    const button = h('button', { type: 'submit', class: 'button' }, 'Send me a code');
    const form = h('form', { novalidate: true, onsubmit: submit },
      h('p', {}, 'We email you a one-time code. No password needed.'),
      field({ id: 'sign-in-email', label: 'Email address', input }), button);
    replace(body, form);
    replace(status);

    async function submit(event) {
      event.preventDefault();
      const email = input.value.trim();
      if (!input.checkValidity() || !email) {
        return error('Enter a valid email address, like name@example.com.', input);
      }
      await busy(button, 'Sending…', () => requestCode(email));
    }
  }

  async function requestCode(email, { afterConfirming = false } = {}) {
    try {
      await sendOtp(email);
      codeStep(email);
    } catch (error) {
      if (error.code === NOT_CONFIRMED && afterConfirming) {
        replace(status, h('p', { class: 'notice notice-error', role: 'alert' },
          'Your address is not confirmed yet. Open the link in the email we sent, then try again.'));
      } else if (error.code === NOT_CONFIRMED) {
        subscribeStep(email);
      } else {
        fail(error);
      }
    }
  }

  /** Sign-in codes go to confirmed subscribers only, so a new address subscribes (and confirms) first. */
  function subscribeStep(email) {
    const choices = preferencesFields('sign-in', { allCategories: true });
    const button = h('button', { type: 'submit', class: 'button' }, 'Subscribe and continue');
    const form = h('form', { novalidate: true, id: 'subscribe-first', onsubmit: submit },
      h('h2', {}, 'First, confirm your address'),
      h('p', {}, `${email} is not confirmed yet. We send sign-in codes to subscribers of our announcements; choose what you would like to hear about, then confirm the email we send.`),
      choices.element,
      h('div', { class: 'actions' }, button,
        h('button', { type: 'button', class: 'button secondary', onclick: () => emailStep(email) }, 'Use another address')));
    replace(body, form);
    replace(status, h('p', {}, `${email} needs a confirmed subscription before it can get a code.`));
    form.querySelector('h2').setAttribute('tabindex', '-1');
    form.querySelector('h2').focus();

    async function submit(event) {
      event.preventDefault();
      const preferences = choices.read();
      if (!preferences) return;
      await busy(button, 'Subscribing…', async () => {
        try {
          await subscribe(email, preferences);
          logActivity('subscribe');
          confirmStep(email);
        } catch (error) {
          fail(error);
        }
      });
    }
  }

  function confirmStep(email) {
    const button = h('button', { type: 'button', class: 'button', onclick: () => busy(button, 'Checking…', () => requestCode(email, { afterConfirming: true })) },
      'I have confirmed, send my code');
    replace(body, h('div', { class: 'notice notice-info', id: 'confirm-email' },
      h('h2', {}, 'Confirm your email address'),
      h('p', {}, 'We sent a confirmation link to ', h('strong', {}, email),
        '. Open it, then come back here to get your sign-in code.')),
    h('div', { class: 'actions' }, button,
      h('button', { type: 'button', class: 'button secondary', onclick: () => emailStep(email) }, 'Use another address')));
    replace(status, h('p', {}, 'Check your inbox for the confirmation email.'));
    button.focus();
  }

  function codeStep(email) {
    const input = h('input', { name: 'code', type: 'text', inputmode: 'numeric', autocomplete: 'one-time-code',
      pattern: '[0-9]{6}', maxlength: 6, required: true });
    const button = h('button', { type: 'submit', class: 'button' }, 'Sign in');
    const form = h('form', { novalidate: true, onsubmit: submit },
      field({ id: 'sign-in-code', label: 'Six-digit code', input, hint: `We emailed it to ${email}. It expires in a few minutes.` }),
      h('div', { class: 'actions' }, button,
        h('button', { type: 'button', class: 'button secondary', onclick: () => busy(button, 'Sending…', () => requestCode(email)) },
          'Send a new code')));
    replace(body, form);
    replace(status, h('p', {}, `A code is on its way to ${email}.`));
    input.focus();

    async function submit(event) {
      event.preventDefault();
      const code = input.value.trim();
      if (!/^[0-9]{6}$/.test(code)) return error('The code is the six digits from the email.', input);
      await busy(button, 'Signing in…', async () => {
        try {
          signIn(await verifyOtp(email, code));
          await syncRoles().catch(() => null);
          logActivity('sign_in');
          navigate(next, { replace: true });
        } catch (failure) {
          if (failure.status === 400 || failure.status === 401 || failure.status === 403) {
            error(failure.message && failure.status !== 401 ? failure.message : 'That code is wrong or has expired.', input);
          } else {
            fail(failure);
          }
        }
      });
    }
  }

  function error(message, input) {
    const target = document.getElementById(`${input.id}-error`);
    target.textContent = message;
    input.setAttribute('aria-invalid', 'true');
    input.focus();
  }

  function fail(failure) {
    const message = failure.status === 429
      ? `Too many attempts. Try again${failure.retryAfter ? ` in ${failure.retryAfter} seconds` : ' later'}.`
      : messageOf(failure);
    replace(status, h('p', { class: 'notice notice-error', role: 'alert' }, message));
  }

  emailStep();
  return undefined;
}

async function busy(button, label, action) {
  const original = button.textContent;
  button.disabled = true;
  button.textContent = label;
  try {
    await action();
  } finally {
    button.disabled = false;
    button.textContent = original;
  }
}
