-- The benchmark's wide table: bigint key, timestamptz, numeric(12,2), text, jsonb, boolean, text[].
-- psql -v rows=2000000 -f bench/events.sql
DROP TABLE IF EXISTS public.events;
CREATE TABLE public.events (
    id bigint PRIMARY KEY,
    occurred_at timestamptz NOT NULL,
    amount numeric(12,2) NOT NULL,
    message text NOT NULL,
    payload jsonb NOT NULL,
    active boolean NOT NULL,
    tags text[] NOT NULL
);
INSERT INTO public.events
SELECT g,
       timestamptz '2024-01-01 00:00:00+00' + g * interval '1 second',
       (g % 1000000) / 100.0,
       md5(g::text) || ' ' || left(md5((g * 7)::text), 30),
       jsonb_build_object('user', g % 100000, 'kind', (ARRAY['click', 'view', 'buy'])[1 + g % 3],
                          'path', '/page/' || (g % 5000), 'meta', jsonb_build_object('n', g, 'ok', g % 3 = 0)),
       g % 2 = 0,
       ARRAY['tag' || (g % 10), 'tag' || (g % 7), 'tag' || (g % 3)]
FROM generate_series(1, :rows) g;
VACUUM ANALYZE public.events;
