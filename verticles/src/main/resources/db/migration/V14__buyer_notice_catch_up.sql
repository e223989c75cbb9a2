-- The buyer notices SNS took, one row per domain event (HoldExpired, PaymentDeclined, PaymentRefunded,
-- OrderCancelled), written right after SNS accepted the PublishBatch that carried it. The notice catch-up publishes
-- the relayed notice events that have none: the backend died between relaying and publishing, or gave up on SNS.
-- A row goes with its outbox row (the outbox keeps relayed rows a week), so the table stays as small as the outbox.
CREATE TABLE buyer_notices_published (
  event_id     uuid        PRIMARY KEY REFERENCES outbox (event_id) ON DELETE CASCADE,
  published_at timestamptz NOT NULL DEFAULT now()
);

-- The catch-up's only read of the outbox: the notice events after its cursor, without the rush's OrderPlaced rows.
-- Its queries name these four types literally, so that the planner can use this index.
CREATE INDEX outbox_buyer_notices ON outbox (id)
  WHERE type IN ('HoldExpired', 'PaymentDeclined', 'PaymentRefunded', 'OrderCancelled');

-- How far the notice catch-up has read the outbox. It begins at the outbox's end: the notices relayed before the
-- table above existed were published without a row there, and are not published again.
CREATE TABLE notice_catch_up (
  singleton      boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  last_outbox_id bigint  NOT NULL
);

INSERT INTO notice_catch_up (last_outbox_id) SELECT coalesce(max(id), 0) FROM outbox;
