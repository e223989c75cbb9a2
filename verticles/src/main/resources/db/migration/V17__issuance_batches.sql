-- Ticket issuance in batches: one Step Functions execution issues the tickets of up to a few hundred orders, so a
-- 40,000-order sale starts about a hundred executions rather than 40,000, and the backend learns each chunk's outcome
-- from a queue instead of asking Step Functions about every order (docs/performance.md has the arithmetic).

-- A batch: its orders point at it (membership is recorded before its execution starts, so a restart starts the same
-- batch under the same name, <id>-<attempt>); finished once none of its orders' tickets is pending. next_check_at is
-- when the sweep asks Step Functions about a batch whose outcomes have not all come.
CREATE TABLE issuance_batches (
  id            uuid        PRIMARY KEY,
  created_at    timestamptz NOT NULL DEFAULT now(),
  attempt       integer     NOT NULL DEFAULT 1,
  execution_arn text,
  started_at    timestamptz,
  next_check_at timestamptz,
  checks        integer     NOT NULL DEFAULT 0,
  finished_at   timestamptz
);

CREATE INDEX issuance_batches_unfinished ON issuance_batches (next_check_at) WHERE finished_at IS NULL;

-- awaiting_issuance: true from the order's insert (the transaction that writes its OrderPlaced) until a batch takes
-- it. Orders from before this migration are done, except those whose per-order execution had not set their QR codes
-- yet: they are issued again in a batch (the same QR objects; the mailer sends tickets-ready:<orderId> once).
ALTER TABLE orders
  ADD COLUMN issuance_batch_id uuid REFERENCES issuance_batches (id),
  ADD COLUMN awaiting_issuance boolean NOT NULL DEFAULT false;

ALTER TABLE orders ALTER COLUMN awaiting_issuance SET DEFAULT true;

UPDATE orders o SET awaiting_issuance = true
 WHERE o.status <> 'cancelled' AND o.issuance_execution_arn IS NOT NULL
   AND EXISTS (SELECT 1 FROM tickets k WHERE k.order_id = o.id AND k.qr_status = 'pending');

CREATE INDEX orders_awaiting_issuance ON orders (id) WHERE awaiting_issuance;
CREATE INDEX orders_by_issuance_batch ON orders (issuance_batch_id) WHERE issuance_batch_id IS NOT NULL;

DROP INDEX orders_issuance_due;
ALTER TABLE orders
  DROP COLUMN issuance_execution_arn,
  DROP COLUMN issuance_next_check_at,
  DROP COLUMN issuance_checks;
