-- The benchmark's many small tables: psql -v rows=1000 -v tables=200 -f bench/many.sql
DROP SCHEMA IF EXISTS many CASCADE;
CREATE SCHEMA many;
SELECT format('CREATE TABLE many.t%s (id integer PRIMARY KEY, name text NOT NULL, amount numeric(10,2),'
              ' created_at timestamptz NOT NULL, doc jsonb, flags boolean[])', t)
FROM generate_series(1, :tables) t \gexec
SELECT format('INSERT INTO many.t%s SELECT g, ''name '' || g || '' of table %s'', g / 7.0,'
              ' timestamptz ''2024-01-01 00:00:00+00'' + g * interval ''1 minute'','
              ' jsonb_build_object(''g'', g, ''t'', %s), ARRAY[g %% 2 = 0, g %% 3 = 0] FROM generate_series(1, %s) g', t, t, t, :rows)
FROM generate_series(1, :tables) t \gexec
VACUUM ANALYZE;
