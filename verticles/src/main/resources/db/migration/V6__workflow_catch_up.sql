-- How far the workflows' catch-up has read the outbox: an OrderPlaced whose ticket issuance was never started (the
-- start failed for good, or the backend stopped between relaying it and starting it) is started from here. It begins
-- at the outbox's end, so orders from before the workflows existed are left alone.
CREATE TABLE workflow_catch_up (
  singleton      boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  last_outbox_id bigint  NOT NULL
);

INSERT INTO workflow_catch_up (last_outbox_id) SELECT coalesce(max(id), 0) FROM outbox;
