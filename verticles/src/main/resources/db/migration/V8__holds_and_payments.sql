-- Paid tickets: a purchase of a priced ticket type holds its tickets until the buyer pays (or the hold runs out), the
-- payment goes through a provider (Stripe), and cancellations refund. Lock order everywhere: the ticket type row,
-- then its holds (purchase batches, the sweeper, confirmations, cancellations), so none of them deadlock.

-- How long a hold of this event's tickets lasts; the organizer sets it.
ALTER TABLE events ADD COLUMN hold_minutes integer NOT NULL DEFAULT 10 CHECK (hold_minutes BETWEEN 1 AND 60);

-- held: tickets in active holds. Held tickets are taken: the constraint that made overselling impossible now counts
-- them too.
ALTER TABLE ticket_types
  ADD COLUMN held integer NOT NULL DEFAULT 0,
  DROP CONSTRAINT ticket_types_sold_within_capacity,
  ADD CONSTRAINT ticket_types_sold_within_capacity CHECK (sold >= 0 AND held >= 0 AND sold + held <= capacity);

-- A hold becomes the order of the same id when it is paid. status: active (tickets held), confirmed (paid, the
-- order exists), expired (released by time), cancelled (by the buyer, or with its event). The payment columns are
-- the provider's checkout: payment_status none (no checkout yet), open (the buyer may pay), paid, expired (the
-- checkout ended unpaid); payment_check_at is when reconciliation should next ask the provider about it.
CREATE TABLE holds (
  id               uuid        PRIMARY KEY,
  ticket_type_id   uuid        NOT NULL,
  event_id         uuid        NOT NULL,
  buyer_email      text        NOT NULL,
  quantity         integer     NOT NULL CHECK (quantity BETWEEN 1 AND 50),
  unit_price_minor bigint      NOT NULL CHECK (unit_price_minor > 0),
  currency         text        NOT NULL,
  status           text        NOT NULL DEFAULT 'active'
                               CHECK (status IN ('active', 'confirmed', 'expired', 'cancelled')),
  created_at       timestamptz NOT NULL,
  expires_at       timestamptz NOT NULL,
  released_at      timestamptz,
  checkout_id      text        UNIQUE,
  checkout_url     text,
  payment_status   text        NOT NULL DEFAULT 'none' CHECK (payment_status IN ('none', 'open', 'paid', 'expired')),
  payment_id       text,
  paid_minor       bigint,
  payment_error    text,
  payment_check_at timestamptz,
  CONSTRAINT holds_of_ticket_type FOREIGN KEY (ticket_type_id, event_id) REFERENCES ticket_types (id, event_id),
  CONSTRAINT holds_released_has_time CHECK (status NOT IN ('expired', 'cancelled') OR released_at IS NOT NULL),
  CONSTRAINT holds_paid_has_amount CHECK (payment_status <> 'paid' OR (paid_minor IS NOT NULL AND payment_id IS NOT NULL))
);

-- The sweeper's and the purchase batches' read: active holds by expiry (per ticket type for a batch).
CREATE INDEX holds_expiry ON holds (expires_at) WHERE status = 'active';
CREATE INDEX holds_expiry_by_ticket_type ON holds (ticket_type_id, expires_at) WHERE status = 'active';
-- A buyer's tickets in hand or held for an event, in one query with orders (per-buyer limits).
CREATE INDEX holds_active_by_buyer ON holds (buyer_email, event_id) WHERE status = 'active';
-- Reconciliation's read: checkouts to ask the provider about, by when they are due.
CREATE INDEX holds_payment_due ON holds (payment_check_at) WHERE payment_check_at IS NOT NULL;

-- An Idempotency-Key now names either the order it placed (free tickets) or the hold it made (priced ones).
ALTER TABLE idempotency_keys
  ALTER COLUMN order_id DROP NOT NULL,
  ADD COLUMN hold_id uuid REFERENCES holds (id) DEFERRABLE INITIALLY DEFERRED,
  ADD CONSTRAINT idempotency_keys_one_target CHECK (num_nonnulls(order_id, hold_id) = 1);

-- Refunds are written in the transaction that decides them (an order or event cancelled, a payment that came too
-- late) and sent to the provider afterwards by a worker that retries until the provider answers: the id is the
-- provider call's idempotency key. order_id is null for a payment that never became an order.
CREATE TABLE refunds (
  id                 uuid        PRIMARY KEY,
  hold_id            uuid        NOT NULL REFERENCES holds (id),
  order_id           uuid        REFERENCES orders (id),
  event_id           uuid        NOT NULL,
  ticket_type_id     uuid        NOT NULL,
  buyer_email        text        NOT NULL,
  amount_minor       bigint      NOT NULL CHECK (amount_minor > 0),
  currency           text        NOT NULL,
  tickets            integer     NOT NULL CHECK (tickets >= 0),
  reason             text        NOT NULL CHECK (reason IN ('order_cancelled', 'event_cancelled', 'ticket_cancelled',
                                                            'payment_too_late', 'amount_mismatch')),
  status             text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'succeeded', 'failed')),
  provider_refund_id text,
  attempts           integer     NOT NULL DEFAULT 0,
  next_attempt_at    timestamptz,
  failure            text,
  created_at         timestamptz NOT NULL,
  completed_at       timestamptz
);

CREATE INDEX refunds_due ON refunds (next_attempt_at) WHERE status = 'pending';
CREATE INDEX refunds_by_hold ON refunds (hold_id);
CREATE INDEX refunds_by_order ON refunds (order_id);
CREATE INDEX refunds_by_event ON refunds (event_id);

-- Provider events already acted on: a webhook delivered twice, or also seen by reconciliation, acts once.
CREATE TABLE payment_events (
  provider_event_id text        PRIMARY KEY,
  type              text        NOT NULL,
  received_at       timestamptz NOT NULL DEFAULT now()
);
