import { h, pageHeading } from '../dom.js';

export function render(view) {
  view.append(
    pageHeading('Page not found'),
    h('p', {}, 'There is nothing at this address.'),
    h('p', {}, h('a', { href: '/' }, 'See the events')));
}
