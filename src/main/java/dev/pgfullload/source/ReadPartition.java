package dev.pgfullload.source;

import java.io.Serializable;

import static java.util.Objects.requireNonNull;

/**
 * The rows one Spark partition reads: what follows the select list, e.g.
 * {@code FROM "s"."t" WHERE "id" >= '100'::bigint AND "id" < '200'::bigint}.
 */
public record ReadPartition(String from, String where) implements Serializable {

    public ReadPartition {
        requireNonNull(from, "from is null");
    }

    public String sql() {
        return where == null ? from : from + " WHERE " + where;
    }
}
