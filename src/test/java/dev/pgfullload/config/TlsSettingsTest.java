package dev.pgfullload.config;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TlsSettingsTest {

    @Test
    void eachSettingIsOneDriverProperty() {
        TlsSettings tls = new TlsSettings("verify-full", "/ca/root.crt", "/me/client.crt", "/me/client.p12", "Pk-Pw");
        assertEquals(Map.of("sslmode", "verify-full", "sslrootcert", "/ca/root.crt", "sslcert", "/me/client.crt",
                "sslkey", "/me/client.p12", "sslpassword", "Pk-Pw"), tls.driverProperties());
    }

    @Test
    void unsetSettingsAreLeftToTheDriver() {
        assertEquals(Map.of(), TlsSettings.NONE.driverProperties());
        assertTrue(TlsSettings.NONE.isNone());
        assertEquals(Map.of("sslmode", "require"), new TlsSettings("require", null, null, null, null).driverProperties());
        assertEquals(Map.of("sslrootcert", "/ca.crt"), new TlsSettings(null, "/ca.crt", null, null, null).driverProperties());
    }

    @Test
    void everyLibpqModeIsAcceptedInAnyCaseAndLowerCased() {
        for (String mode : TlsSettings.MODES) {
            assertEquals(mode, new TlsSettings(mode.toUpperCase(java.util.Locale.ROOT), null, null, null, null).mode());
        }
    }

    @Test
    void anUnknownModeIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TlsSettings("on", null, null, null, null));
        assertEquals("ssl mode must be one of disable, allow, prefer, require, verify-ca, verify-full (got on)", e.getMessage());
    }

    @Test
    void theKeyPasswordNeverShows() {
        TlsSettings tls = new TlsSettings("verify-ca", "/ca.crt", null, "/k.pk8", "Never-Shown");
        assertEquals("TlsSettings[mode=verify-ca, rootCert=/ca.crt, cert=null, key=/k.pk8, keyPassword=***]", tls.toString());
        assertFalse(new ConnectionSettings("jdbc:postgresql://h/db", "u", "Pw", 0, Map.of(), tls).toString().contains("Never-Shown"));
    }
}
