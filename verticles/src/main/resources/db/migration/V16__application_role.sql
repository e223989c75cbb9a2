-- The least-privilege role the backend serves as (issue #18): it reads and writes data and cannot change the schema
-- (no CREATE, ALTER, DROP, TRUNCATE, no ownership). The migrations run as the schema's owner; the login the backend
-- serves as is a member of this role. Both users and this role are made by cloudformation/bootstrap-database.sql
-- (RDS: bootstrap-database.sh; locally: the local stack), since the owner may not create roles; a migrator that may
-- (the tests' superuser, which migrates and serves as itself) makes the role here.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'boxoffice_app') THEN
    IF NOT (SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user) THEN
      RAISE EXCEPTION 'no role boxoffice_app, and % may not create it: run bootstrap-database.sh', current_user;
    END IF;
    CREATE ROLE boxoffice_app NOLOGIN;
  END IF;
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
