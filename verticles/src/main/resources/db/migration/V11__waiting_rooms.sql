-- A waiting room an organizer turns on for an event's on-sale: while it is on, every purchase and hold of the event
-- needs an admission the queue signed (docs/fairness.md). Redis holds the live line; these rows are its durable
-- record, from which the line is rebuilt when Redis loses it.
CREATE TABLE waiting_rooms (
  event_id          uuid PRIMARY KEY REFERENCES events (id),
  opens_at          timestamptz NOT NULL,
  admit_per_minute  integer NOT NULL CHECK (admit_per_minute BETWEEN 1 AND 100000),
  admission_minutes integer NOT NULL DEFAULT 10 CHECK (admission_minutes BETWEEN 1 AND 60),
  updated_at        timestamptz NOT NULL DEFAULT now()
);

-- One place per buyer per waiting room. score orders the line: a uniform random draw below 2^52 for who came before
-- the opening (the shuffle), 2^52 plus the microsecond of arrival for who came after (first come, first served).
-- admitted_at is set when the buyer's turn came; a rebuilt line leaves admitted buyers out.
CREATE TABLE queue_places (
  event_id    uuid NOT NULL REFERENCES waiting_rooms (event_id) ON DELETE CASCADE,
  buyer_email text NOT NULL,
  score       double precision NOT NULL,
  joined_at   timestamptz NOT NULL DEFAULT now(),
  admitted_at timestamptz,
  PRIMARY KEY (event_id, buyer_email)
);

-- The backend's own Ed25519 key pair for admissions, made by the first backend that needs it and shared by all.
CREATE TABLE signing_keys (
  name            text PRIMARY KEY,
  public_key_pem  text NOT NULL,
  private_key_pem text NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now()
);
