package dev.pgfullload.source;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PartitionedIndexDefinitionTest {

    @Test
    void anIndexOfAPartitionedTableCoversItsPartitionsInTheTarget() {
        assertEquals("CREATE INDEX events_payload_idx ON public.events USING btree (payload)",
                PostgresSourceDialect.withPartitions("CREATE INDEX events_payload_idx ON ONLY public.events USING btree (payload)"));
        assertEquals("CREATE UNIQUE INDEX \"x ON ONLY \"\"y\"\"\" ON \"S\".\"ON ONLY\" USING btree (a) WHERE (b <> ' ON ONLY ')",
                PostgresSourceDialect.withPartitions(
                        "CREATE UNIQUE INDEX \"x ON ONLY \"\"y\"\"\" ON ONLY \"S\".\"ON ONLY\" USING btree (a) WHERE (b <> ' ON ONLY ')"));
    }

    @Test
    void anyOtherIndexIsUnchanged() {
        String plain = "CREATE INDEX \"only\" ON public.t USING btree (\"ONLY\")";
        assertEquals(plain, PostgresSourceDialect.withPartitions(plain));
        assertEquals("CREATE INDEX x ON public.t USING gist (g)", PostgresSourceDialect.withPartitions("CREATE INDEX x ON public.t USING gist (g)"));
    }
}
