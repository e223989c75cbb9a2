-- The least-privilege role the backend serves as (issue #18): it reads and writes data and cannot change the schema
-- (no CREATE, ALTER, DROP, TRUNCATE, no ownership). Migrations run as the schema's owner; the backend keeps its login
-- user a member of this role (db.ApplicationUser). A role is cluster-wide: another database may have made it.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'boxoffice_app') THEN
    CREATE ROLE boxoffice_app NOLOGIN;
  END IF;
  EXECUTE format('GRANT CONNECT ON DATABASE %I TO boxoffice_app', current_database());
END
$$;

GRANT USAGE ON SCHEMA public TO boxoffice_app;
-- PostgreSQL 15 and later already keep other users from creating objects in public; older versions did not.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO boxoffice_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO boxoffice_app;
-- Tables and sequences later migrations create, as the same owner.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO boxoffice_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO boxoffice_app;
-- Flyway's own history stays the owner's.
REVOKE INSERT, UPDATE, DELETE ON flyway_schema_history FROM boxoffice_app;
