/**
 * The interface's language: message catalogues in /i18n/<language>.json (flat keys, {name} placeholders), the one
 * chosen on this device with the switch, else the first of the browser's languages (its Accept-Language) that has a
 * catalogue, else English. Dates, times and money are formatted for the chosen language with Intl. Adding a language
 * is its catalogue and its line in /i18n/languages.json; local/browser-tests/test/i18n-files.test.js fails on a key
 * missing from a catalogue.
 */
const STORAGE_KEY = 'boxoffice.language';
const FALLBACK = 'en';
let language = FALLBACK;
let messages = {};
let fallbackMessages = {};
let languages = { en: 'English' };

async function catalogue(name) {
  const response = await fetch(`/i18n/${name}.json`);
  if (!response.ok) throw new Error(`no catalogue for ${name}`);
  return response.json();
}

function preferred(available) {
  const stored = localStorage.getItem(STORAGE_KEY);
  if (stored && available.includes(stored)) return stored;
  for (const tag of navigator.languages ?? [navigator.language]) {
    const primary = String(tag).toLowerCase().split('-')[0];
    if (available.includes(primary)) return primary;
  }
  return FALLBACK;
}

/** Loads the catalogue of the language to use; the page renders once this has settled. */
export async function loadLanguage() {
  try {
    languages = await (await fetch('/i18n/languages.json')).json();
    language = preferred(Object.keys(languages));
    fallbackMessages = await catalogue(FALLBACK);
    messages = language === FALLBACK ? fallbackMessages : await catalogue(language);
  } catch {
    language = FALLBACK;
  }
  document.documentElement.lang = language;
}

/** The message of `key` with its {placeholders} filled; the English one when the catalogue lacks it. */
export function t(key, values = {}) {
  const text = messages[key] ?? fallbackMessages[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

/** The plural form of `key` for `count` (`key.one`, `key.other`...), as the language's plural rules choose it. */
export function tn(key, count, values = {}) {
  const form = new Intl.PluralRules(currentLocale()).select(count);
  const chosen = `${key}.${form}` in messages || `${key}.${form}` in fallbackMessages ? `${key}.${form}` : `${key}.other`;
  return t(chosen, { count, ...values });
}

export function currentLanguage() {
  return language;
}

/** The locale for Intl: the browser's own variant of the chosen language (en-GB, fr-CA), else the language. */
export function currentLocale() {
  const own = (navigator.languages ?? [navigator.language])
    .find((tag) => String(tag).toLowerCase().split('-')[0] === language);
  return own ?? language;
}

export function availableLanguages() {
  return languages;
}

/** Remembers the choice on this device and renders the page again in it. */
export function chooseLanguage(chosen) {
  localStorage.setItem(STORAGE_KEY, chosen);
  window.location.reload();
}
