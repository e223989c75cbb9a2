-- Ticket issuance through Step Functions, and check-in at the door.

-- The ticket-issuance execution started for an order (named after its OrderPlaced event), and when the monitor
-- should next ask Step Functions about it; both stay NULL until the workflows verticle has started one.
ALTER TABLE orders
  ADD COLUMN issuance_execution_arn text,
  ADD COLUMN issuance_next_check_at timestamptz,
  ADD COLUMN issuance_checks        integer NOT NULL DEFAULT 0;

-- The monitor reads only orders whose QR codes are still pending, by when they are due.
CREATE INDEX orders_issuance_due ON orders (issuance_next_check_at)
  WHERE issuance_execution_arn IS NOT NULL AND issuance_next_check_at IS NOT NULL;

-- qr_status: pending until the issuance execution succeeds (ready) or fails (failed); qr_key is where the
-- create-ticket Lambda stored the PNG. checked_in_at is set once, by the conditional UPDATE of check-in.
ALTER TABLE tickets
  ADD COLUMN qr_status     text NOT NULL DEFAULT 'pending' CHECK (qr_status IN ('pending', 'ready', 'failed')),
  ADD COLUMN qr_key        text,
  ADD COLUMN checked_in_at timestamptz,
  ADD CONSTRAINT tickets_checked_in_has_time CHECK (status <> 'checked_in' OR checked_in_at IS NOT NULL);
