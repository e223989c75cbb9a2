-- A ticket's event and ticket type must be its order's, and an order's event its ticket type's. Each pair was checked
-- on its own before (three foreign keys per ticket, two per order) and nothing said they agree. One composite key
-- each now says both, with one index probe per row instead of three: in a rush the foreign-key checks were a quarter
-- of PostgreSQL's time per purchase batch.
ALTER TABLE ticket_types ADD CONSTRAINT ticket_types_id_event UNIQUE (id, event_id);
ALTER TABLE orders ADD CONSTRAINT orders_id_ticket_type_event UNIQUE (id, ticket_type_id, event_id);

ALTER TABLE orders
  DROP CONSTRAINT orders_ticket_type_id_fkey,
  DROP CONSTRAINT orders_event_id_fkey,
  ADD CONSTRAINT orders_of_ticket_type FOREIGN KEY (ticket_type_id, event_id) REFERENCES ticket_types (id, event_id);

ALTER TABLE tickets
  DROP CONSTRAINT tickets_order_id_fkey,
  DROP CONSTRAINT tickets_ticket_type_id_fkey,
  DROP CONSTRAINT tickets_event_id_fkey,
  ADD CONSTRAINT tickets_of_order FOREIGN KEY (order_id, ticket_type_id, event_id)
    REFERENCES orders (id, ticket_type_id, event_id);
