package dev.pgfullload.testing;

import dev.pgfullload.app.FullLoadJob;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs {@link FullLoadJob} as a user would, on a generated settings file, and keeps what it printed. */
public final class TestingJob {

    private TestingJob() {
    }

    public record Outcome(int status, String out, String err, Path report) {
    }

    /** Writes a settings file for {@code sourceDatabase} to {@code targetDatabase} (both on the shared server). */
    public static Path settingsFile(Path directory, TestingPostgreSQL postgres, String sourceDatabase, String targetDatabase,
                                    String extra) {
        String admin = postgres.adminPassword() == null ? "" : "\n    password = \"" + postgres.adminPassword() + "\"";
        String text = """
                fullload {
                  source {
                    url = "%s"
                    user = "%s"%s
                  }
                  target {
                    url = "%s"
                    user = "%s"%s
                  }
                  report.path = "%s"
                }
                %s
                """.formatted(postgres.jdbcUrl(sourceDatabase), postgres.adminUser(), admin,
                postgres.jdbcUrl(targetDatabase), postgres.adminUser(), admin,
                directory.resolve("report.json").toString().replace("\\", "/"), extra);
        try {
            Path file = directory.resolve("settings-" + targetDatabase + ".conf");
            Files.writeString(file, text);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Outcome run(Path settings, String... overrides) {
        List<String> args = new ArrayList<>();
        for (String override : overrides) {
            args.add("--set");
            args.add(override);
        }
        return runArguments(settings, args.toArray(String[]::new));
    }

    /** Runs with {@code --config settings} and then {@code arguments} as they are ({@code --check}, {@code --set k=v} ...). */
    public static Outcome runArguments(Path settings, String... arguments) {
        TestingSpark.session();
        List<String> args = new ArrayList<>(List.of("--config", settings.toString()));
        args.addAll(List.of(arguments));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = FullLoadJob.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8),
                settings.resolveSibling("report.json"));
    }
}
