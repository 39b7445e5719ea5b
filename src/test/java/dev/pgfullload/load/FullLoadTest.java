package dev.pgfullload.load;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FullLoadTest {

    @Test
    void aCheckRoundsPartitionsToTheCoresTheRunWouldHave() {
        int machine = Runtime.getRuntime().availableProcessors();
        assertEquals(2, FullLoad.plannedCores(new SparkConf(false).set("spark.master", "local[2,3]")));
        assertEquals(4, FullLoad.plannedCores(new SparkConf(false).set("spark.master", "local[4]")));
        assertEquals(machine, FullLoad.plannedCores(new SparkConf(false).set("spark.master", "local[*,4]")));
        assertEquals(machine, FullLoad.plannedCores(new SparkConf(false)), "run-local.sh's default is local[*]");
        assertEquals(1, FullLoad.plannedCores(new SparkConf(false).set("spark.master", "local")));
        assertEquals(2, FullLoad.plannedCores(new SparkConf(false).set("spark.master", "yarn")), "a cluster: unknown before it runs");
        assertEquals(16, FullLoad.plannedCores(new SparkConf(false).set("spark.master", "yarn").set("spark.default.parallelism", "16")));
    }
}
