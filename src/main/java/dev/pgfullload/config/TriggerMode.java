package dev.pgfullload.config;

/** How foreign-key and user triggers are kept out of the way of the load. */
public enum TriggerMode {
    /** Every write session runs {@code SET session_replication_role = replica}. */
    SESSION_REPLICATION_ROLE,
    /** {@code ALTER TABLE ... DISABLE TRIGGER ALL} before a table loads, {@code ENABLE TRIGGER ALL} after. */
    DISABLE_TRIGGERS,
    /** Triggers fire; tables load parents first, in foreign-key order. */
    NONE
}
