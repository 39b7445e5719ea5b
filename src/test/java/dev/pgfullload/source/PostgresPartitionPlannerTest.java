package dev.pgfullload.source;

import dev.pgfullload.config.ParallelLoad;
import dev.pgfullload.error.FullLoadException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PostgresPartitionPlannerTest {

    private static final SourceTable TABLE = new SourceTable(new TableName("public", "Events"), List.of(
            new SourceColumn("id", 1, "bigint", ColumnKind.BIGINT, true, null),
            new SourceColumn("day", 2, "date", ColumnKind.TEXT_FORM, false, null),
            new SourceColumn("note", 3, "text", ColumnKind.STRING, false, null)), List.of("id"), 0, 0);

    @Test
    void histogramQuantilesFallInsideTheirBucketForIntegerKeysAndOnTheNearestBoundOtherwise() {
        assertEquals(List.of("100", "200"), PostgresPartitionPlanner.histogramBoundaries(List.of("0", "100", "200", "300"), 3, true));
        // One bucket from 0 to 60: its thirds.
        assertEquals(List.of("20", "40"), PostgresPartitionPlanner.histogramBoundaries(List.of("0", "60"), 3, true));
        // A bucket wider than a long holds.
        assertEquals(List.of("0", "4000000000000000000"), PostgresPartitionPlanner.histogramBoundaries(
                List.of("-8000000000000000001", "8000000000000000000"), 4, true).subList(1, 3));
        assertEquals(List.of("2020-06-01", "2021-01-01"), PostgresPartitionPlanner.histogramBoundaries(
                List.of("2020-01-01", "2020-06-01", "2021-01-01"), 4, false));
    }

    @Test
    void givenRangesMakeOneMorePartitionThanBoundariesAndKeepNulls() {
        List<ReadPartition> partitions = PostgresPartitionPlanner.givenRanges("FROM \"public\".\"Events\"", TABLE,
                new ParallelLoad("public", "Events", List.of("day", "id"), List.of(List.of("2024-01-01", "10"), List.of("2024-06-01", "0"))));
        assertEquals(List.of(
                "FROM \"public\".\"Events\" WHERE (ROW(\"day\", \"id\") < ROW('2024-01-01'::date, '10'::bigint) OR \"day\" IS NULL OR \"id\" IS NULL)",
                "FROM \"public\".\"Events\" WHERE NOT (\"day\" IS NULL OR \"id\" IS NULL) AND ROW(\"day\", \"id\") >= ROW('2024-01-01'::date, '10'::bigint)"
                        + " AND ROW(\"day\", \"id\") < ROW('2024-06-01'::date, '0'::bigint)",
                "FROM \"public\".\"Events\" WHERE NOT (\"day\" IS NULL OR \"id\" IS NULL) AND ROW(\"day\", \"id\") >= ROW('2024-06-01'::date, '0'::bigint)"),
                partitions.stream().map(ReadPartition::sql).toList());
    }

    @Test
    void noBoundariesIsTheWholeTable() {
        List<ReadPartition> partitions = PostgresPartitionPlanner.givenRanges("FROM t", TABLE,
                new ParallelLoad("public", "Events", List.of("id"), List.of()));
        assertEquals(1, partitions.size());
        assertNull(partitions.get(0).where());
    }

    @Test
    void anUnknownColumnIsNamed() {
        FullLoadException e = assertThrows(FullLoadException.class, () -> PostgresPartitionPlanner.givenRanges("FROM t", TABLE,
                new ParallelLoad("public", "Events", List.of("missing"), List.of(List.of("1")))));
        assertEquals("load.parallel-load for public.Events names column missing, which the table does not have", e.getMessage());
    }

    @Test
    void theSplitColumnIsASingleNumericOrTemporalPrimaryKey() {
        assertEquals("id", PostgresPartitionPlanner.splitColumn(TABLE).name());
        SourceTable textKey = new SourceTable(new TableName("s", "t"), List.of(
                new SourceColumn("code", 1, "text", ColumnKind.STRING, true, null)), List.of("code"), 0, 0);
        assertNull(PostgresPartitionPlanner.splitColumn(textKey));
        SourceTable twoColumnKey = new SourceTable(new TableName("s", "t"), TABLE.columns(), List.of("id", "day"), 0, 0);
        assertNull(PostgresPartitionPlanner.splitColumn(twoColumnKey));
    }

    @Test
    void partitionCountsFollowRowsAndBytesRoundedToTheCores() {
        PartitionSizing sizing = new PartitionSizing(1000, 1 << 20, 256).roundedTo(4);
        assertEquals(1, sizing.partitions(999, 1000));
        assertEquals(4, sizing.partitions(1001, 1000));
        assertEquals(8, sizing.partitions(100, 5L << 20));
        assertEquals(256, sizing.partitions(10_000_000, 0));
        assertTrue(sizing.capped(10_000_000, 0));
        assertFalse(sizing.capped(256_000, 0));
    }
}
