package dev.pgfullload.testing;

import org.apache.spark.sql.SparkSession;

/** The one local[2] Spark session of a test JVM, bound to 127.0.0.1. */
public final class TestingSpark {

    private TestingSpark() {
    }

    public static synchronized SparkSession session() {
        return SparkSession.builder()
                .master("local[2,3]")
                .appName("pg-fullload-tests")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                .getOrCreate();
    }
}
