package dev.pgfullload.testing;

/**
 * The sample source database of the demo and the end-to-end tests: tables linked by foreign keys,
 * with children inserted before their parents would be, a user trigger that changes rows if it fires,
 * json and jsonb, an enum, an array, bytea, numeric and timestamptz.
 */
public final class SampleDatabase {

    public static final String SCHEMA_SQL = """
            CREATE SCHEMA shop;
            CREATE TYPE shop.order_status AS ENUM ('new', 'paid', 'shipped', 'cancelled');
            CREATE TABLE shop.customer (
                customer_id bigint PRIMARY KEY,
                name text NOT NULL,
                email varchar(200),
                tags text[],
                profile jsonb,
                created_at timestamptz NOT NULL,
                last_update timestamptz NOT NULL DEFAULT now()
            );
            CREATE TABLE shop.product (
                product_id integer PRIMARY KEY,
                title text NOT NULL,
                price numeric(12,2) NOT NULL,
                weight_kg numeric,
                photo bytea,
                attributes json,
                last_update timestamptz NOT NULL DEFAULT now()
            );
            CREATE TABLE shop.purchase (
                purchase_id bigint PRIMARY KEY,
                customer_id bigint NOT NULL REFERENCES shop.customer,
                status shop.order_status NOT NULL,
                ordered_at timestamptz NOT NULL,
                note text,
                last_update timestamptz NOT NULL DEFAULT now()
            );
            CREATE TABLE shop.purchase_line (
                purchase_id bigint NOT NULL REFERENCES shop.purchase,
                line_no smallint NOT NULL,
                product_id integer NOT NULL REFERENCES shop.product,
                quantity integer NOT NULL,
                unit_price numeric(12,2) NOT NULL,
                PRIMARY KEY (purchase_id, line_no)
            );
            CREATE TABLE shop.audit_log (
                id bigserial PRIMARY KEY,
                table_name text NOT NULL,
                logged_at timestamptz NOT NULL DEFAULT now()
            );
            CREATE FUNCTION shop.touch_and_audit() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                NEW.last_update := '1999-01-01 00:00:00+00';
                INSERT INTO shop.audit_log (table_name) VALUES (TG_TABLE_NAME);
                RETURN NEW;
            END $$;
            CREATE TRIGGER customer_touch BEFORE INSERT OR UPDATE ON shop.customer
                FOR EACH ROW EXECUTE FUNCTION shop.touch_and_audit();
            CREATE TRIGGER purchase_touch BEFORE INSERT OR UPDATE ON shop.purchase
                FOR EACH ROW EXECUTE FUNCTION shop.touch_and_audit();
            """;

    /** Rows, children first: the source is filled with its own triggers and foreign keys switched off. */
    public static final String DATA_SQL = """
            SET session_replication_role = replica;
            INSERT INTO shop.purchase_line
            SELECT p, l, 1 + (p * 7 + l) % 50, 1 + l, (10 + (p % 90))::numeric(12,2)
            FROM generate_series(1, 2000) p, generate_series(1, 3) l;
            INSERT INTO shop.purchase
            SELECT p, 1 + p % 300, (ARRAY['new','paid','shipped','cancelled'])[1 + p % 4]::shop.order_status,
                   timestamptz '2024-01-01 00:00:00+00' + p * interval '37 minutes',
                   CASE WHEN p % 5 = 0 THEN NULL ELSE 'note ' || p || E'\\twith a tab, a \\\\ backslash and ''quotes''' END,
                   timestamptz '2024-06-01 12:00:00+00'
            FROM generate_series(1, 2000) p;
            INSERT INTO shop.customer
            SELECT c, 'Customer ' || c || CASE WHEN c % 10 = 0 THEN ' Ünïcødé 😀' ELSE '' END,
                   CASE WHEN c % 7 = 0 THEN NULL ELSE 'customer' || c || '@example.com' END,
                   CASE WHEN c % 3 = 0 THEN NULL WHEN c % 3 = 1 THEN ARRAY['vip', 'tag "' || c || '"'] ELSE '{}' END,
                   jsonb_build_object('id', c, 'name', 'Customer ' || c, 'nested', jsonb_build_object('a', ARRAY[1, 2, c])),
                   timestamptz '2023-01-01 08:30:00.123456+02' + c * interval '1 day',
                   timestamptz '2024-06-01 12:00:00+00'
            FROM generate_series(1, 300) c;
            INSERT INTO shop.product
            SELECT p, 'Product ' || p, (p * 1.25)::numeric(12,2), CASE WHEN p % 2 = 0 THEN 0.000000001 * p ELSE 12345678901234567890.123456789 END,
                   decode(repeat(lpad(to_hex(p), 2, '0'), 16) || '00ff5c09', 'hex'),
                   ('{"sku": "P-' || p || '", "dims": [1, 2.5, 3e2], "text": "a \\"quoted\\" word"}')::json,
                   timestamptz '2024-06-01 12:00:00+00'
            FROM generate_series(1, 50) p;
            RESET session_replication_role;
            """;

    private SampleDatabase() {
    }

    /** Creates the sample schema and rows in {@code database}. */
    public static void create(TestingPostgreSQL postgres, String database) {
        postgres.execute(database, SCHEMA_SQL);
        postgres.execute(database, DATA_SQL);
    }
}
