-- Scans at the door, online and offline. (V9 rather than V8: another branch of this time adds a V8.)

-- Every admission at a door: an online check-in as it happens, an offline scan when its door syncs. The id is the
-- door's own for the scan (a UUID it made), so a door that sends a scan again, because an answer was lost, adds
-- nothing. A ticket let in more than once keeps its earliest scan as 'first' (tickets.checked_in_at is that scan's
-- time); the later ones are 'duplicate', and an offline scan of a ticket cancelled before it synced is 'cancelled':
-- both are the conflicts the organizer is shown.
CREATE TABLE door_scans (
  id          uuid        PRIMARY KEY,
  ticket_id   uuid        NOT NULL REFERENCES tickets (id),
  event_id    uuid        NOT NULL REFERENCES events (id),
  scanned_at  timestamptz NOT NULL,
  scanned_by  text        NOT NULL,
  door        text        CHECK (length(door) BETWEEN 1 AND 60),
  offline     boolean     NOT NULL,
  outcome     text        NOT NULL CHECK (outcome IN ('first', 'duplicate', 'cancelled')),
  received_at timestamptz NOT NULL DEFAULT now()
);

-- One first scan per ticket at any time; a batch that finds an earlier scan demotes the former first before it
-- records the new one.
CREATE UNIQUE INDEX door_scans_first_of_ticket ON door_scans (ticket_id) WHERE outcome = 'first';
-- The organizer's list of conflicts, in scan order, and its count.
CREATE INDEX door_scans_conflicts ON door_scans (event_id, scanned_at, id) WHERE outcome <> 'first';

-- What a door downloads before it goes offline: the event's tickets that no longer admit (cancelled or used), by id.
-- New tickets are valid, so a purchase rush never writes to this index.
CREATE INDEX tickets_not_admitting ON tickets (event_id, id) WHERE status <> 'valid';
