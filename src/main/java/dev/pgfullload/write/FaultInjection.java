package dev.pgfullload.write;

import dev.pgfullload.source.TableName;

/**
 * Faults injected by pg-fullload's own tests into a partition write, to prove that a failed attempt
 * leaves nothing behind and a retried one duplicates nothing. There is no setting, property or
 * environment variable behind it: only code in this package, in the same JVM as the executor (Spark
 * local mode), can arm it, so it cannot switch on in a deployed job.
 */
final class FaultInjection {

    private static volatile TableName table;
    private static volatile int partition;
    private static volatile long afterRows;

    private FaultInjection() {
    }

    /** The next write of {@code partition} of {@code target} fails once, after {@code rows} rows are in its COPY. */
    static void failOnce(TableName target, int partitionIndex, long rows) {
        partition = partitionIndex;
        afterRows = rows;
        table = target;
    }

    static boolean armed() {
        return table != null;
    }

    static void check(TableName target, int partitionIndex, long rowsSoFar) {
        TableName armed = table;
        if (armed != null && armed.equals(target) && partitionIndex == partition && rowsSoFar == afterRows) {
            table = null;
            throw new IllegalStateException("injected fault: partition " + partitionIndex + " of " + target
                    + " fails after " + rowsSoFar + " rows");
        }
    }
}
