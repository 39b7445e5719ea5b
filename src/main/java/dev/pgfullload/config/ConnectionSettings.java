package dev.pgfullload.config;

import java.io.Serializable;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Where and as whom to connect. The password (and a TLS key's password) never appears in {@link #toString()}.
 *
 * @param fetchSize rows per round trip when reading (only meaningful for a source)
 * @param tls the TLS settings, passed to the driver as its ssl properties
 * @param lockTimeoutMillis how long a session waits for a table lock before its statement fails
 *        ({@code source.lock-timeout}); 0 leaves the server's own setting
 */
public record ConnectionSettings(String url, String user, String password, int fetchSize, Map<String, String> properties,
                                 TlsSettings tls, long lockTimeoutMillis)
        implements Serializable {

    private static final Pattern URL_PASSWORD = Pattern.compile("(?i)(password=)[^&;]*");

    public ConnectionSettings {
        requireNonNull(url, "url is null");
        if (lockTimeoutMillis < 0) {
            throw new IllegalArgumentException("lockTimeoutMillis is negative: " + lockTimeoutMillis);
        }
        properties = Map.copyOf(properties);
        tls = tls == null ? TlsSettings.NONE : tls;
    }

    public ConnectionSettings(String url, String user, String password, int fetchSize, Map<String, String> properties) {
        this(url, user, password, fetchSize, properties, TlsSettings.NONE, 0);
    }

    public ConnectionSettings(String url, String user, String password, int fetchSize, Map<String, String> properties,
                              TlsSettings tls) {
        this(url, user, password, fetchSize, properties, tls, 0);
    }

    public ConnectionSettings withLockTimeout(long millis) {
        return new ConnectionSettings(url, user, password, fetchSize, properties, tls, millis);
    }

    /**
     * These settings with the URL's list of servers replaced by the one at {@code host} and {@code port}
     * (a PostgreSQL URL naming several, {@code jdbc:postgresql://a:5432,b:5432/db}); as they are when
     * the URL names one.
     */
    public ConnectionSettings onServer(String host, int port) {
        int start = url.indexOf("//");
        String servers = endpoint();
        if (start < 0 || !servers.contains(",")) {
            return this;
        }
        // pgjdbc keeps an IPv6 address in its brackets, as the URL writes it.
        String server = (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
        return new ConnectionSettings(url.substring(0, start + 2) + server + url.substring(start + 2 + servers.length()), user,
                password, fetchSize, properties, tls, lockTimeoutMillis);
    }

    /** Driver properties: the extra ones, then the TLS ones, then user and password. */
    public Properties driverProperties() {
        Properties result = new Properties();
        result.putAll(properties);
        result.putAll(tls.driverProperties());
        if (user != null) {
            result.setProperty("user", user);
        }
        if (password != null) {
            result.setProperty("password", password);
        }
        return result;
    }

    /** The host and port part of the URL, for messages about reaching the server. */
    public String endpoint() {
        int start = url.indexOf("//");
        if (start < 0) {
            return url;
        }
        int end = url.indexOf('/', start + 2);
        String hostPort = end < 0 ? url.substring(start + 2) : url.substring(start + 2, end);
        int query = hostPort.indexOf('?');
        return query < 0 ? hostPort : hostPort.substring(0, query);
    }

    /** The database named in the URL (between the host part and the parameters), or null when it names none. */
    public String database() {
        int start = url.indexOf("//");
        if (start < 0) {
            return null;
        }
        int slash = url.indexOf('/', start + 2);
        if (slash < 0) {
            return null;
        }
        int query = url.indexOf('?', slash);
        String name = query < 0 ? url.substring(slash + 1) : url.substring(slash + 1, query);
        if (name.isEmpty()) {
            return null;
        }
        return java.net.URLDecoder.decode(name, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The URL with any password in its parameters replaced by "***", for messages and logs. */
    public String redactedUrl() {
        return redactUrl(url);
    }

    /** {@code url} with any password in its parameters replaced by "***". */
    static String redactUrl(String url) {
        return URL_PASSWORD.matcher(url).replaceAll("$1***");
    }

    @Override
    public String toString() {
        return "ConnectionSettings[url=" + redactedUrl() + ", user=" + user + ", password=" + (password == null ? "none" : "***")
                + ", fetchSize=" + fetchSize + ", properties=" + properties.keySet() + (tls.isNone() ? "" : ", ssl=" + tls)
                + (lockTimeoutMillis == 0 ? "" : ", lockTimeoutMillis=" + lockTimeoutMillis) + "]";
    }
}
