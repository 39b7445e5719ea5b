package dev.pgfullload.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Writes the run report as a JSON file and as a table on the console. */
public final class ReportWriter {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ReportWriter() {
    }

    public static ObjectNode toJson(RunReport report) {
        ObjectNode root = JSON.createObjectNode();
        root.put("runId", report.runId());
        root.put("startedAt", report.startedAt().toString());
        root.put("endedAt", report.endedAt().toString());
        root.put("durationMillis", report.durationMillis());
        root.put("succeeded", report.succeeded());
        root.put("failureCategory", report.failureCategory());
        root.put("error", report.error());
        ArrayNode problems = root.putArray("problems");
        report.problems().forEach(problems::add);
        ObjectNode totals = root.putObject("totals");
        totals.put("tables", report.tables().size());
        for (TableState state : TableState.values()) {
            totals.put(state.name().toLowerCase(Locale.ROOT), report.count(state));
        }
        totals.put("rowsWritten", report.totalRowsWritten());
        totals.put("bytes", report.totalBytes());
        totals.put("rowsCommittedBefore", report.tables().stream().mapToLong(TableLoadResult::rowsCommittedBefore).sum());
        ArrayNode preparation = root.putArray("preparation");
        report.preparation().forEach(preparation::add);
        ArrayNode tables = root.putArray("tables");
        for (TableLoadResult table : report.tables()) {
            ObjectNode node = tables.addObject();
            node.put("source", table.source());
            node.put("target", table.target());
            node.put("state", table.state().name().toLowerCase(Locale.ROOT));
            node.put("rowsRead", table.rowsRead());
            node.put("rowsWritten", table.rowsWritten());
            node.put("bytes", table.bytes());
            node.put("durationMillis", table.durationMillis());
            node.put("rowsPerSecond", table.rowsPerSecond());
            node.put("partitions", table.partitions());
            node.put("rowsCommittedBefore", table.rowsCommittedBefore());
            node.put("partitionsCommittedBefore", table.partitionsCommittedBefore());
            node.put("error", table.error());
            node.put("note", table.note());
        }
        root.put("settings", report.settings());
        return root;
    }

    public static void writeJson(RunReport report, Path path) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        JSON.writeValue(path.toFile(), toJson(report));
    }

    /**
     * Why the report cannot be written to {@code path}, or null when it can. Tried for real: the file is
     * opened for writing without being changed, and removed again when the try created it. With
     * {@code createFolders} its missing folders are created, as {@link #writeJson} would; without, the
     * nearest existing folder must be writable.
     */
    public static String unwritable(Path path, boolean createFolders) {
        Path file = path.toAbsolutePath();
        try {
            if (Files.isDirectory(file)) {
                return "it is a folder";
            }
            Path parent = file.getParent();
            if (parent != null && !Files.isDirectory(parent)) {
                if (createFolders) {
                    Files.createDirectories(parent);
                } else {
                    Path existing = parent;
                    while (existing != null && !Files.exists(existing)) {
                        existing = existing.getParent();
                    }
                    if (existing == null || !Files.isDirectory(existing) || !Files.isWritable(existing)) {
                        return "its folder " + parent + " cannot be created";
                    }
                    return null;
                }
            }
            boolean existed = Files.exists(file);
            try (var channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.WRITE)) {
                // Opened, not written: an earlier report stays as it was until this run's replaces it.
            }
            if (!existed) {
                Files.deleteIfExists(file);
            }
            return null;
        } catch (java.nio.file.FileSystemException e) {
            return e.getReason() != null ? e.getReason() : e.getClass().getSimpleName();
        } catch (IOException | RuntimeException e) {
            return e.getMessage() != null ? e.getMessage() : e.toString();
        }
    }

    public static void printTable(RunReport report, PrintStream out) {
        String format = "%-32s %-32s %-8s %12s %12s %10s %12s  %s%n";
        out.println();
        out.printf("pg-fullload run %s: %s in %.1f s%n", report.runId(), report.succeeded() ? "SUCCEEDED" : "FAILED",
                report.durationMillis() / 1000.0);
        if (report.error() != null) {
            out.println("  " + report.failureCategory() + ": " + report.error());
        }
        if (!report.tables().isEmpty()) {
            out.printf(format, "source", "target", "state", "rows", "bytes", "seconds", "rows/s", "error");
            for (TableLoadResult table : report.tables()) {
                out.printf(format, table.source(), table.target(), table.state().name().toLowerCase(Locale.ROOT),
                        table.rowsWritten(), table.bytes(), String.format(Locale.ROOT, "%.2f", table.durationMillis() / 1000.0),
                        table.rowsPerSecond(), table.error() == null ? "" : table.error());
            }
            long before = report.tables().stream().mapToLong(TableLoadResult::rowsCommittedBefore).sum();
            out.printf("totals: %d tables, %d loaded, %d failed, %d skipped, %d rows, %d bytes%s%n", report.tables().size(),
                    report.count(TableState.LOADED), report.count(TableState.FAILED), report.count(TableState.SKIPPED),
                    report.totalRowsWritten(), report.totalBytes(),
                    before == 0 ? "" : " (and " + before + " rows committed by earlier attempts of the run)");
        }
        out.println();
    }
}
