-- The naive baseline's own tables, in a database of their own beside the backend's.
CREATE TABLE ticket_types (
  id int PRIMARY KEY,
  capacity int NOT NULL,
  sold int NOT NULL DEFAULT 0 CHECK (sold <= capacity)
);
CREATE TABLE tickets (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  ticket_type_id int NOT NULL REFERENCES ticket_types,
  buyer text NOT NULL,
  issued_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO ticket_types VALUES (1, 2000000000, 0);
