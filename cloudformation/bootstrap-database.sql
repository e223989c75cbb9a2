-- The database's two users, created or brought up to date by a role that may create roles (RDS's master user, run by
-- bootstrap-database.sh; the embedded PostgreSQL's superuser, run by the local stack and the tests), in the database
-- they serve. Idempotent. Its parameters are session settings set just before, so no statement text carries a
-- password: boxoffice.owner_user and boxoffice.owner_password, boxoffice.app_user and boxoffice.app_password (an empty
-- password leaves the user's as it is).
--
-- * The owner owns the database, its schema and every object in it: the backend runs the migrations as it
--   (BOXOFFICE_DB_MIGRATION_USER). It may create objects in this database, not roles or databases.
-- * The application user is the login the backend serves as (BOXOFFICE_DB_USER): a member of boxoffice_app, to which
--   migration V16 grants reading and writing data, and nothing on the schema or the migration history.
-- * boxoffice_app is made here because the owner may not create roles.
DO $bootstrap$
DECLARE
  owner_user    text := current_setting('boxoffice.owner_user');
  owner_secret  text := current_setting('boxoffice.owner_password');
  app_user      text := current_setting('boxoffice.app_user');
  app_secret    text := current_setting('boxoffice.app_password');
  login_user    record;
  owned         record;
BEGIN
  IF owner_user = app_user OR 'boxoffice_app' IN (owner_user, app_user) OR current_user IN (owner_user, app_user) THEN
    RAISE EXCEPTION 'the owner (%), the application user (%), boxoffice_app and % must be four roles',
      owner_user, app_user, current_user;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'boxoffice_app') THEN
    CREATE ROLE boxoffice_app NOLOGIN;
  END IF;
  FOR login_user IN SELECT * FROM (VALUES (owner_user, owner_secret), (app_user, app_secret)) AS users (name, secret)
  LOOP
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = login_user.name) THEN
      EXECUTE format('CREATE ROLE %I', login_user.name);
    END IF;
    EXECUTE format('ALTER ROLE %I WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION INHERIT',
        login_user.name);
    IF login_user.secret <> '' THEN
      EXECUTE format('ALTER ROLE %I WITH PASSWORD %L', login_user.name, login_user.secret);
    END IF;
  END LOOP;

  -- RDS's master user is no superuser: it hands objects over only to a role it belongs to.
  EXECUTE format('GRANT %I TO %I', owner_user, current_user);
  -- The migrations set the database's settings (V1: its time zone), which only its owner may.
  EXECUTE format('ALTER DATABASE %I OWNER TO %I', current_database(), owner_user);
  EXECUTE format('GRANT CONNECT, CREATE, TEMPORARY ON DATABASE %I TO %I', current_database(), owner_user);
  EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO boxoffice_app', current_database());
  -- An application user that owned the objects (this script's first version) may no longer create any.
  EXECUTE format('REVOKE CREATE ON DATABASE %I FROM %I', current_database(), app_user);
  EXECUTE format('GRANT boxoffice_app TO %I', app_user);
  EXECUTE format('ALTER SCHEMA public OWNER TO %I', owner_user);
  -- What migration V16 grants on the tables the owner creates later, here too: V16 may have run as another role.
  EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA public'
      ' GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO boxoffice_app', owner_user);
  EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA public'
      ' GRANT USAGE, SELECT ON SEQUENCES TO boxoffice_app', owner_user);

  -- Objects made before the owner existed change hands: migrated as this role (the master user) or as the
  -- application user. A sequence that belongs to a table moves with it, so tables go first.
  FOR owned IN SELECT c.oid::regclass AS name, c.relkind FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
       AND pg_get_userbyid(c.relowner) IN (current_user, app_user)
     ORDER BY c.relkind = 'S' LOOP
    CONTINUE WHEN owned.relkind = 'S' AND EXISTS (SELECT FROM pg_class c WHERE c.oid = owned.name
        AND pg_get_userbyid(c.relowner) = owner_user);
    EXECUTE format('ALTER %s %s OWNER TO %I',
        CASE owned.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                            ELSE 'TABLE' END, owned.name, owner_user);
  END LOOP;
  FOR owned IN SELECT p.oid::regprocedure AS name FROM pg_proc p
      JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE n.nspname = 'public' AND pg_get_userbyid(p.proowner) IN (current_user, app_user)
       AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e') LOOP
    EXECUTE format('ALTER ROUTINE %s OWNER TO %I', owned.name, owner_user);
  END LOOP;
END
$bootstrap$;
