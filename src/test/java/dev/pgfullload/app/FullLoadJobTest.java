package dev.pgfullload.app;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FullLoadJobTest {

    @Test
    void sparkRedactsOurSecretKeysUnlessTheUserChoseOtherwise() {
        Map<String, String> settings = FullLoadJob.redactionSettings(new SparkConf(false));
        assertEquals(Map.of("spark.redaction.regex", "(?i)secret|password|token|access[.]?key|credential",
                "spark.redaction.string.regex", "(?i)password=[^&;\\s]*"), settings);
        Pattern keys = Pattern.compile(settings.get("spark.redaction.regex"));
        // The COPY source's options, the TLS key password as a driver property, our settings' names.
        for (String key : new String[] {"password", "property.sslpassword", "fullload.target.ssl.key-password",
                "spark.hadoop.fs.s3a.access.key", "credentials"}) {
            assertTrue(keys.matcher(key).find(), key);
        }
        for (String key : new String[] {"user", "url", "queries", "property.sslmode", "property.sslkey"}) {
            assertFalse(keys.matcher(key).find(), key);
        }
        assertEquals("jdbc:postgresql://h/db?user=u&*&ssl=true", Pattern.compile(settings.get("spark.redaction.string.regex"))
                .matcher("jdbc:postgresql://h/db?user=u&password=S3cret&ssl=true").replaceAll("*"));
    }

    @Test
    void sparkStartsWithTheLoadsDefaultsUnlessTheUserSetThem() {
        Map<String, String> defaults = FullLoadJob.sparkDefaults(new SparkConf(false));
        assertEquals("false", defaults.get("spark.sql.codegen.wholeStage"));
        assertEquals("false", defaults.get("spark.sql.defaultUrlStreamHandlerFactory.enabled"));
        assertTrue(defaults.containsKey("spark.redaction.regex"));
        SparkConf given = new SparkConf(false).set("spark.sql.codegen.wholeStage", "true")
                .set("spark.sql.defaultUrlStreamHandlerFactory.enabled", "true").set("spark.redaction.regex", "(?i)mine");
        assertEquals(Map.of("spark.redaction.string.regex", "(?i)password=[^&;\\s]*"), FullLoadJob.sparkDefaults(given));
    }

    @Test
    void aUsersOwnRedactionIsKept() {
        SparkConf given = new SparkConf(false).set("spark.redaction.regex", "(?i)mine").set("spark.redaction.string.regex", "x");
        assertEquals(Map.of(), FullLoadJob.redactionSettings(given));
    }
}
