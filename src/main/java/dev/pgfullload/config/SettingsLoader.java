package dev.pgfullload.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import dev.pgfullload.schema.IdentifierCase;
import dev.pgfullload.source.PartitionSizing;
import dev.pgfullload.source.TableReader;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Builds {@link Settings} from the defaults in {@code reference.conf}, a settings file and
 * {@code --set key=value} overrides, in that order of precedence (an override wins). Every problem is
 * collected and reported at once; nothing is started on settings that have one.
 */
public final class SettingsLoader {

    public static final String ROOT = "fullload";

    /** Objects whose keys are the user's own (driver properties), not settings of ours. */
    private static final Set<String> FREE_FORM_OBJECTS = Set.of(
            ROOT + ".source.properties", ROOT + ".target.properties");

    private static final Pattern SECRET_KEY = Pattern.compile("(?i).*(password|secret|token|credential).*");

    private SettingsLoader() {
    }

    /**
     * @param file the settings file, or null for defaults and overrides alone
     * @param overrides {@code key=value} pairs; a key without the {@code fullload.} root gets it
     */
    public static Settings load(Path file, List<String> overrides) {
        List<String> problems = new ArrayList<>();
        Config user = ConfigFactory.empty();
        if (file != null) {
            if (!Files.isRegularFile(file)) {
                throw new SettingsException(List.of("settings file " + file + " does not exist or is not a file"));
            }
            try {
                user = ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
            } catch (ConfigException e) {
                String hint = e.getMessage().contains("include keyword")
                        ? " (include is a HOCON keyword: write \"include\" = [...] in quotes, or tables.include = [...])" : "";
                throw new SettingsException(List.of("settings file " + file + " is not valid HOCON: " + e.getMessage() + hint));
            }
        }
        Config overridden = parseOverrides(overrides, problems).withFallback(user);
        Config reference = ConfigFactory.parseResources(SettingsLoader.class.getClassLoader(), "reference.conf");
        Config merged;
        try {
            merged = overridden.withFallback(reference).resolve(ConfigResolveOptions.defaults().setAllowUnresolved(false));
        } catch (ConfigException e) {
            problems.add("settings cannot be resolved: " + e.getMessage());
            throw new SettingsException(problems);
        }
        checkUnknownKeys(overridden.root(), reference.root(), "", problems);
        Settings settings = build(merged, problems);
        if (!problems.isEmpty()) {
            throw new SettingsException(problems);
        }
        return settings;
    }

    private static Config parseOverrides(List<String> overrides, List<String> problems) {
        Config result = ConfigFactory.empty();
        for (String override : overrides) {
            int equals = override.indexOf('=');
            if (equals <= 0) {
                problems.add("--set " + override + ": expected key=value");
                continue;
            }
            String key = override.substring(0, equals).trim();
            String value = override.substring(equals + 1);
            String path = key.startsWith(ROOT + ".") ? key : ROOT + "." + key;
            Config parsed = null;
            if (!hasComment(value)) {
                try {
                    parsed = ConfigFactory.parseString(quotePath(path) + " = " + value);
                } catch (ConfigException e) {
                    parsed = null;
                }
            }
            if (parsed == null || !parsed.hasPathOrNull(path)) {
                // Not a HOCON value (a URL with a colon, a password with a brace or a #): take it as a string.
                try {
                    parsed = ConfigFactory.empty().withValue(path, ConfigValueFactory.fromAnyRef(value, "--set " + key));
                } catch (ConfigException e) {
                    problems.add("--set " + key + ": not a valid key (" + e.getMessage() + ")");
                    continue;
                }
            }
            result = parsed.withFallback(result);
        }
        return result;
    }

    /** True when HOCON would read part of {@code value} as a comment (# or // outside quotes) and drop it. */
    private static boolean hasComment(String value) {
        boolean quoted = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (quoted) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == '#' || (c == '/' && i + 1 < value.length() && value.charAt(i + 1) == '/')) {
                return true;
            }
        }
        return false;
    }

    private static String quotePath(String path) {
        StringBuilder quoted = new StringBuilder();
        for (String element : path.split("\\.", -1)) {
            if (!quoted.isEmpty()) {
                quoted.append('.');
            }
            quoted.append(element.matches("[A-Za-z0-9_-]+") ? element : ConfigValueFactory.fromAnyRef(element).render());
        }
        return quoted.toString();
    }

    private static void checkUnknownKeys(ConfigObject given, ConfigObject known, String prefix, List<String> problems) {
        for (Map.Entry<String, ConfigValue> entry : given.entrySet()) {
            String path = prefix.isEmpty() ? entry.getKey() : prefix + "." + entry.getKey();
            ConfigValue knownValue = known.get(entry.getKey());
            if (knownValue == null) {
                String suggestion = suggestion(path);
                // A misspelt password key (source.pasword) still holds a password.
                String got = SECRET_KEY.matcher(suggestion).matches() ? "***" : render(path, entry.getValue());
                problems.add(path + ": unknown setting (got " + got + ")" + suggestion);
                continue;
            }
            if (FREE_FORM_OBJECTS.contains(path)) {
                continue;
            }
            if (entry.getValue() instanceof ConfigObject givenObject && knownValue instanceof ConfigObject knownObject) {
                checkUnknownKeys(givenObject, knownObject, path, problems);
            }
        }
    }

    private static String suggestion(String path) {
        Config reference = ConfigFactory.parseResources(SettingsLoader.class.getClassLoader(), "reference.conf");
        Set<String> knownPaths = new TreeSet<>();
        collectPaths(reference.root(), "", knownPaths);
        return knownPaths.stream()
                .min(Comparator.comparingInt(candidate -> editDistance(candidate, path)))
                .filter(best -> editDistance(best, path) <= Math.max(3, path.length() / 4))
                .map(best -> "; did you mean " + best + "?")
                .orElse("");
    }

    private static void collectPaths(ConfigObject object, String prefix, Set<String> paths) {
        for (Map.Entry<String, ConfigValue> entry : object.entrySet()) {
            String path = prefix.isEmpty() ? entry.getKey() : prefix + "." + entry.getKey();
            paths.add(path);
            if (entry.getValue() instanceof ConfigObject child && !FREE_FORM_OBJECTS.contains(path)) {
                collectPaths(child, path, paths);
            }
        }
    }

    static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private static Settings build(Config config, List<String> problems) {
        Reader reader = new Reader(config, problems);
        ConnectionSettings source = connection(reader, "source", true);
        ConnectionSettings target = connection(reader, "target", false);
        if (target != null && !target.url().startsWith("jdbc:postgresql:")) {
            problems.add(ROOT + ".target.url: the target must be PostgreSQL, a jdbc:postgresql:// URL (got " + target.redactedUrl() + ")");
        }
        List<TablePattern> include = reader.patterns("tables.include");
        List<TablePattern> exclude = reader.patterns("tables.exclude");
        if (include != null && include.isEmpty()) {
            problems.add(ROOT + ".tables.include: at least one schema.table pattern is needed (got [])");
        }
        PrepMode prepMode = reader.enumValue("load.target-table-prep-mode", PrepMode.class);
        TriggerMode triggerMode = reader.enumValue("load.trigger-mode", TriggerMode.class);
        int subtasks = reader.intValue("load.max-full-load-subtasks", 1, 49);
        int targetSessions = reader.intValue("load.max-target-sessions", 0, 10_000);
        Boolean pkAfter = reader.booleanValue("load.create-pk-after-full-load");
        Boolean createIndexes = reader.booleanValue("load.create-indexes");
        Boolean createForeignKeys = reader.booleanValue("load.create-foreign-keys");
        Boolean resetSequences = reader.booleanValue("load.reset-sequences");
        long rowsPerPartition = reader.longValue("load.rows-per-partition", 1);
        long bytesPerPartition = reader.bytesValue("load.bytes-per-partition");
        TableReader.Method readMethod = reader.enumValue("source.read-method", TableReader.Method.class);
        List<ParallelLoad> parallelLoad = reader.parallelLoad("load.parallel-load");
        if (readMethod == TableReader.Method.COPY && source != null && !source.url().startsWith("jdbc:postgresql:")) {
            problems.add(ROOT + ".source.read-method: COPY reads a PostgreSQL source; use JDBC for " + source.redactedUrl());
        }
        Boolean jsonAsText = reader.booleanValue("transform.json-as-text");
        IdentifierCase identifierCase = reader.enumValue("transform.identifier-case", IdentifierCase.class);
        Boolean extensionTypesAsText = reader.booleanValue("transform.extension-types-as-text");
        String reportPath = reader.requiredString("report.path");
        String controlSchema = reader.requiredString("control.schema");
        if (controlSchema != null && controlSchema.isEmpty()) {
            // PostgreSQL has no zero-length identifier: the run would fail only once it writes.
            reader.problem("control.schema", "a schema name is needed", "\"\"");
        }
        ValidationMode validationMode = reader.enumValue("validation.mode", ValidationMode.class);
        Boolean validateForeignKeys = reader.booleanValue("validation.foreign-keys");
        String violations = reader.optionalString("validation.foreign-key-violations");
        if (violations != null && !violations.equals("WARN") && !violations.equals("FAIL")) {
            reader.problem("validation.foreign-key-violations", "expected one of WARN, FAIL", violations);
        }
        TableErrorPolicy tableErrorPolicy = reader.enumValue("errors.table-error-policy", TableErrorPolicy.class);
        DataErrorPolicy dataErrorPolicy = reader.enumValue("errors.data-error-policy", DataErrorPolicy.class);
        long maxRejectedRows = reader.longValue("errors.max-rejected-rows", 0);
        if (!problems.isEmpty()) {
            return null;
        }
        return new Settings(source, readMethod, target, new TableSelection(include, exclude),
                new LoadSettings(prepMode, triggerMode, subtasks, pkAfter, createIndexes, createForeignKeys, resetSequences,
                        new PartitionSizing(rowsPerPartition, bytesPerPartition, PartitionSizing.MAX_PARTITIONS), parallelLoad,
                        targetSessions),
                jsonAsText, identifierCase, extensionTypesAsText, controlSchema, validationMode, validateForeignKeys,
                "FAIL".equals(violations), tableErrorPolicy,
                dataErrorPolicy, maxRejectedRows,
                Path.of(reportPath), redacted(config));
    }

    private static ConnectionSettings connection(Reader reader, String side, boolean isSource) {
        String url = reader.requiredString(side + ".url");
        String user = reader.optionalString(side + ".user");
        String password = reader.optionalString(side + ".password");
        String passwordFile = reader.optionalString(side + ".password-file");
        int fetchSize = isSource ? reader.intValue(side + ".fetch-size", 1, Integer.MAX_VALUE) : 0;
        Map<String, String> properties = reader.stringMap(side + ".properties");
        if (password != null && passwordFile != null) {
            reader.problem(side + ".password-file", "give either password or password-file, not both", passwordFile);
        } else if (passwordFile != null) {
            password = readPasswordFile(reader, side + ".password-file", passwordFile);
        }
        TlsSettings tls = tls(reader, side, url, properties);
        if (url == null || properties == null || tls == null) {
            return null;
        }
        if (!url.startsWith("jdbc:")) {
            reader.problem(side + ".url", "expected a JDBC URL starting with jdbc:", ConnectionSettings.redactUrl(url));
            return null;
        }
        long lockTimeout = isSource ? reader.millisValue(side + ".lock-timeout") : 0;
        return new ConnectionSettings(url, user, password, fetchSize, properties, tls, lockTimeout);
    }

    /**
     * {@code side.ssl}: each field becomes one pgjdbc property. The same property in {@code side.properties}
     * or in the URL too is a conflict (in the URL it would silently win: the driver's rule).
     */
    private static TlsSettings tls(Reader reader, String side, String url, Map<String, String> properties) {
        String key = side + ".ssl";
        if (reader.config().getIsNull(ROOT + "." + key)) {
            return TlsSettings.NONE;
        }
        ConfigValue object = reader.config().getValue(ROOT + "." + key);
        if (object.valueType() != ConfigValueType.OBJECT) {
            reader.problem(key, "expected an object such as { mode = verify-full, root-cert = \"/path/root.crt\" }",
                    object.render(ConfigRenderOptions.concise()));
            return null;
        }
        String mode = reader.optionalString(key + ".mode");
        String rootCert = reader.optionalString(key + ".root-cert");
        String cert = reader.optionalString(key + ".cert");
        String clientKey = reader.optionalString(key + ".key");
        String keyPassword = reader.optionalString(key + ".key-password");
        boolean valid = true;
        if (mode != null && !TlsSettings.MODES.contains(mode.toLowerCase(java.util.Locale.ROOT))) {
            reader.problem(key + ".mode", "expected one of " + String.join(", ", TlsSettings.MODES), mode);
            valid = false;
        }
        String[] names = {"mode", "root-cert", "cert", "key", "key-password"};
        String[] values = {mode, rootCert, cert, clientKey, keyPassword};
        for (int i = 0; i < names.length; i++) {
            String property = TlsSettings.DRIVER_PROPERTIES.get(i);
            if (values[i] != null && properties != null && properties.containsKey(property)) {
                reader.problems().add(ROOT + "." + key + "." + names[i] + " and " + ROOT + "." + side + ".properties."
                        + property + " set the same driver property: give only " + ROOT + "." + key + "." + names[i]);
                valid = false;
            } else if (values[i] != null && urlParameters(url).contains(property)) {
                reader.problems().add(ROOT + "." + key + "." + names[i] + " and the " + property + " parameter of "
                        + ROOT + "." + side + ".url set the same driver property, and the URL's would win: give only "
                        + ROOT + "." + key + "." + names[i]);
                valid = false;
            }
        }
        return valid ? new TlsSettings(mode, rootCert, cert, clientKey, keyPassword) : null;
    }

    /** The parameter names of a JDBC URL's query (the driver's names are case-sensitive). */
    private static Set<String> urlParameters(String url) {
        Set<String> names = new TreeSet<>();
        int query = url == null ? -1 : url.indexOf('?');
        if (query >= 0) {
            for (String parameter : url.substring(query + 1).split("&")) {
                int equals = parameter.indexOf('=');
                names.add(equals < 0 ? parameter : parameter.substring(0, equals));
            }
        }
        return names;
    }

    private static String readPasswordFile(Reader reader, String key, String file) {
        try {
            List<String> lines = Files.readAllLines(Path.of(file), StandardCharsets.UTF_8);
            if (lines.isEmpty()) {
                reader.problem(key, "the password file is empty", file);
                return null;
            }
            return lines.get(0);
        } catch (IOException e) {
            reader.problem(key, "cannot read the password file (" + e.getClass().getSimpleName() + ")", file);
            return null;
        }
    }

    /** The effective settings as HOCON, with every secret, also a password in a URL, replaced by "***". */
    private static String redacted(Config config) {
        Config shown = config.getConfig(ROOT).atPath(ROOT);
        for (Map.Entry<String, ConfigValue> entry : shown.entrySet()) {
            if (SECRET_KEY.matcher(entry.getKey()).matches() && !entry.getKey().endsWith("-file")) {
                shown = shown.withValue(entry.getKey(), ConfigValueFactory.fromAnyRef("***"));
            } else if (entry.getKey().endsWith(".url") && entry.getValue().valueType() == ConfigValueType.STRING) {
                shown = shown.withValue(entry.getKey(),
                        ConfigValueFactory.fromAnyRef(ConnectionSettings.redactUrl((String) entry.getValue().unwrapped())));
            }
        }
        return shown.root().render(ConfigRenderOptions.concise().setFormatted(true).setJson(false));
    }

    private static String render(String path, ConfigValue value) {
        if (SECRET_KEY.matcher(path).matches()) {
            return "***";
        }
        return value.render(ConfigRenderOptions.concise());
    }

    /** Typed reads that record a problem instead of stopping at the first. */
    private record Reader(Config config, List<String> problems) {

        void problem(String key, String what, Object got) {
            String path = ROOT + "." + key;
            problems.add(path + ": " + what + " (got " + (SECRET_KEY.matcher(key).matches() && !key.endsWith("-file") ? "***" : got) + ")");
        }

        String requiredString(String key) {
            String value = optionalString(key);
            if (value == null && config.getIsNull(ROOT + "." + key)) {
                problems.add(ROOT + "." + key + ": required, no value given");
            }
            return value;
        }

        String optionalString(String key) {
            String path = ROOT + "." + key;
            if (config.getIsNull(path)) {
                return null;
            }
            ConfigValue value = config.getValue(path);
            if (value.valueType() == ConfigValueType.OBJECT || value.valueType() == ConfigValueType.LIST) {
                problem(key, "expected a string", value.render(ConfigRenderOptions.concise()));
                return null;
            }
            // getString keeps a number's text as written: a password 007 stays "007", not "7".
            return config.getString(path);
        }

        int intValue(String key, int min, int max) {
            String path = ROOT + "." + key;
            try {
                int value = config.getInt(path);
                if (value < min || value > max) {
                    problem(key, "expected a whole number from " + min + (max == Integer.MAX_VALUE ? " up" : " to " + max), value);
                }
                return value;
            } catch (ConfigException.Missing | ConfigException.WrongType e) {
                problem(key, "expected a whole number", renderValue(path));
                return 0;
            }
        }

        long longValue(String key, long min) {
            String path = ROOT + "." + key;
            try {
                long value = config.getLong(path);
                if (value < min) {
                    problem(key, "expected a whole number from " + min + " up", value);
                }
                return value;
            } catch (ConfigException.Missing | ConfigException.WrongType e) {
                problem(key, "expected a whole number", renderValue(path));
                return 0;
            }
        }

        /** A duration such as 30s or 5m, in milliseconds; 0 for none. */
        long millisValue(String key) {
            String path = ROOT + "." + key;
            try {
                long value = config.getDuration(path, java.util.concurrent.TimeUnit.MILLISECONDS);
                if (value < 0 || value > Integer.MAX_VALUE) {
                    // PostgreSQL's lock_timeout is a 32-bit count of milliseconds (at most about 24 days).
                    problem(key, "expected a duration from 0 to 24d", renderValue(path));
                    return 0;
                }
                return value;
            } catch (ConfigException.Missing | ConfigException.WrongType | ConfigException.BadValue e) {
                problem(key, "expected a duration such as 30s or 5m, or 0", renderValue(path));
                return 0;
            }
        }

        long bytesValue(String key) {
            String path = ROOT + "." + key;
            try {
                long value = config.getBytes(path);
                if (value < 1) {
                    problem(key, "expected a positive size such as 128MB", value);
                }
                return value;
            } catch (ConfigException.Missing | ConfigException.WrongType | ConfigException.BadValue e) {
                problem(key, "expected a size such as 128MB", renderValue(path));
                return 0;
            }
        }

        Boolean booleanValue(String key) {
            String path = ROOT + "." + key;
            try {
                return config.getBoolean(path);
            } catch (ConfigException.Missing | ConfigException.WrongType e) {
                problem(key, "expected true or false", renderValue(path));
                return null;
            }
        }

        <E extends Enum<E>> E enumValue(String key, Class<E> type) {
            String value = optionalString(key);
            List<String> names = new ArrayList<>();
            for (E constant : type.getEnumConstants()) {
                names.add(constant.name());
                if (constant.name().equalsIgnoreCase(value)) {
                    return constant;
                }
            }
            problem(key, "expected one of " + String.join(", ", names), value);
            return null;
        }

        List<TablePattern> patterns(String key) {
            String path = ROOT + "." + key;
            List<String> texts;
            try {
                texts = config.getStringList(path);
            } catch (ConfigException.Missing | ConfigException.WrongType e) {
                problem(key, "expected a list of schema.table patterns", renderValue(path));
                return null;
            }
            List<TablePattern> patterns = new ArrayList<>();
            for (String text : texts) {
                try {
                    patterns.add(TablePattern.parse(text));
                } catch (IllegalArgumentException e) {
                    problem(key, "each pattern is schema.table, with % and _ wildcards", text);
                }
            }
            // A list whose every pattern was refused has had its problems said; null keeps it from being called empty too.
            return patterns.isEmpty() && !texts.isEmpty() ? null : patterns;
        }

        List<ParallelLoad> parallelLoad(String key) {
            String path = ROOT + "." + key;
            List<? extends Config> entries;
            try {
                entries = config.getConfigList(path);
            } catch (ConfigException.Missing | ConfigException.WrongType e) {
                problem(key, "expected a list of { table = \"schema.table\", columns = [...], boundaries = [[...], ...] }",
                        renderValue(path));
                return List.of();
            }
            List<ParallelLoad> result = new ArrayList<>();
            for (int i = 0; i < entries.size(); i++) {
                Config entry = entries.get(i);
                String where = key + "[" + i + "]";
                try {
                    for (String name : entry.root().keySet()) {
                        if (!Set.of("table", "columns", "boundaries").contains(name)) {
                            problem(where + "." + name, "unknown setting; the keys are table, columns and boundaries", name);
                        }
                    }
                    String table = entry.getString("table");
                    int dot = table.indexOf('.');
                    List<String> columns = entry.getStringList("columns");
                    List<List<String>> boundaries = new ArrayList<>();
                    for (ConfigValue boundary : entry.getList("boundaries")) {
                        List<String> values = new ArrayList<>();
                        for (ConfigValue value : boundary instanceof ConfigList list ? list : List.of(boundary)) {
                            String text = boundaryValue(value);
                            if (text == null) {
                                problem(where + ".boundaries", "a boundary value is a number, a string or a boolean, not null"
                                        + " or a list", boundary.render(ConfigRenderOptions.concise()));
                            } else {
                                values.add(text);
                            }
                        }
                        if (values.size() != columns.size()) {
                            problem(where + ".boundaries", "each boundary needs one value per column (" + columns.size() + ")",
                                    values);
                        }
                        boundaries.add(values);
                    }
                    if (dot <= 0 || dot == table.length() - 1) {
                        problem(where + ".table", "expected schema.table", table);
                    } else if (columns.isEmpty()) {
                        problem(where + ".columns", "at least one column is needed", columns);
                    } else {
                        result.add(new ParallelLoad(table.substring(0, dot), table.substring(dot + 1), columns, boundaries));
                    }
                } catch (ConfigException e) {
                    problem(where, "expected { table = \"schema.table\", columns = [...], boundaries = [[...], ...] }: "
                            + e.getMessage(), entry.root().render(ConfigRenderOptions.concise()));
                }
            }
            return result;
        }

        /**
         * A boundary value as the text its column's type reads: a number as its exact value (1e6 as
         * 1000000, digits past a double's precision kept), a string or a boolean as it is; null otherwise.
         */
        static String boundaryValue(ConfigValue value) {
            return switch (value.valueType()) {
                // As written in the file (a double would round a long decimal), in plain notation.
                case NUMBER -> new BigDecimal(value.atKey("v").getString("v")).toPlainString();
                case STRING -> (String) value.unwrapped();
                case BOOLEAN -> String.valueOf(value.unwrapped());
                default -> null;
            };
        }

        Map<String, String> stringMap(String key) {
            String path = ROOT + "." + key;
            Optional<ConfigObject> object;
            try {
                object = Optional.of(config.getObject(path));
            } catch (ConfigException.Missing | ConfigException.WrongType e) {
                problem(key, "expected an object of driver properties", renderValue(path));
                return null;
            }
            Map<String, String> result = new LinkedHashMap<>();
            object.get().forEach((name, value) -> result.put(name, String.valueOf(value.unwrapped())));
            return result;
        }

        private String renderValue(String path) {
            return config.hasPathOrNull(path) && !config.getIsNull(path)
                    ? config.getValue(path).render(ConfigRenderOptions.concise()) : "nothing";
        }
    }
}
