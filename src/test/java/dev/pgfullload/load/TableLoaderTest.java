package dev.pgfullload.load;

import org.junit.jupiter.api.Test;

import java.sql.SQLException;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TableLoaderTest {

    @Test
    void aSourceErrorIsOneThatSparksJdbcSourceGotFromTheDriverNotOneOfTheWriters() {
        assertTrue(TableLoader.fromSparkJdbcSource(raisedBy(
                "org.apache.spark.sql.execution.datasources.jdbc.JDBCRDD$", "org.apache.spark.sql.execution.datasources.jdbc.JDBCRelation$")));
        assertTrue(TableLoader.fromSparkJdbcSource(raisedBy("org.apache.spark.sql.execution.datasources.jdbc.JdbcUtils$$anon$1",
                "dev.pgfullload.write.PartitionWriter")), "a row fetched by Spark's iterator inside the writer's loop");
        // The target's lock timeout on the writer's COPY or its partition record is not the source's.
        assertFalse(TableLoader.fromSparkJdbcSource(raisedBy("dev.pgfullload.write.PartitionWriter",
                "org.apache.spark.sql.execution.datasources.jdbc.JDBCRDD")));
        assertFalse(TableLoader.fromSparkJdbcSource(new SQLException("raised here")), "raised by other code");
    }

    /** An SQLException as pgjdbc raises it, called from {@code callers} (innermost first). */
    private static SQLException raisedBy(String... callers) {
        SQLException failure = new SQLException("ERROR: canceling statement due to lock timeout", "55P03");
        StackTraceElement[] frames = new StackTraceElement[callers.length + 2];
        frames[0] = new StackTraceElement("org.postgresql.core.v3.QueryExecutorImpl", "receiveErrorResponse", null, 1);
        frames[1] = new StackTraceElement("org.postgresql.jdbc.PgStatement", "executeQuery", null, 1);
        for (int i = 0; i < callers.length; i++) {
            frames[i + 2] = new StackTraceElement(callers[i], "call", null, 1);
        }
        failure.setStackTrace(frames);
        return failure;
    }
}
