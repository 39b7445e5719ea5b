package dev.pgfullload.load;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The settings that decide what a run writes into the target, compared between the settings a run was
 * started with (the control table {@code runs.settings}) and those of an attempt that resumes it: a
 * resume with other values would finish the load as another load would, on top of what the first
 * attempt wrote.
 */
final class RunSettings {

    private static final Logger LOG = LoggerFactory.getLogger(RunSettings.class);

    /**
     * What selects the tables, prepares them, decides their definitions and the rows they get. Checks
     * of the outcome (validation, errors.max-rejected-rows, errors.table-error-policy) and how fast it
     * goes may change between attempts.
     */
    static final List<String> DECIDING = List.of(
            "source.url",
            "tables.include",
            "tables.exclude",
            "load.target-table-prep-mode",
            "load.trigger-mode",
            "load.create-pk-after-full-load",
            "load.create-indexes",
            "load.create-foreign-keys",
            "load.reset-sequences",
            "transform.json-as-text",
            "transform.identifier-case",
            "transform.extension-types-as-text",
            "errors.data-error-policy");

    private RunSettings() {
    }

    /**
     * The deciding settings whose values differ, each as {@code fullload.key (recorded, now current)},
     * in the order of their keys; empty when they match or the recorded text cannot be read.
     */
    static List<String> differences(String recorded, String current) {
        Config before;
        Config now;
        try {
            before = ConfigFactory.parseString(recorded);
            now = ConfigFactory.parseString(current);
        } catch (ConfigException e) {
            LOG.warn("The settings recorded for the run cannot be read, so they are not compared: {}", e.getMessage());
            return List.of();
        }
        List<String> differing = new ArrayList<>();
        for (String key : DECIDING.stream().sorted().toList()) {
            String path = "fullload." + key;
            String was = value(before, path);
            String is = value(now, path);
            if (!Objects.equals(was, is)) {
                differing.add(path + " (" + was + ", now " + is + ")");
            }
        }
        return differing;
    }

    private static String value(Config config, String path) {
        if (!config.hasPath(path)) {
            return "unset";
        }
        ConfigValue value = config.getValue(path);
        return value.valueType() == ConfigValueType.STRING ? (String) value.unwrapped() : value.render(ConfigRenderOptions.concise());
    }
}
