package dev.pgfullload.app;

import dev.pgfullload.config.SettingsException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The application arguments, the same under run-local.sh and spark-submit. */
public record CommandLine(Path configFile, List<String> overrides, boolean help, String runId, boolean repair,
                          boolean check) {

    static final String USAGE = """
            usage: pg-fullload [--config FILE] [--set key=value ...]
              --config FILE      settings file (HOCON, root `fullload`); -Dconfig.file=FILE works too
              --set key=value    override one setting, e.g. --set load.target-table-prep-mode=DROP_AND_CREATE
              --run-id ID        name the run; running again with the id of a run that did not finish resumes it
                                 (a scheduler can pass its own, e.g. Airflow's {{ run_id }})
              --repair           only switch back on the triggers a crashed run left disabled, then exit
              --check            discovery and preflight only: print the plan and every problem found, write
                                 nothing, start no Spark; exit 0 when the load could run, 3 when it would be refused
              --help             this text
            exit status: 0 all tables loaded (--check: no problem), 2 bad settings, 3 preflight failed (nothing written),
                         4 one or more tables failed, 1 internal error""";

    public CommandLine {
        overrides = List.copyOf(overrides);
    }

    public static CommandLine parse(String[] args) {
        Path config = null;
        List<String> overrides = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        boolean help = false;
        boolean repair = false;
        boolean check = false;
        String runId = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--config", "-c" -> {
                    if (i + 1 >= args.length) {
                        problems.add("--config needs a file");
                    } else {
                        config = Path.of(args[++i]);
                    }
                }
                case "--set", "-s" -> {
                    if (i + 1 >= args.length) {
                        problems.add("--set needs key=value");
                    } else {
                        overrides.add(args[++i]);
                    }
                }
                case "--help", "-h" -> help = true;
                case "--repair" -> repair = true;
                case "--check" -> check = true;
                case "--run-id" -> {
                    if (i + 1 >= args.length) {
                        problems.add("--run-id needs an id");
                    } else {
                        runId = args[++i];
                    }
                }
                default -> {
                    if (arg.startsWith("--config=")) {
                        config = Path.of(arg.substring("--config=".length()));
                    } else if (arg.startsWith("--run-id=")) {
                        runId = arg.substring("--run-id=".length());
                    } else if (arg.startsWith("--set=")) {
                        overrides.add(arg.substring("--set=".length()));
                    } else {
                        problems.add("unknown argument " + arg);
                    }
                }
            }
        }
        if (config == null && System.getProperty("config.file") != null) {
            config = Path.of(System.getProperty("config.file"));
        }
        if (check && repair) {
            problems.add("--check and --repair do not go together: --check writes nothing, --repair writes");
        }
        if (!problems.isEmpty()) {
            throw new SettingsException(problems);
        }
        if (runId != null && !runId.matches("[A-Za-z0-9._:+@-]{1,200}")) {
            problems.add("--run-id " + runId + ": use letters, digits and . _ : + @ - (at most 200)");
            throw new SettingsException(problems);
        }
        return new CommandLine(config, overrides, help, runId, repair, check);
    }
}
