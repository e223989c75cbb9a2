/** What a buyer sees of an event's ticket types: the lowest price, sold out, and whether sales are open now. */
import { formatMoney } from './dom.js';
import { t } from './i18n.js';

export function lowestPrice(event) {
  if (event.lowestPriceMinor !== undefined && event.currency) return { minor: event.lowestPriceMinor, currency: event.currency };
  const types = event.ticketTypes ?? [];
  if (types.length === 0) return null;
  const cheapest = types.reduce((low, type) => (type.priceMinor < low.priceMinor ? type : low));
  return { minor: cheapest.priceMinor, currency: cheapest.currency };
}

export function priceLabel(price) {
  if (!price) return null;
  return price.minor === 0 ? t('price.free') : t('price.from', { price: formatMoney(price.minor, price.currency) });
}

export function isSoldOut(event) {
  if (typeof event.soldOut === 'boolean') return event.soldOut;
  const types = event.ticketTypes ?? [];
  return types.length > 0 && types.every((type) => type.remaining <= 0);
}

/** open, not_yet (with opensAt), ended, closed or sold_out, for one ticket type at `now`. */
export function salesState(type, event, now = Date.now()) {
  if (event.status === 'cancelled' || type.salesClosed) return { state: 'closed' };
  if (type.remaining <= 0) return { state: 'sold_out' };
  if (Date.parse(type.salesStart) > now) return { state: 'not_yet', opensAt: type.salesStart };
  if (Date.parse(type.salesEnd) <= now) return { state: 'ended' };
  return { state: 'open' };
}
