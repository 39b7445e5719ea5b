package dev.pgfullload.app;

import dev.pgfullload.config.SettingsException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The application arguments, the same under run-local.sh and spark-submit. */
public record CommandLine(Path configFile, List<String> overrides, boolean help) {

    static final String USAGE = """
            usage: pg-fullload [--config FILE] [--set key=value ...]
              --config FILE      settings file (HOCON, root `fullload`); -Dconfig.file=FILE works too
              --set key=value    override one setting, e.g. --set load.target-table-prep-mode=DROP_AND_CREATE
              --help             this text
            exit status: 0 all tables loaded, 2 bad settings, 3 preflight failed (nothing written),
                         4 one or more tables failed, 1 internal error""";

    public CommandLine {
        overrides = List.copyOf(overrides);
    }

    public static CommandLine parse(String[] args) {
        Path config = null;
        List<String> overrides = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        boolean help = false;
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
                default -> {
                    if (arg.startsWith("--config=")) {
                        config = Path.of(arg.substring("--config=".length()));
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
        if (!problems.isEmpty()) {
            throw new SettingsException(problems);
        }
        return new CommandLine(config, overrides, help);
    }
}
