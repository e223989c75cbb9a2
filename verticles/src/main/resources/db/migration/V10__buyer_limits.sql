-- Per-buyer limits: at most max_tickets_per_buyer tickets per buyer per event, counted over the buyer's placed orders
-- and active holds of all the event's ticket types (null: no limit). A purchase batch decides it under one
-- transaction-scoped advisory lock per (event, buyer), taken after the ticket type's row and in one sorted order, then
-- counts what the buyer has through orders_by_buyer and holds_active_by_buyer (no new index for the rush to
-- maintain); docs/fairness.md says why a lock and not a counter row.
ALTER TABLE events ADD COLUMN max_tickets_per_buyer integer CHECK (max_tickets_per_buyer BETWEEN 1 AND 1000);

-- A payment that arrives after its hold ran out becomes an order only while the buyer stays within the limit;
-- otherwise it is refunded whole.
ALTER TABLE refunds DROP CONSTRAINT refunds_reason_check,
  ADD CONSTRAINT refunds_reason_check CHECK (reason IN ('order_cancelled', 'event_cancelled', 'ticket_cancelled',
                                                        'payment_too_late', 'amount_mismatch', 'over_buyer_limit'));
