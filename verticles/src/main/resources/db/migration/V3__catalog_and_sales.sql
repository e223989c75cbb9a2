-- The catalog (events, ticket types) and sales (orders, tickets, idempotency keys).
-- The constraints are the last line of defence: even a bug in the Java allocation cannot oversell a ticket type.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE events (
  id              uuid PRIMARY KEY,
  organizer_email text        NOT NULL,
  title           text        NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  description     text        NOT NULL CHECK (length(description) <= 10000),
  category        text        NOT NULL CHECK (length(category) BETWEEN 1 AND 60),
  venue           text        NOT NULL CHECK (length(venue) BETWEEN 1 AND 200),
  city            text        NOT NULL CHECK (length(city) BETWEEN 1 AND 100),
  starts_at       timestamptz NOT NULL,
  ends_at         timestamptz NOT NULL,
  time_zone       text        NOT NULL,
  image_key       text,
  status          text        NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'cancelled')),
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT events_ends_after_start CHECK (ends_at > starts_at)
);

-- The public list walks published events by (starts_at, id): the cursor's order.
CREATE INDEX events_published_by_start ON events (starts_at, id) WHERE status = 'published';
CREATE INDEX events_by_organizer ON events (organizer_email);
-- Title search is a case-insensitive substring match, which a trigram index serves.
CREATE INDEX events_title_trigram ON events USING gin (lower(title) gin_trgm_ops);

CREATE TABLE ticket_types (
  id            uuid PRIMARY KEY,
  event_id      uuid        NOT NULL REFERENCES events (id),
  name          text        NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  price_minor   bigint      NOT NULL CHECK (price_minor >= 0),
  currency      text        NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  capacity      integer     NOT NULL CHECK (capacity >= 0),
  sold          integer     NOT NULL DEFAULT 0,
  sales_start   timestamptz NOT NULL,
  sales_end     timestamptz NOT NULL,
  max_per_order integer     NOT NULL CHECK (max_per_order BETWEEN 1 AND 50),
  sales_closed  boolean     NOT NULL DEFAULT false,
  created_at    timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT ticket_types_sold_within_capacity CHECK (sold >= 0 AND sold <= capacity),
  CONSTRAINT ticket_types_sales_end_after_start CHECK (sales_end > sales_start)
);

CREATE INDEX ticket_types_by_event ON ticket_types (event_id);

CREATE TABLE orders (
  id               uuid PRIMARY KEY,
  ticket_type_id   uuid        NOT NULL REFERENCES ticket_types (id),
  event_id         uuid        NOT NULL REFERENCES events (id),
  buyer_email      text        NOT NULL,
  quantity         integer     NOT NULL CHECK (quantity BETWEEN 1 AND 50),
  unit_price_minor bigint      NOT NULL CHECK (unit_price_minor >= 0),
  total_minor      bigint      NOT NULL CHECK (total_minor = unit_price_minor * quantity),
  currency         text        NOT NULL,
  status           text        NOT NULL DEFAULT 'placed' CHECK (status IN ('placed', 'cancelled')),
  placed_at        timestamptz NOT NULL,
  cancelled_at     timestamptz
);

CREATE INDEX orders_by_buyer ON orders (buyer_email, placed_at DESC, id DESC);
CREATE INDEX orders_by_ticket_type ON orders (ticket_type_id);

-- status is what check-in reads: only 'valid' tickets may ever enter.
CREATE TABLE tickets (
  id             uuid PRIMARY KEY,
  order_id       uuid        NOT NULL REFERENCES orders (id),
  ticket_type_id uuid        NOT NULL REFERENCES ticket_types (id),
  event_id       uuid        NOT NULL REFERENCES events (id),
  buyer_email    text        NOT NULL,
  status         text        NOT NULL DEFAULT 'valid' CHECK (status IN ('valid', 'cancelled', 'checked_in')),
  issued_at      timestamptz NOT NULL
);

CREATE INDEX tickets_by_order ON tickets (order_id);
CREATE INDEX tickets_by_buyer ON tickets (buyer_email, issued_at DESC, id DESC);

-- A purchase retried with the same key returns this order; rows older than a day may be deleted.
CREATE TABLE idempotency_keys (
  buyer_email  text        NOT NULL,
  key          text        NOT NULL CHECK (length(key) BETWEEN 1 AND 100),
  request_hash text        NOT NULL,
  order_id     uuid        NOT NULL REFERENCES orders (id),
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (buyer_email, key)
);

CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);
