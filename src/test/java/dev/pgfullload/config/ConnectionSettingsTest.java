package dev.pgfullload.config;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ConnectionSettingsTest {

    private static ConnectionSettings url(String url) {
        return new ConnectionSettings(url, null, null, 0, Map.of());
    }

    @Test
    void endpointIsHostAndPort() {
        assertEquals("db.example.com:6432", url("jdbc:postgresql://db.example.com:6432/app?ssl=true").endpoint());
        assertEquals("localhost", url("jdbc:postgresql://localhost/app").endpoint());
        assertEquals("h:5432", url("jdbc:postgresql://h:5432?ssl=true").endpoint());
        assertEquals("h:5432", url("jdbc:postgresql://h:5432").endpoint());
        assertEquals("h1:5432,h2:5433", url("jdbc:postgresql://h1:5432,h2:5433/app").endpoint());
        assertEquals("[::1]:5432", url("jdbc:postgresql://[::1]:5432/app").endpoint());
        assertEquals("jdbc:postgresql:app", url("jdbc:postgresql:app").endpoint(), "no host part: the URL itself");
    }

    @Test
    void onServerNamesTheOneServerOfAListAndKeepsTheRest() {
        ConnectionSettings list = new ConnectionSettings("jdbc:postgresql://h1:5432,h2:5433/app?loadBalanceHosts=true", "u", "p",
                500, Map.of("sslmode", "require"), null, 2_000);
        ConnectionSettings one = list.onServer("h2", 5433);
        assertEquals("jdbc:postgresql://h2:5433/app?loadBalanceHosts=true", one.url());
        assertEquals(List.of("u", "p", 500, Map.of("sslmode", "require"), 2_000L),
                List.of(one.user(), one.password(), one.fetchSize(), one.properties(), one.lockTimeoutMillis()));
        assertEquals("jdbc:postgresql://[::1]:5432?targetServerType=primary",
                url("jdbc:postgresql://h1,[::1]:5432?targetServerType=primary").onServer("[::1]", 5432).url());
        assertEquals("jdbc:postgresql://[::1]:5432/app", url("jdbc:postgresql://h1,h2/app").onServer("::1", 5432).url());
        assertEquals("jdbc:postgresql://b:6432", url("jdbc:postgresql://a:6432,b:6432").onServer("b", 6432).url());
        // One server named already: nothing to choose.
        ConnectionSettings single = url("jdbc:postgresql://db:5432/app");
        assertSame(single, single.onServer("10.0.0.7", 5432));
    }

    @Test
    void redactedUrlReplacesThePasswordParameter() {
        assertEquals("jdbc:postgresql://h/app?user=u&password=***&ssl=true",
                url("jdbc:postgresql://h/app?user=u&password=s3cr3t&ssl=true").redactedUrl());
        assertEquals("jdbc:postgresql://h/app?PASSWORD=***", url("jdbc:postgresql://h/app?PASSWORD=Upper").redactedUrl());
        assertEquals("jdbc:postgresql://h/app?password=***;ssl=true", url("jdbc:postgresql://h/app?password=a;ssl=true").redactedUrl());
        assertEquals("jdbc:postgresql://h/app?sslpassword=***&password=***",
                url("jdbc:postgresql://h/app?sslpassword=k&password=p").redactedUrl());
        assertEquals("jdbc:postgresql://h/app?user=u", url("jdbc:postgresql://h/app?user=u").redactedUrl());
    }

    @Test
    void toStringRedactsThePasswordAndTheUrlPassword() {
        ConnectionSettings settings = new ConnectionSettings("jdbc:postgresql://h:5432/app?password=InUrl", "loader",
                "S3cret!", 500, Map.of("sslmode", "require"));
        assertEquals("ConnectionSettings[url=jdbc:postgresql://h:5432/app?password=***, user=loader, password=***,"
                + " fetchSize=500, properties=[sslmode]]", settings.toString());
        assertFalse(settings.toString().contains("S3cret!"));
        assertFalse(settings.toString().contains("InUrl"));
    }

    @Test
    void toStringSaysNoneWithoutAPassword() {
        assertEquals("ConnectionSettings[url=jdbc:postgresql://h/app, user=null, password=none, fetchSize=0, properties=[]]",
                url("jdbc:postgresql://h/app").toString());
    }

    @Test
    void driverPropertiesHoldTheExtrasThenUserAndPassword() {
        Properties properties = new ConnectionSettings("jdbc:postgresql://h/app", "loader", "pw", 0,
                Map.of("ssl", "true", "user", "overridden")).driverProperties();
        Properties expected = new Properties();
        expected.setProperty("ssl", "true");
        expected.setProperty("user", "loader");
        expected.setProperty("password", "pw");
        assertEquals(expected, properties);
    }

    @Test
    void driverPropertiesCarryTheTlsSettingsAfterTheExtras() {
        Properties properties = new ConnectionSettings("jdbc:postgresql://h/app", "loader", "pw", 0,
                Map.of("tcpKeepAlive", "true"), new TlsSettings("verify-full", "/root.crt", null, "/key.pk8", "kpw"))
                .driverProperties();
        Properties expected = new Properties();
        expected.setProperty("tcpKeepAlive", "true");
        expected.setProperty("sslmode", "verify-full");
        expected.setProperty("sslrootcert", "/root.crt");
        expected.setProperty("sslkey", "/key.pk8");
        expected.setProperty("sslpassword", "kpw");
        expected.setProperty("user", "loader");
        expected.setProperty("password", "pw");
        assertEquals(expected, properties);
    }

    @Test
    void toStringShowsTheTlsSettingsButNotTheKeyPassword() {
        ConnectionSettings settings = new ConnectionSettings("jdbc:postgresql://h/app", "loader", null, 0, Map.of(),
                new TlsSettings("require", null, null, null, "Key-Pw-9"));
        assertEquals("ConnectionSettings[url=jdbc:postgresql://h/app, user=loader, password=none, fetchSize=0, properties=[],"
                + " ssl=TlsSettings[mode=require, rootCert=null, cert=null, key=null, keyPassword=***]]", settings.toString());
    }

    @Test
    void databaseIsThePathOfTheUrl() {
        assertEquals("app", url("jdbc:postgresql://h:5432/app?ssl=true").database());
        assertEquals("my db", url("jdbc:postgresql://h/my%20db").database());
        assertEquals(null, url("jdbc:postgresql://h:5432/").database());
        assertEquals(null, url("jdbc:postgresql://h:5432").database());
        assertEquals(null, url("jdbc:postgresql:app").database());
    }

    @Test
    void aUrlIsRequired() {
        NullPointerException e = assertThrows(NullPointerException.class,
                () -> new ConnectionSettings(null, null, null, 0, Map.of()));
        assertEquals("url is null", e.getMessage());
    }
}
