package dev.pgfullload.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SettingsLoaderTest {

    private static final String SOURCE_URL = "jdbc:postgresql://src.example.com:5432/app";
    private static final String TARGET_URL = "jdbc:postgresql://tgt.example.com:5432/app_copy";
    private static final List<String> URLS = List.of("source.url=" + SOURCE_URL, "target.url=" + TARGET_URL);
    private static final String URLS_HOCON = "fullload.source.url = \"" + SOURCE_URL + "\"\n"
            + "fullload.target.url = \"" + TARGET_URL + "\"\n";
    /** An environment variable no test machine sets. */
    private static final String UNSET_ENV = "PGFULLLOAD_UNIT_TEST_SURELY_UNSET_7F3A";

    @TempDir
    Path dir;

    private Path file(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    private static List<String> urlsAnd(String... more) {
        List<String> overrides = new ArrayList<>(URLS);
        overrides.addAll(List.of(more));
        return overrides;
    }

    private static List<String> texts(List<TablePattern> patterns) {
        return patterns.stream().map(TablePattern::text).toList();
    }

    // ---- defaults ----

    @Test
    void everyDefaultComesFromReferenceConf() {
        Settings settings = SettingsLoader.load(null, URLS);

        assertAll(
                () -> assertEquals(SOURCE_URL, settings.source().url()),
                () -> assertNull(settings.source().user()),
                () -> assertNull(settings.source().password()),
                () -> assertEquals(10000, settings.source().fetchSize()),
                () -> assertEquals(30_000, settings.source().lockTimeoutMillis()),
                () -> assertEquals(0, settings.target().lockTimeoutMillis(), "the target's sessions keep the server's lock_timeout"),
                () -> assertEquals(Map.of(), settings.source().properties()),
                () -> assertEquals(TARGET_URL, settings.target().url()),
                () -> assertNull(settings.target().user()),
                () -> assertNull(settings.target().password()),
                () -> assertEquals(0, settings.target().fetchSize(), "a target has no fetch size"),
                () -> assertEquals(Map.of(), settings.target().properties()),
                () -> assertEquals(List.of("public.%"), texts(settings.tables().include())),
                () -> assertEquals(List.of(), texts(settings.tables().exclude())),
                () -> assertEquals(PrepMode.DO_NOTHING, settings.load().targetTablePrepMode()),
                () -> assertEquals(TriggerMode.SESSION_REPLICATION_ROLE, settings.load().triggerMode()),
                () -> assertEquals(8, settings.load().maxFullLoadSubtasks()),
                () -> assertEquals(0, settings.load().maxTargetSessions()),
                () -> assertTrue(settings.jsonAsText()),
                () -> assertEquals(Path.of("fullload-report.json"), settings.reportPath()));
    }

    @Test
    void withoutAnyUrlBothAreReportedAsRequired() {
        SettingsException e = assertThrows(SettingsException.class, () -> SettingsLoader.load(null, List.of()));
        assertEquals(List.of(
                "fullload.source.url: required, no value given",
                "fullload.target.url: required, no value given"), e.problems());
        String n = System.lineSeparator();
        assertEquals("the settings have 2 problems:" + n
                + "  - fullload.source.url: required, no value given" + n
                + "  - fullload.target.url: required, no value given", e.getMessage());
    }

    // ---- a settings file ----

    @Test
    void aSettingsFileSetsEveryKey() throws IOException {
        Path file = file("all.conf", """
                fullload {
                  source {
                    url = "jdbc:postgresql://db1:5433/sales"
                    user = reader
                    password = "src-pw"
                    fetch-size = 500
                    lock-timeout = 2m
                    properties { ssl = true, ApplicationName = "from-file" }
                  }
                  target {
                    url = "jdbc:postgresql://db2:5434/sales_copy"
                    user = writer
                    password = "tgt-pw"
                    properties { sslmode = require }
                  }
                  tables {
                    "include" = ["sales.%", "hr.employees"]
                    exclude = ["sales.tmp\\\\_%"]
                  }
                  load {
                    target-table-prep-mode = TRUNCATE_BEFORE_LOAD
                    trigger-mode = DISABLE_TRIGGERS
                    max-full-load-subtasks = 3
                    max-target-sessions = 6
                  }
                  transform.json-as-text = false
                  report.path = "/var/tmp/reports/run.json"
                }
                """);

        Settings settings = SettingsLoader.load(file, List.of());

        assertAll(
                () -> assertEquals("jdbc:postgresql://db1:5433/sales", settings.source().url()),
                () -> assertEquals("reader", settings.source().user()),
                () -> assertEquals("src-pw", settings.source().password()),
                () -> assertEquals(500, settings.source().fetchSize()),
                () -> assertEquals(120_000, settings.source().lockTimeoutMillis()),
                () -> assertEquals(Map.of("ssl", "true", "ApplicationName", "from-file"), settings.source().properties()),
                () -> assertEquals("jdbc:postgresql://db2:5434/sales_copy", settings.target().url()),
                () -> assertEquals("writer", settings.target().user()),
                () -> assertEquals("tgt-pw", settings.target().password()),
                () -> assertEquals(Map.of("sslmode", "require"), settings.target().properties()),
                () -> assertEquals(List.of("sales.%", "hr.employees"), texts(settings.tables().include())),
                () -> assertEquals(List.of("sales.tmp\\_%"), texts(settings.tables().exclude())),
                () -> assertEquals(PrepMode.TRUNCATE_BEFORE_LOAD, settings.load().targetTablePrepMode()),
                () -> assertEquals(TriggerMode.DISABLE_TRIGGERS, settings.load().triggerMode()),
                () -> assertEquals(3, settings.load().maxFullLoadSubtasks()),
                () -> assertEquals(6, settings.load().maxTargetSessions()),
                () -> assertFalse(settings.jsonAsText()),
                () -> assertEquals(Path.of("/var/tmp/reports/run.json"), settings.reportPath()));
    }

    @Test
    void aMissingSettingsFileIsOneProblem() {
        Path missing = dir.resolve("nowhere.conf");
        SettingsException e = assertThrows(SettingsException.class, () -> SettingsLoader.load(missing, URLS));
        assertEquals(List.of("settings file " + missing + " does not exist or is not a file"), e.problems());
    }

    // ---- --set overrides ----

    @Test
    void overridesWinOverTheFileWithAndWithoutTheRootPrefix() throws IOException {
        Path file = file("base.conf", """
                fullload.source.url = "jdbc:postgresql://file-host:5432/db"
                fullload.target.url = "jdbc:postgresql://file-target:5432/db"
                fullload.load.target-table-prep-mode = TRUNCATE_BEFORE_LOAD
                fullload.load.trigger-mode = DISABLE_TRIGGERS
                fullload.load.max-full-load-subtasks = 4
                fullload.report.path = "file-report.json"
                """);

        Settings settings = SettingsLoader.load(file, List.of(
                "source.url=jdbc:postgresql://cli-host:6543/db?ssl=true&sslmode=require",
                "fullload.target.url=jdbc:postgresql://[::1]:5433/copy",
                "fullload.load.trigger-mode=NONE",
                "load.max-full-load-subtasks=16",
                "report.path=/tmp/run 1/report.json"));

        assertAll(
                () -> assertEquals("jdbc:postgresql://cli-host:6543/db?ssl=true&sslmode=require", settings.source().url()),
                () -> assertEquals("jdbc:postgresql://[::1]:5433/copy", settings.target().url()),
                () -> assertEquals(TriggerMode.NONE, settings.load().triggerMode()),
                () -> assertEquals(16, settings.load().maxFullLoadSubtasks()),
                () -> assertEquals(Path.of("/tmp/run 1/report.json"), settings.reportPath()),
                () -> assertEquals(PrepMode.TRUNCATE_BEFORE_LOAD, settings.load().targetTablePrepMode(),
                        "a key not overridden keeps the file's value"));
    }

    @Test
    void theLastOverrideOfAKeyWinsAndEnumValuesIgnoreCase() {
        Settings settings = SettingsLoader.load(null, urlsAnd(
                "load.target-table-prep-mode=TRUNCATE_BEFORE_LOAD",
                "load.target-table-prep-mode=drop_and_create"));
        assertEquals(PrepMode.DROP_AND_CREATE, settings.load().targetTablePrepMode());
    }

    @Test
    void anOverrideValueIsReadAsHoconWhenItIsHocon() {
        Settings settings = SettingsLoader.load(null, urlsAnd(
                "tables.include=[\"sales.%\", \"hr.employees\"]",
                "transform.json-as-text=false",
                "source.user=\"quoted user\""));
        assertEquals(List.of("sales.%", "hr.employees"), texts(settings.tables().include()));
        assertFalse(settings.jsonAsText());
        assertEquals("quoted user", settings.source().user());
    }

    @Test
    void anOverrideWithoutKeyOrEqualsIsAProblem() {
        SettingsException e = assertThrows(SettingsException.class,
                () -> SettingsLoader.load(null, urlsAnd("load.trigger-mode", "=NONE")));
        assertEquals(List.of("--set load.trigger-mode: expected key=value", "--set =NONE: expected key=value"), e.problems());
    }

    /** An empty control schema would reach the target as a zero-length identifier: refused with the settings. */
    @Test
    void anEmptyControlSchemaIsASettingsProblem() {
        SettingsException e = assertThrows(SettingsException.class,
                () -> SettingsLoader.load(null, urlsAnd("control.schema=\"\"")));
        assertEquals(List.of("fullload.control.schema: a schema name is needed (got \"\")"), e.problems());
    }

    /** HOCON would read "#..." and "//..." as a comment and silently drop it; an override keeps its whole value. */
    @Test
    void anOverrideValueWithACommentCharacterIsKeptWhole() {
        Settings settings = SettingsLoader.load(null, urlsAnd(
                "source.password=abc#def",
                "source.user=team//ops",
                "target.password=\"quoted#kept\""));
        assertEquals("abc#def", settings.source().password());
        assertEquals("team//ops", settings.source().user());
        assertEquals("quoted#kept", settings.target().password());
    }

    /** A password or user that looks like a number keeps its text: 007 is not 7, 1.50 is not 1.5. */
    @Test
    void numericLookingStringsKeepTheirText() throws IOException {
        Settings fromSet = SettingsLoader.load(null, urlsAnd("source.password=007", "source.user=1.50"));
        assertEquals("007", fromSet.source().password());
        assertEquals("1.50", fromSet.source().user());

        Path file = file("numbers.conf", URLS_HOCON + "fullload.target.password = 0123\nfullload.target.user = 1e3\n");
        Settings fromFile = SettingsLoader.load(file, List.of());
        assertEquals("0123", fromFile.target().password());
        assertEquals("1e3", fromFile.target().user());
    }

    /** Boundaries read as the numbers were written: 1e6 is 1000000 (not 1000000.0), and no digit is lost to a double. */
    @Test
    void parallelLoadBoundariesKeepTheirNumbersExact() throws IOException {
        Path file = file("ranges.conf", URLS_HOCON + """
                fullload.load.parallel-load = [
                  { table = "public.events", columns = ["id", "day"], boundaries = [[1e6, "2024-01-01"], [12345678901234567890, true], [0.50, 7], [12345678901234567.123, 8]] }
                ]
                """);
        Settings settings = SettingsLoader.load(file, List.of());
        assertEquals(List.of(List.of("1000000", "2024-01-01"), List.of("12345678901234567890", "true"), List.of("0.50", "7"),
                        List.of("12345678901234567.123", "8")),
                settings.load().parallelLoad().get(0).boundaries());

        Path nulls = file("null-range.conf", URLS_HOCON + """
                fullload.load.parallel-load = [ { table = "public.events", columns = ["id"], boundaries = [[null]] } ]
                """);
        SettingsException e = assertThrows(SettingsException.class, () -> SettingsLoader.load(nulls, List.of()));
        assertTrue(e.getMessage().contains("load.parallel-load[0].boundaries: a boundary value is a number, a string or a boolean,"
                + " not null or a list"), e.getMessage());
    }

    // ---- problems, all at once ----

    @Test
    void oneFileWithAnUnknownKeyABadEnumAndNoSourceUrlReportsAllThree() throws IOException {
        Path file = file("bad.conf", """
                fullload {
                  source { user = reader }
                  target.url = "jdbc:postgresql://h/t"
                  load {
                    target-table-prep-mode = DROP_ALL
                    batch-size = 100
                  }
                }
                """);

        SettingsException e = assertThrows(SettingsException.class, () -> SettingsLoader.load(file, List.of()));

        assertEquals(List.of(
                "fullload.load.batch-size: unknown setting (got 100)",
                "fullload.source.url: required, no value given",
                "fullload.load.target-table-prep-mode: expected one of DO_NOTHING, DROP_AND_CREATE, TRUNCATE_BEFORE_LOAD"
                        + " (got DROP_ALL)"), e.problems());
        assertTrue(e.getMessage().startsWith("the settings have 3 problems:"), e.getMessage());
    }

    @Test
    void aWrongTypeNamesTheKeyAndTheValue() throws IOException {
        Path file = file("type.conf", URLS_HOCON + "fullload.load.max-full-load-subtasks = \"many\"\n");
        SettingsException e = assertThrows(SettingsException.class, () -> SettingsLoader.load(file, List.of()));
        assertEquals(List.of("fullload.load.max-full-load-subtasks: expected a whole number (got \"many\")"), e.problems());
        assertEquals("the settings have 1 problem:" + System.lineSeparator()
                + "  - fullload.load.max-full-load-subtasks: expected a whole number (got \"many\")", e.getMessage());
    }

    @Test
    void rangesListsAndBooleansAreCheckedTogether() throws IOException {
        Path file = file("ranges.conf", URLS_HOCON + """
                fullload.source.fetch-size = 0
                fullload.source.lock-timeout = soon
                fullload.tables.include = ["nodot", "public.ok"]
                fullload.tables.exclude = "public.x"
                fullload.load.max-full-load-subtasks = 50
                fullload.transform.json-as-text = maybe
                """);
        SettingsException e = assertThrows(SettingsException.class, () -> SettingsLoader.load(file, List.of()));
        assertEquals(List.of(
                "fullload.source.fetch-size: expected a whole number from 1 up (got 0)",
                "fullload.source.lock-timeout: expected a duration such as 30s or 5m, or 0 (got \"soon\")",
                "fullload.tables.include: each pattern is schema.table, with % and _ wildcards (got nodot)",
                "fullload.tables.exclude: expected a list of schema.table patterns (got \"public.x\")",
                "fullload.load.max-full-load-subtasks: expected a whole number from 1 to 49 (got 50)",
                "fullload.transform.json-as-text: expected true or false (got \"maybe\")"), e.problems());
    }

    @Test
    void anEmptyIncludeListIsRefused() {
        SettingsException e = assertThrows(SettingsException.class,
                () -> SettingsLoader.load(null, urlsAnd("tables.include=[]")));
        assertEquals(List.of("fullload.tables.include: at least one schema.table pattern is needed (got [])"), e.problems());
    }

    @Test
    void anIncludeListOfOnlyRefusedPatternsIsNotCalledEmptyToo() {
        SettingsException e = assertThrows(SettingsException.class,
                () -> SettingsLoader.load(null, urlsAnd("tables.include=[\"actor\"]")));
        assertEquals(List.of("fullload.tables.include: each pattern is schema.table, with % and _ wildcards (got actor)"),
                e.problems());
    }

    @Test
    void aLockTimeoutIsADurationPostgreSqlCanTake() {
        assertEquals(0, SettingsLoader.load(null, urlsAnd("source.lock-timeout=0")).source().lockTimeoutMillis());
        assertEquals(1_500, SettingsLoader.load(null, urlsAnd("source.lock-timeout=1500ms")).source().lockTimeoutMillis());
        SettingsException e = assertThrows(SettingsException.class,
                () -> SettingsLoader.load(null, urlsAnd("source.lock-timeout=25d")));
        assertEquals(List.of("fullload.source.lock-timeout: expected a duration from 0 to 24d (got \"25d\")"), e.problems());
    }

    @Test
    void aTypoKeyGetsADidYouMean() {
        SettingsException e = assertThrows(SettingsException.class,
                () -> SettingsLoader.load(null, urlsAnd("load.trigger-mod=NONE")));
        assertEquals(List.of("fullload.load.trigger-mod: unknown setting (got \"NONE\");"
                + " did you mean fullload.load.trigger-mode?"), e.problems());
    }

    @Test
    void aTypoKeyInAFileGetsADidYouMeanToo() throws IOException {
        Path file = file("typo.conf", URLS_HOCON + "fullload.source.fetchsize = 10\n");
        SettingsException e = assertThrows(SettingsException.class, () -> SettingsLoader.load(file, List.of()));
        assertEquals(List.of("fullload.source.fetchsize: unknown setting (got 10); did you mean fullload.source.fetch-size?"),
                e.problems());
    }

    @Test
    void driverPropertiesAreFreeFormNotUnknownKeys() {
        Settings settings = SettingsLoader.load(null, urlsAnd("source.properties.tcpKeepAlive=true",
                "target.properties.options=\"-c statement_timeout=0\""));
        assertEquals(Map.of("tcpKeepAlive", "true"), settings.source().properties());
        assertEquals(Map.of("options", "-c statement_timeout=0"), settings.target().properties());
    }

    @Test
    void aNonPostgresqlTargetUrlIsRejected() {
        SettingsException e = assertThrows(SettingsException.class, () -> SettingsLoader.load(null, List.of(
                "source.url=" + SOURCE_URL, "target.url=jdbc:mysql://db:3306/app")));
        assertEquals(List.of("fullload.target.url: the target must be PostgreSQL, a jdbc:postgresql:// URL"
                + " (got jdbc:mysql://db:3306/app)"), e.problems());
    }

    @Test
    void aUrlThatIsNotJdbcIsRejected() {
        SettingsException e = assertThrows(SettingsException.class, () -> SettingsLoader.load(null, List.of(
                "source.url=postgres://db:5432/app", "target.url=" + TARGET_URL)));
        assertEquals(List.of("fullload.source.url: expected a JDBC URL starting with jdbc: (got postgres://db:5432/app)"),
                e.problems());
    }

    // ---- HOCON errors ----

    @Test
    void aMalformedFileGivesOneClearProblem() throws IOException {
        Path file = file("broken.conf", "fullload { source { url = \"x\" ");
        SettingsException e = assertThrows(SettingsException.class, () -> SettingsLoader.load(file, List.of()));
        assertEquals(List.of("settings file " + file + " is not valid HOCON: " + file
                + ": 1: Expecting close brace } or a comma, got end of file"), e.problems());
    }

    @Test
    void anUnquotedIncludeKeyGetsTheKeywordHint() throws IOException {
        Path file = file("include.conf", URLS_HOCON + "fullload.tables {\n  include = [\"public.a\"]\n}\n");
        SettingsException e = assertThrows(SettingsException.class, () -> SettingsLoader.load(file, List.of()));
        assertEquals(List.of("settings file " + file + " is not valid HOCON: " + file
                + ": 4: include keyword is not followed by a quoted string, but by: '='"
                + " (include is a HOCON keyword: write \"include\" = [...] in quotes, or tables.include = [...])"),
                e.problems());
    }

    @Test
    void aQuotedIncludeKeyIsFine() throws IOException {
        Path file = file("quoted.conf", URLS_HOCON + "fullload.tables {\n  \"include\" = [\"public.a\"]\n}\n");
        assertEquals(List.of("public.a"), texts(SettingsLoader.load(file, List.of()).tables().include()));
    }

    // ---- environment substitution ----

    @Test
    void anOptionalSubstitutionOfAnUnsetVariableFallsBackToNull() throws IOException {
        assertNull(System.getenv(UNSET_ENV), "precondition: " + UNSET_ENV + " is unset");
        String path = System.getenv("PATH");
        assertNotNull(path, "precondition: PATH is set");
        Path file = file("env.conf", URLS_HOCON
                + "fullload.source.password = ${?" + UNSET_ENV + "}\n"
                + "fullload.target.user = ${?PATH}\n");

        Settings settings = SettingsLoader.load(file, List.of());

        assertNull(settings.source().password());
        assertEquals(path, settings.target().user());
        assertTrue(settings.source().toString().contains(", password=none,"), settings.source().toString());
    }

    @Test
    void aRequiredSubstitutionOfAnUnsetVariableIsAProblem() throws IOException {
        assertNull(System.getenv(UNSET_ENV), "precondition: " + UNSET_ENV + " is unset");
        Path file = file("required.conf", URLS_HOCON + "fullload.source.password = ${" + UNSET_ENV + "}\n");
        SettingsException e = assertThrows(SettingsException.class, () -> SettingsLoader.load(file, List.of()));
        assertEquals(List.of("settings cannot be resolved: " + file + ": 3: Could not resolve substitution to a value: ${"
                + UNSET_ENV + "}"), e.problems());
    }

    // ---- passwords never shown ----

    @Test
    void aPasswordFromTheFileIsNeverShown() throws IOException {
        Path file = file("pw.conf", URLS_HOCON + "fullload.source.password = \"Hunter2-file\"\n"
                + "fullload.target.password = \"Tgt-Secret-9\"\n");
        Settings settings = SettingsLoader.load(file, List.of());
        assertEquals("Hunter2-file", settings.source().password());
        assertEquals("Tgt-Secret-9", settings.target().password());
        assertHidden(settings.toString(), "Hunter2-file", "Tgt-Secret-9");
        assertTrue(settings.toString().contains("password=\"***\""), settings.toString());
        assertHidden(settings.source().toString() + settings.target().toString(), "Hunter2-file", "Tgt-Secret-9");

        SettingsException e = assertThrows(SettingsException.class,
                () -> SettingsLoader.load(file, List.of("load.trigger-mode=SOMETIMES")));
        assertHidden(e.getMessage(), "Hunter2-file", "Tgt-Secret-9");
    }

    @Test
    void aPasswordFromSetIsNeverShown() {
        Settings settings = SettingsLoader.load(null, urlsAnd("source.password=S3t:pw/x@y", "fullload.target.password=T#pw"));
        assertEquals("S3t:pw/x@y", settings.source().password());
        assertEquals("T#pw", settings.target().password());
        assertHidden(settings.toString(), "S3t:pw/x@y", "T#pw");

        SettingsException e = assertThrows(SettingsException.class,
                () -> SettingsLoader.load(null, urlsAnd("source.password=S3t:pw/x@y", "load.max-full-load-subtasks=0")));
        assertHidden(e.getMessage(), "S3t:pw/x@y");
    }

    @Test
    void aPasswordOfTheWrongTypeIsNotShownEither() {
        SettingsException e = assertThrows(SettingsException.class,
                () -> SettingsLoader.load(null, urlsAnd("source.password=[LeakyList]")));
        assertEquals(List.of("fullload.source.password: expected a string (got ***)"), e.problems());
    }

    @Test
    void aMisspeltPasswordKeyDoesNotShowItsValue() {
        SettingsException e = assertThrows(SettingsException.class,
                () -> SettingsLoader.load(null, urlsAnd("source.pasword=Typo-Secret")));
        assertEquals(List.of("fullload.source.pasword: unknown setting (got ***); did you mean fullload.source.password?"),
                e.problems());
        assertHidden(e.getMessage(), "Typo-Secret");
    }

    @Test
    void aPasswordFileGivesItsFirstLineAndIsNeverShown() throws IOException {
        Path secret = file("secret.txt", "First-Line-Pw\nsecond line\n");
        Settings settings = SettingsLoader.load(null, urlsAnd("source.password-file=" + secret));
        assertEquals("First-Line-Pw", settings.source().password());
        assertHidden(settings.toString(), "First-Line-Pw", "second line");
        assertTrue(settings.toString().contains(secret.toString()), "the file's path may be shown, its content not");

        SettingsException e = assertThrows(SettingsException.class,
                () -> SettingsLoader.load(null, urlsAnd("target.password-file=" + secret, "load.trigger-mode=x")));
        assertHidden(e.getMessage(), "First-Line-Pw");
    }

    @Test
    void passwordAndPasswordFileTogetherAreAProblem() throws IOException {
        Path secret = file("secret.txt", "From-File\n");
        SettingsException e = assertThrows(SettingsException.class, () -> SettingsLoader.load(null,
                urlsAnd("source.password=Inline-Pw", "source.password-file=" + secret)));
        assertEquals(List.of("fullload.source.password-file: give either password or password-file, not both (got "
                + secret + ")"), e.problems());
        assertHidden(e.getMessage(), "Inline-Pw", "From-File");
    }

    @Test
    void anEmptyOrMissingPasswordFileIsAProblem() throws IOException {
        Path empty = file("empty.txt", "");
        Path missing = dir.resolve("missing.txt");
        SettingsException e = assertThrows(SettingsException.class, () -> SettingsLoader.load(null,
                urlsAnd("source.password-file=" + empty, "target.password-file=" + missing)));
        assertEquals(List.of(
                "fullload.source.password-file: the password file is empty (got " + empty + ")",
                "fullload.target.password-file: cannot read the password file (NoSuchFileException) (got " + missing + ")"),
                e.problems());
    }

    @Test
    void aPasswordInAUrlIsNeverShown() {
        Settings settings = SettingsLoader.load(null, List.of(
                "source.url=jdbc:postgresql://h:5432/app?user=u&password=Url-Secret&ssl=true",
                "target.url=" + TARGET_URL));
        assertEquals("jdbc:postgresql://h:5432/app?user=u&password=Url-Secret&ssl=true", settings.source().url());
        assertHidden(settings.toString(), "Url-Secret");
        assertTrue(settings.toString().contains("jdbc:postgresql://h:5432/app?user=u&password=***&ssl=true"),
                settings.toString());

        SettingsException e = assertThrows(SettingsException.class, () -> SettingsLoader.load(null, List.of(
                "source.url=" + SOURCE_URL, "target.url=jdbc:mysql://h/app?password=Url-Secret")));
        assertEquals(List.of("fullload.target.url: the target must be PostgreSQL, a jdbc:postgresql:// URL"
                + " (got jdbc:mysql://h/app?password=***)"), e.problems());
    }

    // ---- TLS ----

    @Test
    void withoutSslSettingsTheDriverKeepsItsDefaults() {
        Settings settings = SettingsLoader.load(null, URLS);
        assertEquals(TlsSettings.NONE, settings.source().tls());
        assertEquals(TlsSettings.NONE, settings.target().tls());
        assertFalse(settings.target().driverProperties().containsKey("sslmode"));
    }

    @Test
    void sslSettingsFromAFileBecomeDriverProperties() throws IOException {
        Path file = file("tls.conf", URLS_HOCON + """
                fullload.target.ssl {
                  mode = verify-full
                  root-cert = "/etc/pg-fullload/root.crt"
                  cert = "/etc/pg-fullload/client.crt"
                  key = "/etc/pg-fullload/client.pk8"
                  key-password = "Key-Secret-1"
                }
                fullload.source.ssl.mode = REQUIRE
                """);
        Settings settings = SettingsLoader.load(file, List.of());
        assertEquals(new TlsSettings("verify-full", "/etc/pg-fullload/root.crt", "/etc/pg-fullload/client.crt",
                "/etc/pg-fullload/client.pk8", "Key-Secret-1"), settings.target().tls());
        assertEquals("require", settings.source().tls().mode(), "the mode is lower-cased, as the driver expects");
        java.util.Properties properties = settings.target().driverProperties();
        assertEquals("verify-full", properties.getProperty("sslmode"));
        assertEquals("/etc/pg-fullload/root.crt", properties.getProperty("sslrootcert"));
        assertEquals("/etc/pg-fullload/client.crt", properties.getProperty("sslcert"));
        assertEquals("/etc/pg-fullload/client.pk8", properties.getProperty("sslkey"));
        assertEquals("Key-Secret-1", properties.getProperty("sslpassword"));
        assertHidden(settings.toString() + settings.target(), "Key-Secret-1");
        assertTrue(settings.toString().contains("key-password=\"***\""), settings.toString());
    }

    @Test
    void anUnknownSslModeIsAProblemNamingTheModes() {
        SettingsException e = assertThrows(SettingsException.class,
                () -> SettingsLoader.load(null, urlsAnd("target.ssl.mode=verify", "source.ssl.key-password=Bad-Key-Pw",
                        "source.ssl=[x]")));
        assertEquals(List.of("fullload.source.ssl: expected an object such as { mode = verify-full, root-cert = \"/path/root.crt\" }"
                        + " (got [\"x\"])",
                "fullload.target.ssl.mode: expected one of disable, allow, prefer, require, verify-ca, verify-full (got verify)"),
                e.problems());
        assertHidden(e.getMessage(), "Bad-Key-Pw");
    }

    @Test
    void anSslSettingAndTheSameDriverPropertyAreAConflict() {
        SettingsException e = assertThrows(SettingsException.class,
                () -> SettingsLoader.load(null, urlsAnd("source.ssl.mode=require", "source.properties.sslmode=disable",
                        "target.ssl.key-password=K", "target.properties.sslpassword=P")));
        assertEquals(List.of("fullload.source.ssl.mode and fullload.source.properties.sslmode set the same driver property:"
                        + " give only fullload.source.ssl.mode",
                "fullload.target.ssl.key-password and fullload.target.properties.sslpassword set the same driver property:"
                        + " give only fullload.target.ssl.key-password"), e.problems());
    }

    @Test
    void anSslSettingAndTheSameUrlParameterAreAConflict() {
        SettingsException e = assertThrows(SettingsException.class, () -> SettingsLoader.load(null, List.of(
                "source.url=" + SOURCE_URL, "target.url=" + TARGET_URL + "?tcpKeepAlive=true&sslmode=disable",
                "target.ssl.mode=verify-full")));
        assertEquals(List.of("fullload.target.ssl.mode and the sslmode parameter of fullload.target.url set the same driver"
                + " property, and the URL's would win: give only fullload.target.ssl.mode"), e.problems());
    }

    @Test
    void aTypoInAnSslKeyGetsADidYouMeanAndAMisspeltKeyPasswordStaysHidden() {
        SettingsException e = assertThrows(SettingsException.class,
                () -> SettingsLoader.load(null, urlsAnd("target.ssl.mod=require", "source.ssl.key-pasword=Typo-Key-Pw")));
        assertEquals(List.of("fullload.source.ssl.key-pasword: unknown setting (got ***); did you mean fullload.source.ssl.key-password?",
                "fullload.target.ssl.mod: unknown setting (got \"require\"); did you mean fullload.target.ssl.mode?"), e.problems());
        assertHidden(e.getMessage(), "Typo-Key-Pw");
    }

    private static void assertHidden(String text, String... secrets) {
        for (String secret : secrets) {
            assertFalse(text.contains(secret), () -> "\"" + secret + "\" shown in: " + text);
        }
    }
}
