-- Every session of the backend talks UTC; event time zones are stored with the events themselves.
DO $$
BEGIN
  EXECUTE format('ALTER DATABASE %I SET timezone TO %L', current_database(), 'UTC');
END
$$;
