package dev.pgfullload.testing;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;

/**
 * Runs a pg_dump-style SQL script over JDBC, the way psql would: statements end at a semicolon
 * outside single-quoted strings (E'' strings included), double-quoted identifiers, dollar-quoted
 * bodies, comments and parentheses; {@code COPY ... FROM stdin;} streams the lines that follow, up to
 * the {@code \.} line, through pgjdbc's CopyManager; psql meta-commands ({@code \restrict},
 * <code>&#92;unrestrict</code>, {@code \connect} ...) are ignored. All of one run uses one connection, so
 * session settings a script makes (pg_dump's {@code set_config('search_path', '', false)}) hold to the end.
 */
public final class SqlScript {

    /** Where the Pagila dataset lives, relative to the project root (Maven's working directory). */
    public static final String PAGILA_DIRECTORY = "../shared/datasets/pagila";

    private static final Pattern COPY_FROM_STDIN = Pattern.compile("(?is)^\\s*COPY\\s.+\\sFROM\\s+STDIN\\b.*");

    private final Connection connection;
    private final String source;
    private final BufferedReader reader;
    private int lineNumber;

    private SqlScript(Connection connection, String source, BufferedReader reader) {
        this.connection = connection;
        this.source = source;
        this.reader = reader;
    }

    /** A file of the Pagila dataset, e.g. {@code pagila-schema.sql}; fails clearly when the dataset is missing. */
    public static Path pagila(String fileName) {
        Path directory = Path.of(System.getProperty("user.dir")).resolve(PAGILA_DIRECTORY).normalize();
        Path file = directory.resolve(fileName);
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("the Pagila dataset file " + fileName + " is missing: expected it at " + file
                    + " (" + PAGILA_DIRECTORY + " from the project root, user.dir = " + System.getProperty("user.dir")
                    + "); run the tests from the project root with the dataset in place");
        }
        return file;
    }

    /** Runs {@code files} in order on one connection to {@code database}. */
    public static void run(TestingPostgreSQL postgres, String database, Path... files) {
        try (Connection connection = postgres.connect(database)) {
            for (Path file : files) {
                run(connection, file);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not connect to " + database + ": " + e.getMessage(), e);
        }
    }

    /** Runs the script in {@code file} on {@code connection}, statement by statement, in autocommit. */
    public static void run(Connection connection, Path file) {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            new SqlScript(connection, file.toString(), reader).run();
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + file, e);
        }
    }

    /** Runs a script given as text (tests of the splitter use this). */
    public static void runText(Connection connection, String name, String script) {
        try (BufferedReader reader = new BufferedReader(new java.io.StringReader(script))) {
            new SqlScript(connection, name, reader).run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private enum State { NORMAL, SINGLE_QUOTED, ESCAPE_QUOTED, DOUBLE_QUOTED, DOLLAR_QUOTED, BLOCK_COMMENT }

    private void run() throws IOException {
        StringBuilder statement = new StringBuilder();
        State state = State.NORMAL;
        String dollarTag = null;
        int commentDepth = 0;
        int parenthesisDepth = 0;
        int statementLine = 0;
        String line;
        while ((line = reader.readLine()) != null) {
            lineNumber++;
            int i = 0;
            int length = line.length();
            while (i < length) {
                char c = line.charAt(i);
                switch (state) {
                    case NORMAL -> {
                        if (c == '-' && i + 1 < length && line.charAt(i + 1) == '-') {
                            i = length; // a line comment: the rest of the line
                            continue;
                        }
                        if (c == '/' && i + 1 < length && line.charAt(i + 1) == '*') {
                            state = State.BLOCK_COMMENT;
                            commentDepth = 1;
                            if (!statement.isEmpty()) {
                                statement.append(' ');
                            }
                            i += 2;
                            continue;
                        }
                        if (c == '\\') {
                            i = length; // a psql meta-command (restrict, unrestrict, connect ...): ignored
                            continue;
                        }
                        if (statement.isEmpty() && Character.isWhitespace(c)) {
                            i++;
                            continue;
                        }
                        if (statement.isEmpty()) {
                            statementLine = lineNumber;
                        }
                        if (c == ';' && parenthesisDepth == 0) {
                            String sql = statement.toString().strip();
                            statement.setLength(0);
                            if (!sql.isEmpty()) {
                                execute(sql, statementLine);
                            }
                            i++;
                            continue;
                        }
                        if (c == '(') {
                            parenthesisDepth++;
                        } else if (c == ')' && parenthesisDepth > 0) {
                            parenthesisDepth--;
                        } else if (c == '\'') {
                            state = escapeString(statement) ? State.ESCAPE_QUOTED : State.SINGLE_QUOTED;
                        } else if (c == '"') {
                            state = State.DOUBLE_QUOTED;
                        } else if (c == '$') {
                            String tag = dollarTag(line, i, statement);
                            if (tag != null) {
                                statement.append(tag);
                                dollarTag = tag;
                                state = State.DOLLAR_QUOTED;
                                i += tag.length();
                                continue;
                            }
                        }
                        statement.append(c);
                        i++;
                    }
                    case SINGLE_QUOTED, DOUBLE_QUOTED -> {
                        char quote = state == State.SINGLE_QUOTED ? '\'' : '"';
                        statement.append(c);
                        i++;
                        if (c == quote) {
                            if (i < length && line.charAt(i) == quote) {
                                statement.append(quote);
                                i++;
                            } else {
                                state = State.NORMAL;
                            }
                        }
                    }
                    case ESCAPE_QUOTED -> {
                        statement.append(c);
                        i++;
                        if (c == '\\' && i < length) {
                            statement.append(line.charAt(i));
                            i++;
                        } else if (c == '\'') {
                            if (i < length && line.charAt(i) == '\'') {
                                statement.append('\'');
                                i++;
                            } else {
                                state = State.NORMAL;
                            }
                        }
                    }
                    case DOLLAR_QUOTED -> {
                        if (c == '$' && line.startsWith(dollarTag, i)) {
                            statement.append(dollarTag);
                            i += dollarTag.length();
                            state = State.NORMAL;
                            dollarTag = null;
                        } else {
                            statement.append(c);
                            i++;
                        }
                    }
                    case BLOCK_COMMENT -> {
                        if (c == '/' && i + 1 < length && line.charAt(i + 1) == '*') {
                            commentDepth++;
                            i += 2;
                        } else if (c == '*' && i + 1 < length && line.charAt(i + 1) == '/') {
                            i += 2;
                            if (--commentDepth == 0) {
                                state = State.NORMAL;
                            }
                        } else {
                            i++;
                        }
                    }
                }
            }
            if (!statement.isEmpty() && state != State.BLOCK_COMMENT) {
                statement.append('\n');
            }
        }
        if (state != State.NORMAL || !statement.toString().isBlank()) {
            throw new IllegalStateException(source + ": the script ends inside an unfinished statement (state " + state
                    + ") that began on line " + statementLine + ": " + abbreviate(statement.toString()));
        }
    }

    /** True when the quote that starts here opens an E'' string, where a backslash escapes the next character. */
    private static boolean escapeString(StringBuilder statement) {
        int n = statement.length();
        if (n == 0 || (statement.charAt(n - 1) != 'E' && statement.charAt(n - 1) != 'e')) {
            return false;
        }
        return n == 1 || !isIdentifierPart(statement.charAt(n - 2));
    }

    /** The dollar-quote tag ({@code $$}, {@code $_$}, {@code $body$}) that starts at {@code i}, or null. */
    private static String dollarTag(String line, int i, StringBuilder statement) {
        if (!statement.isEmpty() && isIdentifierPart(statement.charAt(statement.length() - 1))) {
            return null; // part of an identifier such as a$b
        }
        int end = i + 1;
        while (end < line.length() && line.charAt(end) != '$') {
            char c = line.charAt(end);
            boolean valid = end == i + 1 ? Character.isLetter(c) || c == '_' : Character.isLetterOrDigit(c) || c == '_';
            if (!valid) {
                return null; // a positional parameter ($1) or not a tag at all
            }
            end++;
        }
        return end < line.length() ? line.substring(i, end + 1) : null;
    }

    private static boolean isIdentifierPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }

    private void execute(String sql, int line) throws IOException {
        try {
            if (COPY_FROM_STDIN.matcher(sql).matches()) {
                copy(sql, line);
                return;
            }
            try (Statement statement = connection.createStatement()) {
                statement.setEscapeProcessing(false);
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(source + ", statement on line " + line + " failed: " + e.getMessage()
                    + "\n" + abbreviate(sql), e);
        }
    }

    /** Streams the data lines after a COPY ... FROM stdin statement, up to the {@code \.} line. */
    private void copy(String sql, int line) throws SQLException, IOException {
        CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
        boolean ended = false;
        try {
            String data;
            while ((data = reader.readLine()) != null) {
                lineNumber++;
                if (data.equals("\\.")) {
                    copy.endCopy();
                    ended = true;
                    return;
                }
                byte[] bytes = (data + "\n").getBytes(StandardCharsets.UTF_8);
                copy.writeToCopy(bytes, 0, bytes.length);
            }
            throw new IllegalStateException(source + ": the COPY on line " + line + " has no \\. line before the end of the script");
        } finally {
            if (!ended && copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }

    private static String abbreviate(String sql) {
        return sql.length() <= 500 ? sql : sql.substring(0, 500) + " ...";
    }
}
