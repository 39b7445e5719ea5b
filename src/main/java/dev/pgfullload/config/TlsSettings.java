package dev.pgfullload.config;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * TLS for one connection ({@code source.ssl}, {@code target.ssl}), handed to pgjdbc as its
 * {@code sslmode}, {@code sslrootcert}, {@code sslcert}, {@code sslkey} and {@code sslpassword}
 * properties. A null field leaves the driver's default (pgjdbc: {@code sslmode=prefer}, files under
 * {@code ~/.postgresql/}). The key password never appears in {@link #toString()}.
 *
 * @param mode one of {@link #MODES}, or null
 * @param rootCert the CA certificate(s) the server's certificate must chain to ({@code verify-ca}, {@code verify-full})
 * @param cert the client certificate, for certificate authentication
 * @param key the client key (PKCS-8 DER {@code .pk8}, or PKCS-12 {@code .p12}/{@code .pfx})
 * @param keyPassword the password of an encrypted client key
 */
public record TlsSettings(String mode, String rootCert, String cert, String key, String keyPassword) implements Serializable {

    /** The modes libpq and pgjdbc know, weakest first. */
    public static final List<String> MODES = List.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");

    /** No TLS setting at all: the driver's defaults. */
    public static final TlsSettings NONE = new TlsSettings(null, null, null, null, null);

    /** The pgjdbc property each field is passed as, in the order of the fields. */
    public static final List<String> DRIVER_PROPERTIES = List.of("sslmode", "sslrootcert", "sslcert", "sslkey", "sslpassword");

    public TlsSettings {
        if (mode != null) {
            String normalized = mode.toLowerCase(Locale.ROOT);
            if (!MODES.contains(normalized)) {
                throw new IllegalArgumentException("ssl mode must be one of " + String.join(", ", MODES) + " (got " + mode + ")");
            }
            mode = normalized;
        }
    }

    public boolean isNone() {
        return equals(NONE);
    }

    /** The pgjdbc properties for the fields that are set. */
    public Map<String, String> driverProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        String[] values = {mode, rootCert, cert, key, keyPassword};
        for (int i = 0; i < values.length; i++) {
            if (values[i] != null) {
                properties.put(DRIVER_PROPERTIES.get(i), values[i]);
            }
        }
        return properties;
    }

    @Override
    public String toString() {
        return "TlsSettings[mode=" + mode + ", rootCert=" + rootCert + ", cert=" + cert + ", key=" + key
                + ", keyPassword=" + (keyPassword == null ? "none" : "***") + "]";
    }
}
