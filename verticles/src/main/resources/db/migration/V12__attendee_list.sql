-- V11, not V10: the fairness work (per-buyer limits, waiting room) takes V10.
-- The organizer's attendee list walks an event's tickets by (issued_at, id), and the live check-in counts read the
-- status of each; with status included, both are read from the index alone.
CREATE INDEX tickets_by_event ON tickets (event_id, issued_at, id) INCLUDE (status, ticket_type_id);
