package dev.pgfullload.config;

import java.io.Serializable;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Where and as whom to connect. The password never appears in {@link #toString()}.
 *
 * @param fetchSize rows per round trip when reading (only meaningful for a source)
 */
public record ConnectionSettings(String url, String user, String password, int fetchSize, Map<String, String> properties)
        implements Serializable {

    private static final Pattern URL_PASSWORD = Pattern.compile("(?i)(password=)[^&;]*");

    public ConnectionSettings {
        requireNonNull(url, "url is null");
        properties = Map.copyOf(properties);
    }

    /** Driver properties: the extra ones, then user and password. */
    public Properties driverProperties() {
        Properties result = new Properties();
        result.putAll(properties);
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
                + ", fetchSize=" + fetchSize + ", properties=" + properties.keySet() + "]";
    }
}
