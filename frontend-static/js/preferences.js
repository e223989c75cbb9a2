/** The announcement preferences (categories and cities) that /subscribe needs, at least one of either. */
import { h, field } from './dom.js';
import { t } from './i18n.js';

export const CATEGORIES = ['concert', 'theatre', 'sport', 'festival', 'comedy', 'conference', 'family'];
const MAX_CITIES = 10;

export function preferencesFields(idPrefix, { allCategories = false } = {}) {
  const cities = h('input', { name: 'cities', type: 'text', autocomplete: 'off', maxlength: 500 });
  const categoriesError = h('p', { class: 'field-error', id: `${idPrefix}-categories-error` });
  const element = h('div', { class: 'preferences' },
    h('fieldset', { class: 'choices', 'aria-describedby': `${idPrefix}-categories-hint ${idPrefix}-categories-error` },
      h('legend', {}, t('preferences.categories')),
      h('p', { class: 'hint', id: `${idPrefix}-categories-hint` }, t('preferences.categoriesHint')),
      ...CATEGORIES.map((category) => h('label', { class: 'choice' },
        h('input', { type: 'checkbox', name: 'categories', value: category, checked: allCategories }), ` ${t(`category.${category}`)}`)),
      categoriesError),
    field({ id: `${idPrefix}-cities`, label: t('preferences.cities'), input: cities, hint: t('preferences.citiesHint', { max: MAX_CITIES }) }));

  /** The chosen preferences, or null after showing why they cannot be sent. */
  function read() {
    categoriesError.textContent = '';
    document.getElementById(`${idPrefix}-cities-error`).textContent = '';
    const preferences = {
      categories: [...element.querySelectorAll('input[name="categories"]:checked')].map((box) => box.value),
      cities: [...new Set(cities.value.split(',').map((city) => city.trim()).filter(Boolean))],
    };
    if (preferences.cities.length > MAX_CITIES) {
      document.getElementById(`${idPrefix}-cities-error`).textContent = t('preferences.tooManyCities', { max: MAX_CITIES });
      cities.focus();
      return null;
    }
    if (preferences.categories.length === 0 && preferences.cities.length === 0) {
      categoriesError.textContent = t('preferences.none');
      element.querySelector('input[name="categories"]').focus();
      return null;
    }
    return preferences;
  }
  return { element, read };
}
