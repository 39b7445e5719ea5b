package dev.pgfullload.testing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Small query helpers for assertions on what is in a database. */
public final class Sql {

    private Sql() {
    }

    public static long count(TestingPostgreSQL postgres, String database, String query) {
        return Long.parseLong(scalar(postgres, database, query));
    }

    public static String scalar(TestingPostgreSQL postgres, String database, String query) {
        List<String> rows = column(postgres, database, query);
        if (rows.size() != 1) {
            throw new AssertionError("expected one row from " + query + ", got " + rows);
        }
        return rows.get(0);
    }

    public static List<String> column(TestingPostgreSQL postgres, String database, String query) {
        try (Connection connection = postgres.connect(database);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(query)) {
            List<String> values = new ArrayList<>();
            while (rows.next()) {
                values.add(rows.getString(1));
            }
            return values;
        } catch (SQLException e) {
            throw new IllegalStateException("query failed on " + database + ": " + e.getMessage() + "\n" + query, e);
        }
    }

    /** An order-independent digest of every row of {@code table}, comparable across databases. */
    public static String checksum(TestingPostgreSQL postgres, String database, String table) {
        return scalar(postgres, database, "SELECT count(*) || ':' || coalesce(md5(string_agg(md5(t::text), '' ORDER BY md5(t::text))), '')"
                + " FROM " + table + " t");
    }
}
