/** The announcement preferences (categories and cities) that /subscribe needs, at least one of either. */
import { h, field } from './dom.js';

export const CATEGORIES = ['concert', 'theatre', 'sport', 'festival', 'comedy', 'conference', 'family'];
const MAX_CITIES = 10;

export function preferencesFields(idPrefix, { allCategories = false } = {}) {
  const cities = h('input', { name: 'cities', type: 'text', autocomplete: 'off', maxlength: 500 });
  const categoriesError = h('p', { class: 'field-error', id: `${idPrefix}-categories-error` });
  const element = h('div', { class: 'preferences' },
    h('fieldset', { class: 'choices', 'aria-describedby': `${idPrefix}-categories-hint ${idPrefix}-categories-error` },
      h('legend', {}, 'Categories'),
      h('p', { class: 'hint', id: `${idPrefix}-categories-hint` }, 'Tick the kinds of events you want to hear about.'),
      ...CATEGORIES.map((category) => h('label', { class: 'choice' },
        h('input', { type: 'checkbox', name: 'categories', value: category, checked: allCategories }), ` ${category}`)),
      categoriesError),
    field({ id: `${idPrefix}-cities`, label: 'Cities', input: cities, hint: `Separated by commas, at most ${MAX_CITIES}; leave empty for every city.` }));

  /** The chosen preferences, or null after showing why they cannot be sent. */
  function read() {
    categoriesError.textContent = '';
    document.getElementById(`${idPrefix}-cities-error`).textContent = '';
    const preferences = {
      categories: [...element.querySelectorAll('input[name="categories"]:checked')].map((box) => box.value),
      cities: [...new Set(cities.value.split(',').map((city) => city.trim()).filter(Boolean))],
    };
    if (preferences.cities.length > MAX_CITIES) {
      document.getElementById(`${idPrefix}-cities-error`).textContent = `At most ${MAX_CITIES} cities.`;
      cities.focus();
      return null;
    }
    if (preferences.categories.length === 0 && preferences.cities.length === 0) {
      categoriesError.textContent = 'Choose at least one category or city.';
      element.querySelector('input[name="categories"]').focus();
      return null;
    }
    return preferences;
  }
  return { element, read };
}
