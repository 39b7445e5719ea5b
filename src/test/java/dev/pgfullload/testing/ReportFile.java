package dev.pgfullload.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The JSON report a run wrote, read back for assertions. */
public record ReportFile(JsonNode root) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static ReportFile read(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new AssertionError("the run wrote no report at " + path);
        }
        try {
            return new ReportFile(JSON.readTree(path.toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public boolean succeeded() {
        return root.path("succeeded").asBoolean();
    }

    /** Why the run stopped early, or null. */
    public String error() {
        JsonNode error = root.path("error");
        return error.isNull() || error.isMissingNode() ? null : error.asText();
    }

    public String failureCategory() {
        JsonNode category = root.path("failureCategory");
        return category.isNull() || category.isMissingNode() ? null : category.asText();
    }

    /** Each table of the report by its target name ({@code schema.table}). */
    public Map<String, JsonNode> tables() {
        Map<String, JsonNode> tables = new LinkedHashMap<>();
        root.path("tables").forEach(table -> tables.put(table.path("target").asText(), table));
        return tables;
    }

    public JsonNode table(String target) {
        JsonNode table = tables().get(target);
        if (table == null) {
            throw new AssertionError("the report has no table " + target + ": " + root.toPrettyString());
        }
        return table;
    }

    @Override
    public String toString() {
        return root.toPrettyString();
    }
}
