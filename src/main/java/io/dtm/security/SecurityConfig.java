package io.dtm.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Map;

/**
 * Credentials of the HTTP API. Every {@code /api/v1} request needs {@code Authorization: Bearer <token>}, the token
 * being an API key listed here or a JWT verified by SmallRye JWT ({@code mp.jwt.verify.publickey.location},
 * {@code mp.jwt.verify.issuer}, {@code mp.jwt.verify.audiences}; roles from the {@code groups} claim). With neither
 * configured, every {@code /api/v1} request is refused.
 */
@ConfigMapping(prefix = "dtm.security")
public interface SecurityConfig {

    /**
     * API keys for machine feeds, by principal name (lower-case letters, digits and {@code -}): each a salted hash
     * of the key, never the key itself, and the roles it grants.
     */
    Map<String, ApiKey> apiKeys();

    /** Opens every {@code GET} under {@code /api/v1} to requests without credentials (a trusted network only). */
    @WithDefault("false")
    boolean anonymousRead();

    /** One API key. */
    interface ApiKey {

        /**
         * {@code sha256:<salt>:<digest>}: {@code digest} is the hex SHA-256 of the UTF-8 text {@code <salt>:<key>},
         * {@code salt} at least 16 hex digits ({@code deploy/local/api-key.sh} makes a key and its hash).
         */
        String hash();

        /** The roles the key grants: {@code publisher}, {@code operator}, {@code subscriber}, {@code reader}. */
        List<String> roles();
    }
}
