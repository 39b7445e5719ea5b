package dev.pgfullload.app;

import dev.pgfullload.config.SettingsException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CommandLineTest {

    private String savedConfigFile;

    @BeforeEach
    void clearConfigFileProperty() {
        savedConfigFile = System.clearProperty("config.file");
    }

    @AfterEach
    void restoreConfigFileProperty() {
        if (savedConfigFile == null) {
            System.clearProperty("config.file");
        } else {
            System.setProperty("config.file", savedConfigFile);
        }
    }

    @Test
    void noArguments() {
        CommandLine commandLine = CommandLine.parse(new String[0]);
        assertNull(commandLine.configFile());
        assertEquals(List.of(), commandLine.overrides());
        assertFalse(commandLine.help());
    }

    @Test
    void configAndRepeatedSet() {
        CommandLine commandLine = CommandLine.parse(new String[] {
                "--config", "conf/my settings.conf", "--set", "load.trigger-mode=NONE", "-s", "source.url=jdbc:postgresql://h/db",
                "--set=report.path=/tmp/r.json", "--set", "a=b=c"});
        assertEquals(Path.of("conf/my settings.conf"), commandLine.configFile());
        assertEquals(List.of("load.trigger-mode=NONE", "source.url=jdbc:postgresql://h/db", "report.path=/tmp/r.json", "a=b=c"),
                commandLine.overrides());
        assertFalse(commandLine.help());
    }

    @Test
    void configWithEqualsAndShortForm() {
        assertEquals(Path.of("x.conf"), CommandLine.parse(new String[] {"--config=x.conf"}).configFile());
        assertEquals(Path.of("y.conf"), CommandLine.parse(new String[] {"-c", "y.conf"}).configFile());
        assertEquals(Path.of("second.conf"),
                CommandLine.parse(new String[] {"--config", "first.conf", "--config=second.conf"}).configFile());
    }

    @Test
    void help() {
        assertTrue(CommandLine.parse(new String[] {"--help"}).help());
        assertTrue(CommandLine.parse(new String[] {"-h"}).help());
        assertTrue(CommandLine.parse(new String[] {"--config", "x.conf", "--help"}).help());
    }

    @Test
    void check() {
        assertTrue(CommandLine.parse(new String[] {"--config", "x.conf", "--check"}).check());
        assertFalse(CommandLine.parse(new String[] {"--config", "x.conf"}).check());
        assertTrue(CommandLine.USAGE.contains("--check"), CommandLine.USAGE);
    }

    @Test
    void checkAndRepairDoNotGoTogether() {
        SettingsException e = assertThrows(SettingsException.class,
                () -> CommandLine.parse(new String[] {"--check", "--repair"}));
        assertEquals(List.of("--check and --repair do not go together: --check writes nothing, --repair writes"), e.problems());
    }

    @Test
    void anUnknownArgumentIsRejected() {
        SettingsException e = assertThrows(SettingsException.class,
                () -> CommandLine.parse(new String[] {"--config", "x.conf", "--verbose"}));
        assertEquals(List.of("unknown argument --verbose"), e.problems());
    }

    @Test
    void everyArgumentProblemIsReportedTogether() {
        SettingsException e = assertThrows(SettingsException.class,
                () -> CommandLine.parse(new String[] {"x.conf", "--dry-run", "--set"}));
        assertEquals(List.of("unknown argument x.conf", "unknown argument --dry-run", "--set needs key=value"), e.problems());
    }

    @Test
    void configWithoutAFileIsRejected() {
        SettingsException e = assertThrows(SettingsException.class, () -> CommandLine.parse(new String[] {"--config"}));
        assertEquals(List.of("--config needs a file"), e.problems());
    }

    @Test
    void theConfigFileSystemPropertyIsAFallback() {
        System.setProperty("config.file", "from-property.conf");
        assertEquals(Path.of("from-property.conf"), CommandLine.parse(new String[0]).configFile());
        assertEquals(Path.of("from-args.conf"), CommandLine.parse(new String[] {"--config", "from-args.conf"}).configFile());
    }
}
