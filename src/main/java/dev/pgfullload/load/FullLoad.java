package dev.pgfullload.load;

import dev.pgfullload.config.Settings;
import dev.pgfullload.config.ConnectionSettings;
import dev.pgfullload.config.ParallelLoad;
import dev.pgfullload.config.ValidationMode;
import dev.pgfullload.error.Problem;
import dev.pgfullload.schema.TargetColumn;
import dev.pgfullload.source.PartitionSizing;
import dev.pgfullload.source.SourceColumn;
import dev.pgfullload.target.PrivilegeCheck;
import java.sql.Statement;
import dev.pgfullload.config.TriggerMode;
import dev.pgfullload.error.FailureCategory;
import dev.pgfullload.error.FullLoadException;
import dev.pgfullload.jdbc.Connections;
import dev.pgfullload.jdbc.SessionPool;
import dev.pgfullload.report.RunReport;
import dev.pgfullload.report.TableLoadResult;
import dev.pgfullload.report.TableState;
import dev.pgfullload.schema.SchemaTransformer;
import dev.pgfullload.schema.TargetTable;
import dev.pgfullload.source.ForeignKey;
import dev.pgfullload.source.SourceCatalog;
import dev.pgfullload.source.SourceDialect;
import dev.pgfullload.source.SourceTable;
import dev.pgfullload.source.ReadPartition;
import dev.pgfullload.config.TableErrorPolicy;
import java.util.Set;
import dev.pgfullload.source.TableName;
import dev.pgfullload.source.UserType;
import dev.pgfullload.target.Preflight;
import dev.pgfullload.target.PostLoad;
import dev.pgfullload.target.RunLocks;
import dev.pgfullload.schema.IdentifierCase;
import dev.pgfullload.target.TargetPreparer;
import dev.pgfullload.target.TriggerSwitch;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * A whole run on the driver: discovery, preflight, preparation, the tables loaded up to
 * {@code load.max-full-load-subtasks} at a time (largest first, parents first under trigger mode NONE),
 * and the report.
 */
public final class FullLoad {

    private static final Logger LOG = LoggerFactory.getLogger(FullLoad.class);

    private final Settings settings;
    private final String runId;
    private final ControlTables control;
    private volatile boolean stopping;
    /** Tables whose triggers this process switched off and has not switched back on yet. */
    private final Set<TableName> triggersOff = ConcurrentHashMap.newKeySet();
    /** The source snapshot the tables are read and counted in, while they load; null when the source has none. */
    private volatile String sourceSnapshot;
    /** The source's settings for the sessions that join {@link #sourceSnapshot}. */
    private volatile ConnectionSettings snapshotSource;

    /** Switches back on the triggers that crashed runs left off ({@code --repair}); returns what it did. */
    public List<String> repair() {
        try (Connection target = Connections.open(settings.target(), "target", "pg-fullload repair")) {
            return control.exists(target) ? repairTriggers(target, control) : List.of();
        } catch (SQLException e) {
            throw new FullLoadException(FailureCategory.TARGET_CONNECT, "repair failed: " + e.getMessage(), e);
        }
    }

    public FullLoad(Settings settings, String runId) {
        this.settings = requireNonNull(settings, "settings is null");
        this.runId = requireNonNull(runId, "runId is null");
        this.control = new ControlTables(settings.controlSchema());
    }

    /**
     * Runs the load. The Spark session is started in the background while the driver discovers and
     * prepares, and used only once the target is ready. Preflight runs first and finds every problem
     * it can; any problem stops the run before anything is written, and the report lists them all.
     */
    public RunReport run(Supplier<SparkSession> sparkStarter) {
        // SIGTERM (a scheduler cancelling the task) runs shutdown hooks; the table threads' finally blocks may not get to run.
        Thread onExit = new Thread(this::restoreTriggersOnExit, "pg-fullload-triggers-on-exit");
        Runtime.getRuntime().addShutdownHook(onExit);
        try {
            return load(sparkStarter);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(onExit);
            } catch (IllegalStateException exiting) {
                // The JVM is exiting: the hook runs.
            }
            // Sessions kept between tables (in local mode the executors' too) end with the run.
            SessionPool.closeIdle();
        }
    }

    private RunReport load(Supplier<SparkSession> sparkStarter) {
        Instant started = Instant.now();
        List<String> preparationActions = new ArrayList<>();
        CompletableFuture<SparkSession> spark = CompletableFuture.supplyAsync(sparkStarter);
        List<Problem> problems = new ArrayList<>();
        SourceDialect dialect = SourceDialect.forUrl(settings.source().url());
        Connection discoveryConnection = open(settings.source(), "source", "pg-fullload " + runId + " discovery", problems);
        Connection targetConnection = open(settings.target(), "target", "pg-fullload " + runId + " driver", problems);
        CompletableFuture<SourceSnapshot> snapshotStart = null;
        try (Connection discovery = discoveryConnection; Connection target = targetConnection) {
            Findings findings = preflight(dialect, discovery, target, problems);
            if (problems.isEmpty()) {
                // Held by this session until the run ends: a repair leaves this run's triggers alone, and a second
                // process with this run id, or another run loading one of these tables, is refused.
                problems.addAll(RunLocks.take(target, runId, findings.tables().stream().map(TargetTable::name).toList()));
            }
            if (!problems.isEmpty()) {
                return refused(started, problems);
            }
            discovery.close();
            // The source's snapshot is taken (and its tables locked) while Spark starts.
            snapshotStart = CompletableFuture.supplyAsync(() -> SourceSnapshot.open(dialect, settings.source(), runId,
                    findings.catalog().tables()));
            SourceCatalog catalog = findings.catalog();
            LOG.info("Selected {} tables: {}", catalog.tables().size(), catalog.tables().stream().map(table -> table.name()).toList());

            // Before the target changes: a source that cannot be reached now stops the run with the target untouched.
            SourceSnapshot heldSnapshot = joined(snapshotStart);
            boolean controlExists = control.exists(target);
            if (controlExists) {
                preparationActions.addAll(repairTriggers(target, control));
            }
            ControlTables.RunRecord previous = controlExists ? control.run(target, runId) : null;
            boolean resuming = previous != null && previous.prepared();
            if (previous != null) {
                LOG.info("Run {} was recorded before (state {}): {}", runId, previous.state(),
                        resuming ? "resuming it" : "it stopped before its preparation finished, which runs again");
                preparationActions.add("resumed run " + runId + ("failed".equals(previous.state())
                        ? " (its last attempt failed)" : " (it was " + previous.state() + ")"));
            }
            List<TargetTable> tables = findings.tables();
            List<TableName> names = tables.stream().map(TargetTable::name).toList();
            TriggerMode triggerMode = settings.load().triggerMode();
            TargetPreparer.Preparation preparation;
            if (resuming) {
                control.startRun(target, runId, settings.toString());
                // The target was prepared by the run's first attempt: preparing again would undo loaded tables.
                Set<TableName> created = control.createdTables(target, runId).stream()
                        .map(name -> names.stream().filter(candidate -> candidate.toString().equals(name)).findFirst().orElse(null))
                        .filter(Objects::nonNull).collect(Collectors.toSet());
                // Which types the first attempt created is not recorded: those of the tables it created stand for them
                // (a NOT VALID domain constraint is added only where the target's domain lacks it).
                preparation = new TargetPreparer.Preparation(Set.of(), created, List.of(), List.of(), TargetPreparer.userTypes(
                        tables.stream().filter(table -> created.contains(table.name())).toList()));
            } else {
                // Refusals that depend on the target's tables run inside preparation, before it changes anything.
                preparation = TargetPreparer.prepare(target, tables,
                        settings.load().targetTablePrepMode(), settings.load().createPkAfterFullLoad(), (kept, targetKeys) -> {
                            if (triggerMode == TriggerMode.NONE) {
                                List<ForeignKey> keys = new ArrayList<>(sourceKeysInTarget(catalog, tables));
                                keys.addAll(targetKeys);
                                LoadOrder.parentsFirst(names, keys);
                            }
                            if (triggerMode == TriggerMode.DISABLE_TRIGGERS) {
                                TriggerSwitch.checkCanDisable(target, kept);
                            }
                            // Every check passed: the run is recorded in the preparation's own transaction.
                            control.ensure(target);
                            control.startRun(target, runId, settings.toString());
                        });
                for (TargetTable table : tables) {
                    control.pending(target, runId, table.source().name(), table.name(), preparation.created().contains(table.name()));
                }
                control.markPrepared(target, runId);
            }
            preparationActions.addAll(preparation.actions());
            LoadOrder order = LoadOrder.unordered(names);
            if (settings.load().triggerMode() == TriggerMode.NONE) {
                List<ForeignKey> keys = new ArrayList<>(sourceKeysInTarget(catalog, tables));
                keys.addAll(preparation.foreignKeys());
                order = LoadOrder.parentsFirst(names, keys);
            }
            SparkSession session = spark.join();
            List<TableLoadResult> results;
            try (SourceSnapshot snapshot = heldSnapshot) {
                sourceSnapshot = snapshot.name();
                snapshotSource = snapshot.source();
                TableLoader loader = new TableLoader(session, dialect, snapshot.source(), settings.target(),
                        settings.load().triggerMode(), runId, settings.readMethod(), settings.load().partitionSizing(),
                        settings.load().parallelLoad(), control.partitionsTable(), control.rejectsTable(),
                        settings.dataErrorPolicy(), settings.maxRejectedRows(), snapshot.name(), settings.load().maxTargetSessions());
                results = loadAll(tables, order, loader, preparation.created());
            }
            results = addDomainConstraints(target, tables, preparation.createdTypes(), results);
            if (settings.load().createForeignKeys()) {
                results = addForeignKeys(target, catalog, tables, preparation.created(), results);
            }
            if (settings.validateForeignKeys() && triggerMode != TriggerMode.NONE) {
                results = checkForeignKeys(target, sourceKeysInTarget(catalog, tables), results, preparationActions);
            }
            List<String> leftOver = unfinishedElsewhere(target, results);
            boolean succeeded = leftOver.isEmpty() && results.stream().allMatch(result -> result.state() == TableState.LOADED);
            control.finishRun(target, runId, succeeded);
            return new RunReport(runId, started, Instant.now(), succeeded,
                    succeeded ? null : FailureCategory.LOAD.name(),
                    succeeded ? null : !leftOver.isEmpty() ? "run " + runId + " has tables that this attempt did not load and"
                            + " that are not finished: " + String.join(", ", leftOver)
                            : "one or more tables were not loaded", preparationActions, results, settings.toString());
        } catch (SQLException e) {
            return failed(started, preparationActions, new FullLoadException(FailureCategory.LOAD, e.getMessage(), e));
        } catch (FullLoadException e) {
            return failed(started, preparationActions, e);
        } finally {
            if (snapshotStart != null) {
                // A run that stopped before its tables (a refused preparation) ends the snapshot's session too.
                snapshotStart.thenAccept(SourceSnapshot::close);
            }
        }
    }

    /**
     * Tables recorded for this run that are not among this attempt's and did not finish: a run is never
     * marked succeeded while one of its tables is not loaded.
     */
    private List<String> unfinishedElsewhere(Connection target, List<TableLoadResult> results) throws SQLException {
        Set<String> attempted = new HashSet<>();
        results.forEach(result -> attempted.add(result.target()));
        List<String> unfinished = new ArrayList<>();
        control.tables(target, runId).forEach((name, record) -> {
            if (!attempted.contains(name) && record.state() != ControlTables.State.LOADED
                    && record.state() != ControlTables.State.VALIDATED) {
                unfinished.add(name + " (" + record.state() + ")");
            }
        });
        return unfinished;
    }

    private static SourceSnapshot joined(CompletableFuture<SourceSnapshot> start) {
        try {
            return start.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof FullLoadException failure) {
                throw failure;
            }
            throw new FullLoadException(FailureCategory.LOAD, "could not take the source's snapshot: " + describe(e.getCause()),
                    e.getCause());
        }
    }

    /**
     * The load bypassed foreign keys: count the rows of loaded tables that break one, report each, and
     * with {@code validation.foreign-key-violations = FAIL} fail the referencing table.
     */
    private List<TableLoadResult> checkForeignKeys(Connection target, List<ForeignKey> sourceKeys, List<TableLoadResult> results,
                                                   List<String> notes) throws SQLException {
        Set<TableName> loaded = new HashSet<>();
        Map<TableName, TableState> states = new LinkedHashMap<>();
        for (TableLoadResult result : results) {
            TableName name = TableName.parse(result.target());
            states.put(name, result.state());
            if (result.state() == TableState.LOADED) {
                loaded.add(name);
            }
        }
        // A key with a table that was not loaded cannot be judged: the check names it rather than pass it as clean.
        List<ForeignKey> keys = new ArrayList<>(Validator.foreignKeysBetween(target, states.keySet()));
        keys.addAll(sourceKeys);
        Set<String> unchecked = new LinkedHashSet<>();
        for (ForeignKey key : keys) {
            List<String> notLoaded = Stream.of(key.referenced(), key.referencing()).distinct()
                    .filter(name -> states.containsKey(name) && !loaded.contains(name))
                    .map(name -> name + " " + (states.get(name) == TableState.SKIPPED ? "was skipped" : "failed")).toList();
            if (!notLoaded.isEmpty()) {
                unchecked.add("foreign key " + key.name() + " of " + key.referencing() + " (to " + key.referenced()
                        + ") was not checked: " + String.join(" and ", notLoaded));
            }
        }
        for (String line : unchecked) {
            LOG.warn("Foreign key check: {}", line);
            notes.add("foreign key check: " + line);
        }
        List<Validator.ForeignKeyViolation> violations = Validator.foreignKeyViolations(target, loaded);
        Map<String, TableLoadResult> byTarget = new LinkedHashMap<>();
        results.forEach(result -> byTarget.put(result.target(), result));
        for (Validator.ForeignKeyViolation violation : violations) {
            String line = violation.rows() + " rows of " + violation.table() + " break foreign key " + violation.constraint()
                    + " (no matching row in " + violation.referenced() + ")";
            LOG.warn("Foreign key check: {}", line);
            notes.add("foreign key check: " + line);
            if (settings.failOnForeignKeyViolations()) {
                TableLoadResult result = byTarget.get(violation.table().toString());
                byTarget.put(result.target(), result.withState(TableState.FAILED, "foreign key check: " + line));
            }
        }
        if (violations.isEmpty() && unchecked.isEmpty() && !loaded.isEmpty()) {
            notes.add("foreign key check: no row of the loaded tables breaks a foreign key between them");
        }
        return List.copyOf(byTarget.values());
    }

    /**
     * {@code --check}: discovery and preflight only, on sessions that cannot write
     * ({@code default_transaction_read_only}). Returns the plan and every problem found; starts no Spark
     * session and writes nothing, neither to the target nor a report.
     */
    public CheckReport check() {
        List<Problem> problems = new ArrayList<>();
        SourceDialect dialect = SourceDialect.forUrl(settings.source().url());
        Connection sourceConnection = readOnly(open(settings.source(), "source", "pg-fullload check", problems));
        Connection targetConnection = readOnly(open(settings.target(), "target", "pg-fullload check", problems));
        try (Connection source = sourceConnection; Connection target = targetConnection) {
            Findings findings = preflight(dialect, source, target, problems);
            if (target != null && findings.tables() != null) {
                try {
                    problems.addAll(RunLocks.check(target, runId, findings.tables().stream().map(TargetTable::name).toList()));
                } catch (SQLException e) {
                    problems.add(Problem.preflight("a preflight query failed: " + describe(e)));
                }
            }
            List<CheckReport.PlannedTable> plan = new ArrayList<>();
            int cores = plannedCores(new SparkConf());
            if (findings.tables() != null) {
                for (TargetTable table : findings.tables()) {
                    plan.add(planned(dialect, source, table, findings, cores, problems));
                }
            }
            return new CheckReport(settings.source().redactedUrl(), settings.target().redactedUrl(),
                    settings.load().targetTablePrepMode(), settings.load().triggerMode(), findings.resuming() ? runId : null,
                    cores, plan, problems.stream().map(Problem::message).toList());
        } catch (SQLException e) {
            // Closing a session failed; what was found stands.
            return new CheckReport(settings.source().redactedUrl(), settings.target().redactedUrl(),
                    settings.load().targetTablePrepMode(), settings.load().triggerMode(), null, 0, List.of(),
                    problems.stream().map(Problem::message).toList());
        }
    }

    /**
     * The cores a run of these settings would round a split table's read partitions to, as far as the
     * driver can tell without starting Spark: {@code spark.default.parallelism} when set, the thread
     * count of a local master, else 2 (a cluster's cores are known only once it runs).
     */
    static int plannedCores(SparkConf conf) {
        if (conf.contains("spark.default.parallelism")) {
            return Math.max(1, conf.getInt("spark.default.parallelism", 2));
        }
        java.util.regex.Matcher local = java.util.regex.Pattern.compile("local\\[(\\d+|\\*)(,\\d+)?]")
                .matcher(conf.get("spark.master", "local[*]"));
        if (local.matches()) {
            return "*".equals(local.group(1)) ? Runtime.getRuntime().availableProcessors() : Math.max(1, Integer.parseInt(local.group(1)));
        }
        return "local".equals(conf.get("spark.master", "")) ? 1 : 2;
    }

    private CheckReport.PlannedTable planned(SourceDialect dialect, Connection source, TargetTable table, Findings findings,
                                             int cores, List<Problem> problems) {
        String preparation;
        if (findings.inspection() == null) {
            preparation = "unknown (the target was not inspected)";
        } else if (findings.resuming()) {
            preparation = "none (prepared by the first attempt of run " + runId + ")";
        } else {
            boolean exists = findings.inspection().existing().containsKey(table.name());
            preparation = !exists ? "create" : switch (settings.load().targetTablePrepMode()) {
                case DROP_AND_CREATE -> "drop and create";
                case TRUNCATE_BEFORE_LOAD -> "truncate";
                case DO_NOTHING -> "keep (rows are added)";
            };
        }
        // A kept table keeps its own column types: the source's changes (json-as-text ...) are not made to it.
        boolean kept = findings.inspection() != null && !findings.resuming() && findings.inspection().kept().contains(table.name());
        List<String> typeChanges = new ArrayList<>();
        for (TargetColumn column : table.columns()) {
            if (column.typeChanged() && !kept) {
                String sourceType = table.source().columns().stream().filter(candidate -> candidate.name().equals(column.sourceName()))
                        .map(SourceColumn::typeName).findFirst().orElse("?");
                typeChanges.add(column.name() + " " + sourceType + " -> " + column.typeName());
            }
        }
        PartitionSizing sizing = settings.load().partitionSizing().roundedTo(cores);
        int partitions = sizing.partitions(table.source().estimatedRows(), table.source().estimatedBytes());
        if (source != null) {
            ParallelLoad ranges = settings.load().parallelLoad().stream()
                    .filter(given -> given.isFor(table.source().name())).findFirst().orElse(null);
            try {
                partitions = dialect.planPartitions(source, table.source(), sizing, ranges).size();
            } catch (FullLoadException e) {
                problems.add(Problem.of(e));
            } catch (SQLException e) {
                // Planning reads a sample of the key; without it, the count the estimates give.
                LOG.debug("Could not plan the read of {}: {}", table.source().name(), e.getMessage());
            }
        }
        return new CheckReport.PlannedTable(table.source().name().toString(), table.name().toString(), preparation,
                settings.load().triggerMode().name(), table.source().estimatedRows(), partitions, typeChanges,
                kept ? findings.inspection().typeDifferences().getOrDefault(table.name(), List.of()) : List.of());
    }

    /** A session that refuses to write: --check must leave both databases as they were. */
    private static Connection readOnly(Connection connection) {
        if (connection != null) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET default_transaction_read_only = on");
            } catch (SQLException e) {
                LOG.warn("Could not make the check's session read-only: {}", e.getMessage());
            }
        }
        return connection;
    }

    /** Opens a session, or records why it could not be opened and returns null. */
    private static Connection open(ConnectionSettings connection, String side, String applicationName, List<Problem> problems) {
        try {
            return Connections.open(connection, side, applicationName);
        } catch (FullLoadException e) {
            problems.add(Problem.of(e));
            return null;
        }
    }

    /**
     * What preflight found.
     *
     * @param catalog the selected source tables, or null when the source could not be read
     * @param tables the selected tables as the target gets them (those that could be transformed), or null
     * @param inspection what preparation would find in the target, or null when the target could not be inspected
     * @param resuming the run id names a run whose preparation finished: it resumes, and preparation is skipped
     */
    private record Findings(SourceCatalog catalog, List<TargetTable> tables, TargetPreparer.Inspection inspection,
                            boolean resuming) {
    }

    /**
     * Every check before the first write, on the sessions that could be opened (null for one that could
     * not): the selected tables and the source user's right to read them; the target's version, the
     * user's role and privileges for what the settings will do, the replica role tried for real; and
     * every refusal preparation would make. Adds each problem found to {@code problems}; writes nothing.
     */
    private Findings preflight(SourceDialect dialect, Connection source, Connection target, List<Problem> problems) {
        SourceCatalog catalog = null;
        List<TargetTable> tables = null;
        TargetPreparer.Inspection inspection = null;
        boolean resuming = false;
        try {
            if (source != null) {
                try {
                    catalog = dialect.discover(source, settings.tables());
                } catch (SQLException e) {
                    if (!"55P03".equals(e.getSQLState())) {
                        throw e;
                    }
                    problems.add(Problem.preflight("reading the source's catalog " + SourceDialect.lockWait(
                            settings.source().lockTimeoutMillis(), dialect.exclusiveLockHolders(source)) + ": let that statement"
                            + " end (or end its session), then run the load again; source.lock-timeout sets how long to wait"));
                    return new Findings(null, null, null, false);
                }
                if (catalog.tables().isEmpty()) {
                    problems.add(Problem.preflight("no source table matches tables.include " + settings.tables().include()
                            + " (minus tables.exclude " + settings.tables().exclude()
                            + "): check the patterns (schema.table, % and _ wildcards, case-sensitive)"));
                } else {
                    problems.addAll(dialect.readProblems(source, catalog.tables()));
                    problems.addAll(parallelLoadProblems(dialect, source, catalog));
                    problems.addAll(inheritanceProblems(catalog));
                }
            }
            boolean haveTables = catalog != null && !catalog.tables().isEmpty();
            if (target == null) {
                if (haveTables) {
                    // The target's extensions are unknown: every extension type is taken as available there.
                    Set<String> extensions = new HashSet<>();
                    catalog.tables().forEach(table -> table.columns().stream().map(SourceColumn::extension)
                            .filter(Objects::nonNull).forEach(extensions::add));
                    tables = transform(catalog, extensions, problems);
                }
                return new Findings(catalog, tables, null, false);
            }
            List<Problem> basics = Preflight.check(target, settings.load().triggerMode());
            problems.addAll(basics);
            if (Preflight.serverVersion(target) < Preflight.OLDEST_TARGET_VERSION) {
                return new Findings(catalog, null, null, false);
            }
            PrivilegeCheck.Needs needs = needs(true);
            if (!haveTables) {
                problems.addAll(PrivilegeCheck.check(target, List.of(), Set.of(), List.of(), List.of(), needs));
                return new Findings(catalog, null, null, false);
            }
            tables = transform(catalog, Preflight.installedExtensions(target), problems);
            inspection = TargetPreparer.inspect(target, tables, settings.load().targetTablePrepMode());
            resuming = resuming(target);
            problems.addAll(runIdProblems(target));
            if (!resuming) {
                problems.addAll(inspection.problems());
                if (source != null) {
                    problems.addAll(typeChangeProblems(dialect, source, tables, inspection));
                }
                List<TableName> names = tables.stream().map(TargetTable::name).toList();
                if (settings.load().triggerMode() == TriggerMode.NONE) {
                    List<ForeignKey> keys = new ArrayList<>(sourceKeysInTarget(catalog, tables));
                    keys.addAll(inspection.foreignKeys());
                    try {
                        LoadOrder.parentsFirst(names, keys);
                    } catch (FullLoadException e) {
                        problems.add(Problem.of(e));
                    }
                }
                if (settings.load().triggerMode() == TriggerMode.DISABLE_TRIGGERS) {
                    try {
                        TriggerSwitch.checkCanDisable(target, inspection.kept());
                    } catch (FullLoadException e) {
                        problems.add(Problem.of(e));
                    }
                }
                if (settings.load().triggerMode() == TriggerMode.SESSION_REPLICATION_ROLE) {
                    problems.addAll(TriggerSwitch.replicaRoleProblems(target, inspection.kept()));
                }
            }
            problems.addAll(PrivilegeCheck.check(target, tables, inspection.existing().keySet(), inspection.foreignKeys(),
                    sourceKeysInTarget(catalog, tables), needs(!resuming)));
        } catch (SQLException e) {
            problems.add(Problem.preflight("a preflight query failed: " + describe(e)));
        }
        return new Findings(catalog, tables, inspection, resuming);
    }

    /**
     * The hand-given read partitions, checked before anything is written: each names a selected table
     * (exactly as the source spells it), and its columns and boundaries fit that table.
     */
    private List<Problem> parallelLoadProblems(SourceDialect dialect, Connection source, SourceCatalog catalog) throws SQLException {
        List<Problem> problems = new ArrayList<>();
        for (ParallelLoad ranges : settings.load().parallelLoad()) {
            SourceTable table = catalog.tables().stream().filter(candidate -> ranges.isFor(candidate.name())).findFirst().orElse(null);
            if (table == null) {
                problems.add(Problem.preflight("load.parallel-load names table " + ranges.schema() + "."
                        + ranges.table() + ", which is not among the selected tables (" + catalog.tables().size()
                        + " selected by tables.include and tables.exclude): spell it schema.table as the source does"
                        + " (case-sensitive), or select it"));
                continue;
            }
            dialect.rangeProblems(source, table, ranges).forEach(problem -> problems.add(Problem.preflight(problem)));
        }
        return problems;
    }

    /** A table with children by inheritance loads with all of them selected, or none: not some of each. */
    private static List<Problem> inheritanceProblems(SourceCatalog catalog) {
        List<Problem> problems = new ArrayList<>();
        for (SourceTable table : catalog.tables()) {
            SourceTable.Children children = table.children();
            if (!children.selected().isEmpty() && !children.notSelected().isEmpty()) {
                problems.add(Problem.preflight("table " + table.name() + " has children by inheritance (INHERITS), of which "
                        + children.selected() + " are selected and " + children.notSelected() + " are not: select all of them"
                        + " (each then loads on its own and " + table.name() + " with its own rows) or none (" + table.name()
                        + " then takes their rows), with tables.include and tables.exclude"));
            }
        }
        return problems;
    }

    private PrivilegeCheck.Needs needs(boolean preparing) {
        return new PrivilegeCheck.Needs(settings.load().targetTablePrepMode(), settings.load().triggerMode(), preparing,
                settings.validationMode() != ValidationMode.NONE, settings.load().resetSequences(),
                settings.load().createForeignKeys(), settings.validateForeignKeys() && settings.load().triggerMode() != TriggerMode.NONE,
                settings.controlSchema(), ControlTables.TABLE_NAMES);
    }

    /**
     * Indexes, CHECK constraints and generated columns of the tables to be created that use a column whose
     * type changes (json as text, an extension's type as text) and would not work on its new type.
     */
    private List<Problem> typeChangeProblems(SourceDialect dialect, Connection source, List<TargetTable> tables,
                                             TargetPreparer.Inspection inspection) throws SQLException {
        List<Problem> problems = new ArrayList<>();
        for (TargetTable table : tables) {
            if (settings.load().targetTablePrepMode() != dev.pgfullload.config.PrepMode.DROP_AND_CREATE
                    && inspection.existing().containsKey(table.name())) {
                continue;
            }
            Map<String, SourceDialect.TypeChange> changes = new LinkedHashMap<>();
            for (TargetColumn column : table.columns()) {
                if (!column.typeChanged()) {
                    continue;
                }
                SourceColumn original = table.source().columns().stream()
                        .filter(candidate -> candidate.name().equals(column.sourceName())).findFirst().orElseThrow();
                changes.put(original.name(), original.kind() == dev.pgfullload.source.ColumnKind.JSON
                        ? new SourceDialect.TypeChange(column.typeName(), "transform.json-as-text",
                        "set transform.json-as-text = false to keep json and jsonb, or exclude the table")
                        : new SourceDialect.TypeChange(column.typeName(), "transform.extension-types-as-text",
                        "run CREATE EXTENSION " + original.extension() + " in the target so the column keeps its type, or exclude the table"));
            }
            if (!changes.isEmpty()) {
                problems.addAll(dialect.typeChangeProblems(source, table.source(), changes));
            }
        }
        return problems;
    }

    /** The tables as the target gets them; a table that cannot be transformed is a problem, and left out. */
    private List<TargetTable> transform(SourceCatalog catalog, Set<String> targetExtensions, List<Problem> problems) {
        SchemaTransformer transformer = new SchemaTransformer(settings.jsonAsText(), settings.identifierCase(),
                settings.extensionTypesAsText(), targetExtensions);
        List<TargetTable> tables = new ArrayList<>();
        for (SourceTable table : catalog.tables()) {
            try {
                tables.add(transformer.transform(table));
            } catch (FullLoadException e) {
                problems.add(Problem.of(e));
            }
        }
        return tables;
    }

    /** True when the run id names a recorded run whose preparation finished; false when the control tables cannot tell. */
    private boolean resuming(Connection target) {
        try {
            if (!control.exists(target)) {
                return false;
            }
            ControlTables.RunRecord previous = control.run(target, runId);
            return previous != null && previous.prepared();
        } catch (SQLException e) {
            // No privilege on the control tables: PrivilegeCheck reports it.
            return false;
        }
    }

    /**
     * A run id names one load: one that succeeded is not run again (its tables could have changed since,
     * and running it again would load nothing and report success), and one resumed keeps the settings
     * that decide what it writes. Empty when the control tables cannot tell.
     */
    private List<Problem> runIdProblems(Connection target) {
        try {
            if (!control.exists(target)) {
                return List.of();
            }
            ControlTables.RunRecord previous = control.run(target, runId);
            ControlTables.RunHistory history = control.history(target, runId);
            if (previous == null || history == null) {
                return List.of();
            }
            if ("succeeded".equals(previous.state())) {
                return List.of(Problem.preflight("run " + runId + " succeeded at " + (history.endedAt() == null ? "an unknown time"
                        : history.endedAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS))
                        + ": a run id loads once; to load again, pass a new --run-id"));
            }
            if (!previous.prepared()) {
                // Its preparation never finished: it runs again from the start, with these settings.
                return List.of();
            }
            List<String> differing = RunSettings.differences(history.settings(), settings.toString());
            if (differing.isEmpty()) {
                return List.of();
            }
            return List.of(Problem.preflight("run " + runId + " was started with other settings, and resuming it with these"
                    + " would mix two loads: " + String.join(", ", differing) + "; run it again with the settings it started"
                    + " with, or pass a new --run-id to start a new load"));
        } catch (SQLException e) {
            // No privilege on the control tables: PrivilegeCheck reports it.
            return List.of();
        }
    }

    /** A run that preflight refused: nothing was written; the report lists every problem. */
    private RunReport refused(Instant started, List<Problem> problems) {
        String error = problems.size() == 1 ? problems.get(0).message()
                : "preflight found " + problems.size() + " problems; nothing was written:\n- "
                + String.join("\n- ", problems.stream().map(Problem::message).toList());
        LOG.error("Run {} refused: {}", runId, error);
        return new RunReport(runId, started, Instant.now(), false, problems.get(0).category().name(), error, List.of(), List.of(),
                settings.toString(), problems.stream().map(Problem::message).toList());
    }

    /**
     * Switches back on the triggers a run that ended left off, and says so. A run whose process still
     * holds its lock is loading: its triggers are left as they are.
     */
    static List<String> repairTriggers(Connection target, ControlTables control) throws SQLException {
        List<String> repaired = new ArrayList<>();
        for (ControlTables.DisabledTable left : control.leftDisabled(target)) {
            long runKey = RunLocks.runKey(left.runId());
            if (!RunLocks.tryLock(target, runKey)) {
                String line = "left the triggers of " + left.table() + " disabled: run " + left.runId() + " is still loading it ("
                        + RunLocks.holder(target, runKey).map(Object::toString).orElse("a session that has just ended")
                        + " holds the run's lock)";
                LOG.info("Repair: {}", line);
                repaired.add(line);
                continue;
            }
            boolean restored;
            try {
                // Only the record of the run whose lock is held: another run may have recorded the table since.
                restored = control.restoreTriggers(target, left.table(), left.runId());
            } finally {
                // Taken only to learn that the run has ended (or is this one, which holds it already).
                RunLocks.unlock(target, runKey);
            }
            if (!restored) {
                continue;
            }
            String line = "enabled the triggers of " + left.table() + ", which run " + left.runId() + " left disabled";
            LOG.warn("Repair: {}", line);
            repaired.add(line);
        }
        return repaired;
    }

    private RunReport failed(Instant started, List<String> preparationActions, FullLoadException e) {
        LOG.error("Run {} stopped: {}", runId, e.getMessage());
        return new RunReport(runId, started, Instant.now(), false, e.category().name(), e.getMessage(),
                preparationActions, List.of(), settings.toString());
    }

    /** The source's foreign keys, between the target names of the tables they link. */
    private static List<ForeignKey> sourceKeysInTarget(SourceCatalog catalog, List<TargetTable> tables) {
        Map<TableName, TableName> targetOf = new HashMap<>();
        // Links only: the names are the target's, whatever the identifier case.
        tables.forEach(table -> targetOf.put(table.source().name(), table.name()));
        List<ForeignKey> keys = new ArrayList<>();
        for (ForeignKey key : catalog.foreignKeys()) {
            SourceTable referencing = catalog.owner(key.referencing());
            SourceTable referenced = catalog.owner(key.referenced());
            // A table preflight could not transform has no target name: its problem is reported already.
            if (referencing != null && referenced != null && targetOf.containsKey(referencing.name())
                    && targetOf.containsKey(referenced.name())) {
                keys.add(new ForeignKey(key.name(), targetOf.get(referencing.name()), targetOf.get(referenced.name())));
            }
        }
        return keys;
    }

    /**
     * The source's foreign keys between loaded tables whose referencing table was created by this run;
     * one that cannot be added fails its referencing table in the report.
     */
    private List<TableLoadResult> addForeignKeys(Connection target, SourceCatalog catalog, List<TargetTable> tables,
                                                 java.util.Set<TableName> created, List<TableLoadResult> results) {
        Map<TableName, TargetTable> bySource = new HashMap<>();
        tables.forEach(table -> bySource.put(table.source().name(), table));
        Map<String, TableLoadResult> byTarget = new LinkedHashMap<>();
        results.forEach(result -> byTarget.put(result.target(), result));
        IdentifierCase identifierCase = settings.identifierCase();
        for (ForeignKey key : catalog.foreignKeys()) {
            // A foreign key may sit on a partition (Pagila's payment partitions have theirs): it belongs to its root.
            SourceTable referencingOwner = catalog.owner(key.referencing());
            SourceTable referencedOwner = catalog.owner(key.referenced());
            if (referencingOwner == null || referencedOwner == null || key.definition() == null) {
                continue;
            }
            TargetTable referencing = bySource.get(referencingOwner.name());
            TargetTable referenced = bySource.get(referencedOwner.name());
            if (!created.contains(referencing.name())) {
                continue;
            }
            TableLoadResult result = byTarget.get(referencing.name().toString());
            if (result.state() != TableState.LOADED || byTarget.get(referenced.name().toString()).state() != TableState.LOADED) {
                continue;
            }
            TableName on = new TableName(identifierCase.apply(key.referencing().schema()), identifierCase.apply(key.referencing().name()));
            ForeignKey targetKey = new ForeignKey(identifierCase.apply(key.name()), on, referenced.name(),
                    identifierCase.rewrite(key.definition()));
            try {
                PostLoad.foreignKeys(target, List.of(targetKey));
            } catch (SQLException e) {
                String message = "rows loaded, but foreign key " + key.name() + " could not be added: " + e.getMessage();
                LOG.error("{}: {}", referencing.name(), message);
                byTarget.put(result.target(), result.withState(TableState.FAILED, message));
            }
        }
        return List.copyOf(byTarget.values());
    }

    /**
     * The NOT VALID CHECK constraints of the domains this run created, added once every table that uses
     * the domain is loaded (before, they would refuse rows the source holds); one that cannot be added
     * fails those tables in the report.
     */
    private static List<TableLoadResult> addDomainConstraints(Connection target, List<TargetTable> tables,
                                                              Set<UserType> createdTypes, List<TableLoadResult> results) {
        Map<String, TableLoadResult> byTarget = new LinkedHashMap<>();
        results.forEach(result -> byTarget.put(result.target(), result));
        for (UserType domain : createdTypes) {
            if (domain.notValidChecks().isEmpty()) {
                continue;
            }
            List<String> users = tables.stream().filter(table -> TargetPreparer.userTypes(List.of(table)).contains(domain))
                    .map(table -> table.name().toString()).toList();
            if (!users.stream().allMatch(name -> byTarget.get(name).state() == TableState.LOADED)) {
                continue;
            }
            try {
                PostLoad.domainConstraints(target, domain);
            } catch (SQLException e) {
                String message = "rows loaded, but the NOT VALID constraints of " + domain + " could not be added: " + e.getMessage();
                LOG.error("{}", message);
                for (String name : users) {
                    TableLoadResult result = byTarget.get(name);
                    byTarget.put(name, new TableLoadResult(result.source(), result.target(), TableState.FAILED, result.rowsRead(),
                            result.rowsWritten(), result.bytes(), result.durationMillis(), result.partitions(), message));
                }
            }
        }
        return List.copyOf(byTarget.values());
    }

    private List<TableLoadResult> loadAll(List<TargetTable> tables, LoadOrder order, TableLoader loader,
                                          java.util.Set<TableName> created) {
        List<TargetTable> pending = new ArrayList<>(tables);
        // Largest first, so the longest table does not start last and stretch the run.
        pending.sort(Comparator.comparingLong((TargetTable table) -> table.source().estimatedBytes()).reversed()
                .thenComparing(TargetTable::name));
        Map<TableName, TableLoadResult> done = new LinkedHashMap<>();
        int slots = settings.load().maxFullLoadSubtasks();
        ExecutorService pool = Executors.newFixedThreadPool(slots, runnable -> {
            Thread thread = new Thread(runnable, "pg-fullload-table");
            thread.setDaemon(true);
            return thread;
        });
        ExecutorCompletionService<TableLoadResult> completion = new ExecutorCompletionService<>(pool);
        Map<Future<TableLoadResult>, TargetTable> running = new HashMap<>();
        try {
            while (!pending.isEmpty() || !running.isEmpty()) {
                for (var iterator = pending.iterator(); iterator.hasNext() && running.size() < slots; ) {
                    TargetTable table = iterator.next();
                    List<TableName> parents = List.copyOf(order.parentsOf(table.name()));
                    TableName failedParent = parents.stream()
                            .filter(parent -> done.containsKey(parent) && done.get(parent).state() != TableState.LOADED)
                            .findFirst().orElse(null);
                    if (failedParent != null) {
                        iterator.remove();
                        done.put(table.name(), TableLoadResult.notLoaded(table.source().name().toString(),
                                table.name().toString(), TableState.SKIPPED, "not loaded because the table it references, "
                                        + failedParent + ", was not loaded (trigger mode NONE loads parents first)"));
                        continue;
                    }
                    if (parents.stream().allMatch(done::containsKey)) {
                        iterator.remove();
                        running.put(completion.submit(() -> loadOne(table, loader, created.contains(table.name()))), table);
                    }
                }
                if (running.isEmpty()) {
                    continue;
                }
                Future<TableLoadResult> finished = completion.take();
                TargetTable table = running.remove(finished);
                done.put(table.name(), finished.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FullLoadException(FailureCategory.LOAD, "the run was interrupted", e);
        } catch (ExecutionException e) {
            throw new FullLoadException(FailureCategory.LOAD, "a table load failed unexpectedly: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
            // A table still loading puts its triggers back in its own finally, on the sessions the run's locks keep
            // safe: the run does not end (and give up its locks) before those have run, or a minute has passed.
            try {
                if (!pool.awaitTermination(60, TimeUnit.SECONDS)) {
                    LOG.error("Tables were still loading a minute after the run stopped them: what they leave disabled,"
                            + " the next run or pg-fullload --repair switches back on");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<TableLoadResult> ordered = new ArrayList<>();
        tables.forEach(table -> ordered.add(done.get(table.name())));
        return ordered;
    }

    private TableLoadResult loadOne(TargetTable table, TableLoader loader, boolean created) {
        long started = System.nanoTime();
        String sourceName = table.source().name().toString();
        String targetName = table.name().toString();
        if (stopping) {
            return TableLoadResult.notLoaded(sourceName, targetName, TableState.SKIPPED,
                    "not started: another table failed and errors.table-error-policy is STOP_TASK");
        }
        boolean disableTriggers = settings.load().triggerMode() == TriggerMode.DISABLE_TRIGGERS;
        Connection triggers = null;
        try (SessionPool.Session session = SessionPool.borrow(settings.target(), "target", "pg-fullload " + runId + " table",
                "table", null)) {
            // The next table reuses the session when this one leaves it connected with no transaction open.
            session.keep();
            Connection driver = session.connection();
            ControlTables.TableRecord record = control.tables(driver, runId).get(targetName);
            // What earlier attempts of the run committed: the report tells it apart from what this attempt does.
            Map<Integer, Long> before = control.committedPartitions(driver, runId, table.name());
            long rowsBefore = before.values().stream().mapToLong(Long::longValue).sum();
            if (record != null && (record.state() == ControlTables.State.LOADED || record.state() == ControlTables.State.VALIDATED)) {
                LOG.info("{} was loaded by an earlier attempt of run {}: skipped", targetName, runId);
                return new TableLoadResult(sourceName, targetName, TableState.LOADED, 0, 0, 0, 0, 0,
                        null, "loaded by an earlier attempt of this run", record.rows(), before.size());
            }
            long rejectedBefore = control.rejectedRows(driver, runId, table.name());
            TableLoadResult loaded = null;
            try {
                if (disableTriggers) {
                    triggers = Connections.open(settings.target(), "target", "pg-fullload " + runId + " triggers");
                    // Recorded with each trigger's state in the same transaction: if this process dies, the next run
                    // (or --repair) puts them back as they were.
                    control.disableTriggers(triggers, runId, table.name());
                    triggersOff.add(table.name());
                }
                loaded = loader.load(table, created, new ControlPlans(driver));
                Map<Integer, Long> committed = control.committedPartitions(driver, runId, table.name());
                long rows = committed.values().stream().mapToLong(Long::longValue).sum();
                if (rows != loaded.rowsWritten()) {
                    throw new FullLoadException(FailureCategory.LOAD, "the committed partitions hold " + rows
                            + " rows, the writers reported " + loaded.rowsWritten());
                }
                loaded = new TableLoadResult(loaded.source(), loaded.target(), TableState.LOADED, loaded.rowsRead(),
                        rows - rowsBefore, loaded.bytes(), loaded.durationMillis(), committed.size() - before.size(), null,
                        loaded.note(), rowsBefore, before.size());
                long rejected = control.rejectedRows(driver, runId, table.name());
                // Counted over every attempt: a retry whose partitions were all committed before fails as the first did.
                if (rejected > settings.maxRejectedRows()) {
                    throw new FullLoadException(FailureCategory.LOAD, "the target refused " + rejected + " rows, more than"
                            + " errors.max-rejected-rows (" + settings.maxRejectedRows() + "); they are in " + control.rejectsTable());
                }
                Validator validator = new Validator(settings, sourceSnapshot,
                        snapshotSource == null ? settings.source() : snapshotSource);
                // The source is counted while the target builds the table's keys and indexes.
                CompletableFuture<long[]> sourceSide = validator.startSourceSide(table);
                try {
                    PostLoad.afterTable(driver, table, created, settings.load());
                } catch (SQLException | RuntimeException e) {
                    throw new FullLoadException(FailureCategory.LOAD, "rows loaded, but what follows them failed: " + describe(e), e);
                }
                String validation = validator.validate(driver, table, created, rows, rejected, sourceSide, new ControlPlans(driver));
                control.finished(driver, runId, table.name(),
                        validation == null ? ControlTables.State.LOADED : ControlTables.State.VALIDATED, rows, null);
                String note = loaded.note() == null ? validation : validation == null ? loaded.note() : loaded.note() + "; " + validation;
                return new TableLoadResult(loaded.source(), loaded.target(), TableState.LOADED, loaded.rowsRead(), loaded.rowsWritten(),
                        loaded.bytes(), loaded.durationMillis(), loaded.partitions(), null, note, rowsBefore, before.size());
            } catch (Exception e) {
                String message = describe(e);
                LOG.error("Loading {} into {} failed: {}", sourceName, targetName, message);
                boolean stop = settings.tableErrorPolicy() == TableErrorPolicy.STOP_TASK;
                if (stop) {
                    stopping = true;
                }
                // The partitions committed before the failure stay in the target: the report counts them.
                Map<Integer, Long> committed = before;
                long rejectedNow = rejectedBefore;
                try {
                    committed = control.committedPartitions(driver, runId, table.name());
                    rejectedNow = control.rejectedRows(driver, runId, table.name());
                } catch (SQLException countFailure) {
                    LOG.error("Could not count the committed partitions of {}: {}", targetName, countFailure.getMessage());
                }
                long rows = committed.values().stream().mapToLong(Long::longValue).sum();
                try {
                    control.finished(driver, runId, table.name(), stop ? ControlTables.State.FAILED : ControlTables.State.SUSPENDED,
                            rows, message);
                } catch (SQLException recordFailure) {
                    LOG.error("Could not record the failure of {} in the control tables: {}", targetName, recordFailure.getMessage());
                }
                long written = rows - rowsBefore;
                // Without the writers' figures (their job failed), what was read is what the committed partitions took.
                long read = loaded != null ? loaded.rowsRead() : written + rejectedNow - rejectedBefore;
                return new TableLoadResult(sourceName, targetName, TableState.FAILED, read, written,
                        loaded != null ? loaded.bytes() : 0, (System.nanoTime() - started) / 1_000_000,
                        committed.size() - before.size(), message, null, rowsBefore, before.size());
            } finally {
                if (triggers != null) {
                    enableAgain(triggers, table.name());
                    triggersOff.remove(table.name());
                }
            }
        } catch (SQLException e) {
            String message = describe(e);
            LOG.error("Loading {} into {} failed: {}", sourceName, targetName, message);
            return new TableLoadResult(sourceName, targetName, TableState.FAILED, 0, 0, 0,
                    (System.nanoTime() - started) / 1_000_000, 0, message);
        }
    }

    /** Read plans kept in the control tables: a resumed table reads exactly the partitions it started with. */
    private final class ControlPlans implements TableLoader.PlanStore {

        private final Connection driver;

        ControlPlans(Connection driver) {
            this.driver = driver;
        }

        @Override
        public List<ReadPartition> recorded(TargetTable table) throws SQLException {
            ControlTables.TableRecord record = control.tables(driver, runId).get(table.name().toString());
            if (record == null || record.plan() == null) {
                return null;
            }
            List<ReadPartition> plan = new ArrayList<>();
            for (int i = 0; i + 1 < record.plan().size(); i += 2) {
                String where = record.plan().get(i + 1);
                plan.add(new ReadPartition(record.plan().get(i), where.isEmpty() ? null : where));
            }
            return plan;
        }

        @Override
        public void record(TargetTable table, List<ReadPartition> plan) throws SQLException {
            List<String> flat = new ArrayList<>();
            for (ReadPartition partition : plan) {
                flat.add(partition.from());
                flat.add(partition.where() == null ? "" : partition.where());
            }
            control.loading(driver, runId, table.name(), flat);
        }
    }

    /**
     * The shutdown hook: puts back the triggers of the tables loading when the JVM was asked to exit,
     * waiting at most 5 s for each table's lock (the loads' own sessions may hold it until the process
     * ends); what it cannot do stays recorded for the next run or --repair.
     */
    private void restoreTriggersOnExit() {
        for (TableName table : List.copyOf(triggersOff)) {
            try (Connection connection = Connections.open(settings.target(), "target", "pg-fullload " + runId + " exit");
                 Statement statement = connection.createStatement()) {
                statement.execute("SET lock_timeout = '5s'");
                if (control.restoreTriggers(connection, table, runId)) {
                    LOG.warn("The process is exiting: the triggers of {} are back as they were", table);
                }
            } catch (SQLException | RuntimeException e) {
                LOG.error("The process is exiting and the triggers of {} could not be switched back on ({}): the next run,"
                        + " or pg-fullload --repair, will", table, e.getMessage());
            }
        }
    }

    /** Runs in a finally: the triggers come back as they were whether the load succeeded or not. */
    private void enableAgain(Connection triggers, TableName table) {
        try (Connection connection = triggers) {
            control.restoreTriggers(connection, table, runId);
        } catch (SQLException | RuntimeException e) {
            try (Connection retry = Connections.open(settings.target(), "target", "pg-fullload " + runId + " triggers")) {
                control.restoreTriggers(retry, table, runId);
            } catch (SQLException | RuntimeException again) {
                LOG.error("Triggers of {} could NOT be switched back on ({}): once this run has ended, run pg-fullload --repair"
                        + " with its settings, which puts them back as they were", table, again.getMessage());
            }
        }
    }

    /** The innermost message that says what the target or the source objected to. */
    static String describe(Throwable failure) {
        Throwable cause = failure;
        String message = failure.getMessage();
        while (cause != null) {
            if (cause instanceof SQLException || cause instanceof FullLoadException) {
                message = cause.getMessage();
            }
            cause = cause.getCause() == cause ? null : cause.getCause();
        }
        return message == null ? failure.toString() : message.strip();
    }
}
