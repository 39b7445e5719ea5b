package dev.pgfullload.config;

import java.util.List;

/** Settings that cannot be used, with every problem found, each naming its key and the bad value. */
public final class SettingsException extends RuntimeException {

    private final List<String> problems;

    public SettingsException(List<String> problems) {
        super(format(problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }

    private static String format(List<String> problems) {
        StringBuilder message = new StringBuilder("the settings have " + problems.size()
                + (problems.size() == 1 ? " problem" : " problems") + ":");
        for (String problem : problems) {
            message.append(System.lineSeparator()).append("  - ").append(problem);
        }
        return message.toString();
    }
}
