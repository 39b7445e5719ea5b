package dev.pgfullload.app;

import dev.pgfullload.error.FailureCategory;
import org.junit.jupiter.api.Test;

import java.util.EnumMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ExitCodeTest {

    @Test
    void everyFailureCategoryHasItsExitCode() {
        Map<FailureCategory, ExitCode> expected = new EnumMap<>(FailureCategory.class);
        expected.put(FailureCategory.CONFIGURATION, ExitCode.BAD_SETTINGS);
        expected.put(FailureCategory.SOURCE_CONNECT, ExitCode.PREFLIGHT_FAILED);
        expected.put(FailureCategory.TARGET_CONNECT, ExitCode.PREFLIGHT_FAILED);
        expected.put(FailureCategory.PREFLIGHT, ExitCode.PREFLIGHT_FAILED);
        expected.put(FailureCategory.SCHEMA, ExitCode.PREFLIGHT_FAILED);
        expected.put(FailureCategory.LOAD, ExitCode.TABLES_FAILED);
        expected.put(FailureCategory.VERIFY, ExitCode.TABLES_FAILED);
        Map<FailureCategory, ExitCode> actual = new EnumMap<>(FailureCategory.class);
        for (FailureCategory category : FailureCategory.values()) {
            actual.put(category, ExitCode.of(category));
        }
        assertEquals(expected, actual);
    }

    @Test
    void statusesAreTheDocumentedOnes() {
        Map<ExitCode, Integer> actual = new EnumMap<>(ExitCode.class);
        for (ExitCode code : ExitCode.values()) {
            actual.put(code, code.status());
        }
        assertEquals(Map.of(ExitCode.SUCCESS, 0, ExitCode.INTERNAL_ERROR, 1, ExitCode.BAD_SETTINGS, 2,
                ExitCode.PREFLIGHT_FAILED, 3, ExitCode.TABLES_FAILED, 4), actual);
    }
}
