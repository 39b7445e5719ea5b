package dev.pgfullload.app;

import dev.pgfullload.config.Settings;
import dev.pgfullload.config.SettingsException;
import dev.pgfullload.config.SettingsLoader;
import dev.pgfullload.error.FailureCategory;
import dev.pgfullload.error.FullLoadException;
import java.util.List;
import dev.pgfullload.load.CheckReport;
import dev.pgfullload.load.FullLoad;
import dev.pgfullload.report.ReportWriter;
import dev.pgfullload.report.RunReport;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintStream;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The Spark application: {@code spark-submit --class dev.pgfullload.app.FullLoadJob pg-fullload-cluster.jar
 * --config FILE}. Exits with the status of {@link ExitCode}.
 */
public final class FullLoadJob {

    private static final Logger LOG = LoggerFactory.getLogger(FullLoadJob.class);
    static final String WHOLE_STAGE_CODEGEN = "spark.sql.codegen.wholeStage";
    static final String URL_STREAM_HANDLER_FACTORY = "spark.sql.defaultUrlStreamHandlerFactory.enabled";
    static final String REDACTION_REGEX = "spark.redaction.regex";
    static final String REDACTION_STRING_REGEX = "spark.redaction.string.regex";
    /** Spark's default, and credential. */
    static final String SECRET_KEYS = "(?i)secret|password|token|access[.]?key|credential";
    static final String PASSWORD_PARAMETER = "(?i)password=[^&;\\s]*";

    private FullLoadJob() {
    }

    public static void main(String[] args) {
        int status = run(args, System.out, System.err);
        org.apache.spark.sql.classic.SparkSession.getDefaultSession().foreach(session -> {
            session.stop();
            return null;
        });
        System.exit(status);
    }

    /** Runs the job and returns its exit status; the Spark session it used is left running for the caller. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Settings settings;
        CommandLine commandLine;
        try {
            commandLine = CommandLine.parse(args);
            if (commandLine.help()) {
                out.println(CommandLine.USAGE);
                return ExitCode.SUCCESS.status();
            }
            settings = SettingsLoader.load(commandLine.configFile(), commandLine.overrides());
        } catch (SettingsException e) {
            err.println("pg-fullload: " + e.getMessage());
            err.println(CommandLine.USAGE);
            return ExitCode.BAD_SETTINGS.status();
        }
        String runId = commandLine.runId() != null ? commandLine.runId() : newRunId();
        if (!commandLine.repair()) {
            // A run whose report cannot be written would leave its scheduler without it: refused before anything starts.
            String unwritable = ReportWriter.unwritable(settings.reportPath(), !commandLine.check());
            if (unwritable != null) {
                err.println("pg-fullload: " + SettingsLoader.ROOT + ".report.path: the report cannot be written to "
                        + settings.reportPath() + " (" + unwritable + ")");
                return ExitCode.BAD_SETTINGS.status();
            }
        }
        if (commandLine.check()) {
            // Discovery and preflight only: no Spark session, no report, nothing written.
            CheckReport check = new FullLoad(settings, runId).check();
            check.print(out);
            return check.passed() ? ExitCode.SUCCESS.status() : ExitCode.PREFLIGHT_FAILED.status();
        }
        if (commandLine.repair()) {
            try {
                List<String> repaired = new FullLoad(settings, runId).repair();
                out.println(repaired.isEmpty() ? "pg-fullload repair: no table was left with its triggers disabled"
                        : "pg-fullload repair:\n  " + String.join("\n  ", repaired));
                return ExitCode.SUCCESS.status();
            } catch (FullLoadException e) {
                err.println("pg-fullload: " + e.getMessage());
                return ExitCode.of(e.category()).status();
            }
        }
        LOG.info("pg-fullload run {} with settings:\n{}", runId, settings);
        RunReport report;
        try {
            report = new FullLoad(settings, runId).run(FullLoadJob::startSpark);
        } catch (RuntimeException e) {
            LOG.error("Run {} failed unexpectedly", runId, e);
            err.println("pg-fullload: internal error: " + e);
            return ExitCode.INTERNAL_ERROR.status();
        }
        ReportWriter.printTable(report, out);
        try {
            ReportWriter.writeJson(report, settings.reportPath());
            out.println("Report written to " + settings.reportPath().toAbsolutePath());
        } catch (IOException e) {
            err.println("pg-fullload: could not write the report to " + settings.reportPath() + ": " + e.getMessage());
            // The load's outcome stands, but a scheduler that reads the report must not take its absence for success.
            if (report.succeeded()) {
                return ExitCode.INTERNAL_ERROR.status();
            }
        }
        if (report.succeeded()) {
            return ExitCode.SUCCESS.status();
        }
        return ExitCode.of(FailureCategory.valueOf(report.failureCategory())).status();
    }

    static SparkSession startSpark() {
        // The classic builder directly: SparkSession.builder() first looks the implementation up through Scala's
        // runtime reflection, about 0.3 s of CPU on the way to the first row.
        org.apache.spark.sql.classic.SparkSession.Builder builder = org.apache.spark.sql.classic.SparkSession.builder()
                .appName("pg-fullload");
        SparkConf given = new SparkConf();
        for (Map.Entry<String, String> setting : sparkDefaults(given).entrySet()) {
            builder = builder.config(setting.getKey(), setting.getValue());
        }
        return builder.getOrCreate();
    }

    /**
     * The Spark settings pg-fullload starts its session with, each only where the user has not set it
     * (in {@code spark-submit --conf}, {@code spark-defaults.conf} or a system property):
     * <ul>
     * <li>{@code spark.sql.codegen.wholeStage = false}: a load's plans are a scan and nothing else, and
     * compiling them into Java code costs more than it saves;</li>
     * <li>{@code spark.sql.defaultUrlStreamHandlerFactory.enabled = false}: Spark would register Hadoop's
     * handler for hdfs:// URLs (for {@code ADD JAR} from HDFS, which a load never runs), and that loads
     * every Hadoop file system class on the way to the first row (about 20 ms);</li>
     * <li>the redaction of secrets, {@link #redactionSettings}.</li>
     * </ul>
     */
    static Map<String, String> sparkDefaults(SparkConf given) {
        Map<String, String> settings = new LinkedHashMap<>();
        if (!given.contains(WHOLE_STAGE_CODEGEN)) {
            settings.put(WHOLE_STAGE_CODEGEN, "false");
        }
        if (!given.contains(URL_STREAM_HANDLER_FACTORY)) {
            settings.put(URL_STREAM_HANDLER_FACTORY, "false");
        }
        settings.putAll(redactionSettings(given));
        return settings;
    }

    /**
     * Spark's redaction of secrets in its UI, event log and logs, where the user has not set it:
     * {@code spark.redaction.regex} hides the value of every setting, environment variable, system
     * property and data source option whose key (or value) matches: Spark's default
     * ({@code secret|password|token|access[.]?key}) already covers the COPY source's {@code password}
     * option and the TLS {@code property.sslpassword}; {@code credential} is added, as the settings
     * loader treats it as a secret too. {@code spark.redaction.string.regex} hides a
     * {@code password=...} parameter inside any text Spark redacts (a JDBC URL in a plan).
     */
    static Map<String, String> redactionSettings(SparkConf given) {
        Map<String, String> settings = new LinkedHashMap<>();
        if (!given.contains(REDACTION_REGEX)) {
            settings.put(REDACTION_REGEX, SECRET_KEYS);
        }
        if (!given.contains(REDACTION_STRING_REGEX)) {
            settings.put(REDACTION_STRING_REGEX, PASSWORD_PARAMETER);
        }
        return settings;
    }

    static String newRunId() {
        return "run-" + DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").format(ZonedDateTime.now(ZoneOffset.UTC))
                + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
