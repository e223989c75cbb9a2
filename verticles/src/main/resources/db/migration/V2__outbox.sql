-- Domain events written in the same transaction as the change they describe; the relay publishes unsent rows in id
-- order and stamps sent_at. event_id is the consumers' deduplication key (delivery is at least once).
CREATE TABLE outbox (
  id           bigserial   PRIMARY KEY,
  event_id     uuid        NOT NULL UNIQUE,
  type         text        NOT NULL,
  aggregate_id uuid        NOT NULL,
  payload      jsonb       NOT NULL,
  occurred_at  timestamptz NOT NULL,
  sent_at      timestamptz
);

-- The relay's only read: the oldest unsent rows. Partial, so it stays as small as the backlog.
CREATE INDEX outbox_unsent ON outbox (id) WHERE sent_at IS NULL;
