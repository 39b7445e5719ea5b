package dev.pgfullload.testing;

import dev.pgfullload.app.FullLoadJob;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@link FullLoadJob#main} in a JVM of its own, as spark-submit or run-local.sh would start it, on the
 * test classpath and with the Spark JVM flags run-local.sh uses: for what the shared in-process Spark
 * session cannot show (event logging, whether Spark starts at all, the real exit status). Everything
 * the process prints, with Spark and pg-fullload logging at INFO, is kept.
 */
public final class JobProcess {

    private JobProcess() {
    }

    /** What the process did: its exit status and everything it wrote to stdout and to stderr. */
    public record Result(int status, String out, String err) {

        public String output() {
            return out + err;
        }
    }

    /**
     * @param directory where the log configuration and the captured output go
     * @param environment added to the child's environment (passwords travel this way, never as arguments)
     * @param systemProperties extra {@code -D} options, e.g. Spark's event log settings
     * @param arguments FullLoadJob's arguments
     */
    public static Result run(Path directory, Map<String, String> environment, Map<String, String> systemProperties,
                             List<String> arguments) {
        try {
            long id = System.nanoTime();
            Path out = directory.resolve("job-" + id + ".out");
            Path err = directory.resolve("job-" + id + ".err");
            Process process = start(directory, environment, systemProperties, arguments, out, err);
            if (!process.waitFor(3, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("FullLoadJob did not finish in 3 minutes:\n" + Files.readString(err));
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Starts FullLoadJob as {@link #run} does and returns at once, for a test that signals or kills the
     * process mid-load; stdout and stderr go to {@code out} and {@code err}.
     */
    public static Process start(Path directory, Map<String, String> environment, Map<String, String> systemProperties,
                                List<String> arguments, Path out, Path err) throws IOException {
        Path logConfig = directory.resolve("log4j2-info.properties");
        Files.writeString(logConfig, """
                rootLogger.level = info
                rootLogger.appenderRef.console.ref = console
                appender.console.type = Console
                appender.console.name = console
                appender.console.target = SYSTEM_ERR
                appender.console.layout.type = PatternLayout
                appender.console.layout.pattern = %d{HH:mm:ss} %-5p %c{1}: %m%n
                """);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(sparkJvmFlags());
        command.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx1g",
                "-Dlog4j2.configurationFile=" + logConfig,
                "-Dspark.master=local[2]", "-Dspark.driver.host=127.0.0.1", "-Dspark.driver.bindAddress=127.0.0.1",
                "-Dspark.ui.enabled=false"));
        systemProperties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-cp", classpath(), FullLoadJob.class.getName()));
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().putAll(environment);
        return builder.start();
    }

    /** The flags Spark needs on Java 17, kept once in the pom (spark.jvm.flags) and filtered into the test resources. */
    private static List<String> sparkJvmFlags() throws IOException {
        try (InputStream flags = JobProcess.class.getResourceAsStream("/spark-jvm-flags.txt")) {
            if (flags == null) {
                throw new IllegalStateException("spark-jvm-flags.txt is not on the test classpath");
            }
            return Arrays.stream(new String(flags.readAllBytes(), StandardCharsets.UTF_8).trim().split("\\s+")).toList();
        }
    }

    /** The test JVM's own classpath: pg-fullload, its tests and every dependency, Spark included. */
    private static String classpath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }
}
