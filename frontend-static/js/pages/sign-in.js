/**
 * Sign in with an emailed one-time code: email → code → session. Any address may ask for a code: receiving it is the
 * proof that it is yours.
 */
import { h, pageHeading, replace, field, messageOf } from '../dom.js';
import { sendOtp, verifyOtp } from '../serverless.js';
import { currentSession, signIn } from '../session.js';
import { syncRoles } from '../roles.js';
import { logActivity } from '../activity.js';
import { sameOriginPath } from '../redirects.js';
import { t } from '../i18n.js';

export function render(view, { query, navigate }) {
  const next = sameOriginPath(query.get('next'), location.origin);
  const body = h('div', { class: 'sign-in' });
  const status = h('div', { class: 'form-status', 'aria-live': 'polite' });
  view.append(pageHeading(t('signIn.title')), body, status);
  const session = currentSession();
  if (session) {
    replace(body, h('p', {}, t('signIn.already', { email: session.email })), h('p', {}, h('a', { href: next }, t('signIn.continue'))));
    return undefined;
  }

  function emailStep(initial = '') {
    const input = h('input', { name: 'email', type: 'email', required: true, autocomplete: 'email', maxlength: 254, value: initial });
    const button = h('button', { type: 'submit', class: 'button' }, t('signIn.sendCode'));
    const form = h('form', { novalidate: true, onsubmit: submit },
      h('p', {}, t('signIn.intro')),
      field({ id: 'sign-in-email', label: t('signIn.email'), input }), button);
    replace(body, form);
    replace(status);

    async function submit(event) {
      event.preventDefault();
      const email = input.value.trim();
      if (!input.checkValidity() || !email) {
        return error(t('signIn.emailInvalid'), input);
      }
      await busy(button, t('signIn.sending'), () => requestCode(email));
    }
  }

  async function requestCode(email) {
    try {
      const { challenge } = await sendOtp(email);
      codeStep(email, challenge);
    } catch (error) {
      fail(error);
    }
  }

  /** The code can only be tried with the challenge of the request that sent it: a new code, a new challenge. */
  function codeStep(email, challenge) {
    const input = h('input', { name: 'code', type: 'text', inputmode: 'numeric', autocomplete: 'one-time-code',
      pattern: '[0-9]{6}', maxlength: 6, required: true });
    const button = h('button', { type: 'submit', class: 'button' }, t('signIn.submit'));
    const form = h('form', { novalidate: true, onsubmit: submit },
      field({ id: 'sign-in-code', label: t('signIn.code'), input, hint: t('signIn.codeHint', { email }) }),
      h('div', { class: 'actions' }, button,
        h('button', { type: 'button', class: 'button secondary', onclick: () => busy(button, t('signIn.sending'), () => requestCode(email)) },
          t('signIn.newCode'))));
    replace(body, form);
    replace(status, h('p', {}, t('signIn.codeOnItsWay', { email })));
    input.focus();

    async function submit(event) {
      event.preventDefault();
      const code = input.value.trim();
      if (!/^[0-9]{6}$/.test(code)) return error(t('signIn.codeInvalid'), input);
      await busy(button, t('signIn.signingIn'), async () => {
        try {
          signIn(await verifyOtp(email, code, challenge));
          await syncRoles().catch(() => null);
          logActivity('sign_in');
          navigate(next, { replace: true });
        } catch (failure) {
          if (failure.status === 400 || failure.status === 401 || failure.status === 403) {
            error(failure.message && failure.status !== 401 ? failure.message : t('signIn.codeWrong'), input);
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
      ? (failure.retryAfter ? t('signIn.tooManyWait', { seconds: failure.retryAfter }) : t('signIn.tooMany'))
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
