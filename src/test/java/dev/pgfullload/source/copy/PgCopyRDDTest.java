package dev.pgfullload.source.copy;

import org.apache.spark.TaskContext;
import org.apache.spark.TaskContext$;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PgCopyRDDTest {

    /** Hands out {@code rows} rows numbered from 1, then fails with {@code failure} if there is one. */
    private static final class CountingReader implements PartitionReader<InternalRow> {
        private final int rows;
        private final IOException failure;
        private int current;
        private int closes;

        CountingReader(int rows, IOException failure) {
            this.rows = rows;
            this.failure = failure;
        }

        @Override
        public boolean next() throws IOException {
            if (current == rows && failure != null) {
                throw failure;
            }
            return ++current <= rows;
        }

        @Override
        public InternalRow get() {
            return new GenericInternalRow(new Object[] {current});
        }

        @Override
        public void close() {
            closes++;
        }
    }

    @Test
    void everyRowOnceThenTheReaderIsClosedAndTheRowsCounted() {
        TaskContext task = TaskContext$.MODULE$.empty();
        CountingReader reader = new CountingReader(2500, null);
        PgCopyRDD.Rows rows = new PgCopyRDD.Rows(reader, task);
        List<Integer> seen = new ArrayList<>();
        java.util.Iterator<InternalRow> javaRows = rows;
        while (javaRows.hasNext()) {
            seen.add(javaRows.next().getInt(0));
        }
        assertEquals(2500, seen.size());
        assertEquals(1, seen.get(0));
        assertEquals(2500, seen.get(2499));
        // Closed when the last row was read, once, though the task's end closes it again.
        assertEquals(1, reader.closes);
        rows.close();
        assertEquals(1, reader.closes);
        assertFalse(rows.hasNext());
        assertEquals(2500, task.taskMetrics().inputMetrics().recordsRead());
    }

    @Test
    void aFailedReadReachesTheTaskAsTheReadersOwnException() {
        IOException failure = new IOException("reading from the source failed: connection reset");
        CountingReader reader = new CountingReader(3, failure);
        PgCopyRDD.Rows rows = new PgCopyRDD.Rows(reader, TaskContext$.MODULE$.empty());
        for (int i = 0; i < 3; i++) {
            assertTrue(rows.hasNext());
            rows.next();
        }
        assertSame(failure, assertThrows(IOException.class, rows::hasNext));
    }
}
