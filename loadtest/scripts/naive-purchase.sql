-- The naive baseline: one transaction per purchase of one ticket, the SQL shape of a purchase without coalescing
-- (take from the ticket type's capacity row, insert the ticket), run by pgbench.
BEGIN;
UPDATE ticket_types SET sold = sold + 1 WHERE id = 1 AND sold + 1 <= capacity;
INSERT INTO tickets (ticket_type_id, buyer) VALUES (1, 'buyer-' || :client_id);
COMMIT;
