package dev.pgfullload.config;

/** How each table is checked after its load ({@code validation.mode}). */
public enum ValidationMode {
    NONE,
    /** Row counts, source against target. */
    COUNT,
    /** Row counts and an order-independent checksum of every row, computed on both sides. */
    CHECKSUM
}
