-- Who may organize and who checks tickets in, granted in the application (issue #19); administrators stay in
-- configuration (BOXOFFICE_ADMIN_EMAILS).
--
-- A grant's life: an organizer grant is 'requested' by the buyer, then 'active' (an administrator approved it) or
-- 'refused'; a door-staff grant is 'invited' by an organizer, 'active' once the invitee signs in; an active or
-- invited grant may be 'revoked'. Rows are never deleted: a revoked grant stays, so the one-time bootstrap from the
-- old environment lists never brings it back.
CREATE TABLE role_grants (
  id              uuid PRIMARY KEY,
  email           text        NOT NULL CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254),
  role            text        NOT NULL CHECK (role IN ('organizer', 'staff')),
  -- Door staff work for an organizer: at one of their events, or at all of them (event_id null).
  organizer_email text,
  event_id        uuid REFERENCES events (id),
  state           text        NOT NULL CHECK (state IN ('requested', 'invited', 'active', 'refused', 'revoked')),
  created_by      text        NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  changed_at      timestamptz NOT NULL DEFAULT now(),
  CHECK ((role = 'organizer') = (organizer_email IS NULL)),
  CHECK (role = 'staff' OR event_id IS NULL),
  CHECK (role = 'staff' OR state IN ('requested', 'active', 'refused', 'revoked')),
  CHECK (role = 'organizer' OR state IN ('invited', 'active', 'revoked'))
);

-- One live grant per grantee and scope: a second request or invitation is a conflict, not a duplicate.
CREATE UNIQUE INDEX role_grants_live ON role_grants
  (email, role, coalesce(organizer_email, ''), coalesce(event_id, '00000000-0000-0000-0000-000000000000'))
  WHERE state IN ('requested', 'invited', 'active');
CREATE INDEX role_grants_of_organizer ON role_grants (organizer_email, created_at) WHERE organizer_email IS NOT NULL;
CREATE INDEX role_grants_requested ON role_grants (created_at) WHERE state = 'requested';
CREATE INDEX role_grants_of_email ON role_grants (email, created_at);

-- Who did what to which grant, when: every request, approval, refusal, invitation, acceptance, revocation and
-- bootstrap.
CREATE TABLE role_audit (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at              timestamptz NOT NULL DEFAULT now(),
  actor           text        NOT NULL,
  action          text        NOT NULL CHECK (action IN ('request', 'approve', 'refuse', 'invite', 'accept', 'revoke',
                                                         'bootstrap')),
  grant_id        uuid        NOT NULL REFERENCES role_grants (id),
  email           text        NOT NULL,
  role            text        NOT NULL,
  organizer_email text,
  event_id        uuid
);
CREATE INDEX role_audit_of_organizer ON role_audit (organizer_email, id) WHERE organizer_email IS NOT NULL;
CREATE INDEX role_audit_of_organizers ON role_audit (id) WHERE role = 'organizer';

-- Bumped by every change of the active and invited grants, in the same statement: a backend whose copy is at this
-- version reloads nothing.
CREATE TABLE role_grants_version (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  version   bigint  NOT NULL
);
INSERT INTO role_grants_version VALUES (true, 0);
