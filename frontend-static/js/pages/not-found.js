import { h, pageHeading } from '../dom.js';
import { t } from '../i18n.js';

export function render(view) {
  view.append(
    pageHeading(t('page.notFound.title')),
    h('p', {}, t('page.notFound.text')),
    h('p', {}, h('a', { href: '/' }, t('page.notFound.link'))));
}
