-- Revoked sessions (issue #18): a sign-out names one session by the SHA-256 of its token (token_hash); a "sign out
-- everywhere" (token_hash null) refuses every token of the address issued up to revoked_at. Each backend keeps the
-- rows in memory and reads the new ones every 15 s; the DynamoDB table the Lambdas read gets a copy of each row
-- (mirrored_at), retried until it has it. A row is kept until no token it refuses can still be valid (expires_at).
CREATE TABLE session_revocations (
  -- Taken from session_revocations_version in the statement that inserts the row, so versions commit in order and a
  -- backend that read up to version v has seen every row up to v.
  version     bigint      PRIMARY KEY,
  email       text        NOT NULL CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254),
  token_hash  text        CHECK (token_hash ~ '^[A-Za-z0-9_-]{43}$'),
  revoked_at  timestamptz NOT NULL DEFAULT now(),
  revoked_by  text        NOT NULL,
  expires_at  timestamptz NOT NULL,
  mirrored_at timestamptz
);
CREATE INDEX session_revocations_unmirrored ON session_revocations (version) WHERE mirrored_at IS NULL;
CREATE INDEX session_revocations_expiry ON session_revocations (expires_at);

-- Bumped (its row locked) by every revocation in the statement that inserts it.
CREATE TABLE session_revocations_version (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  version   bigint  NOT NULL
);
INSERT INTO session_revocations_version VALUES (true, 0);
