-- A purchase batch claims its idempotency keys before it inserts the orders they point to (so a key taken
-- meanwhile by another purchase refuses one request instead of failing the batch): the check waits for the commit.
ALTER TABLE idempotency_keys ALTER CONSTRAINT idempotency_keys_order_id_fkey DEFERRABLE INITIALLY DEFERRED;
