package io.dtm.security;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/** Says once at start how to configure credentials when none are, since every {@code /api/v1} call is then refused. */
@ApplicationScoped
public class CredentialsCheck {

    private static final Logger LOG = Logger.getLogger(CredentialsCheck.class);

    void onStart(@Observes StartupEvent event, ApiKeys keys, SecurityConfig security, Config config) {
        boolean jwt = Stream.of("mp.jwt.verify.publickey", "mp.jwt.verify.publickey.location")
                .anyMatch(name -> config.getOptionalValue(name, String.class).filter(v -> !v.isBlank()).isPresent());
        if (!keys.any() && !jwt) {
            LOG.warnf("no credentials are configured: every /api/v1 request is refused%s. Configure API keys "
                    + "(dtm.security.api-keys.<principal>.hash=sha256:<salt>:<digest> and .roles; "
                    + "deploy/local/api-key.sh makes one) or JWT verification (mp.jwt.verify.publickey.location, "
                    + "mp.jwt.verify.issuer, mp.jwt.verify.audiences)",
                    security.anonymousRead() ? " but the GETs (dtm.security.anonymous-read=true)" : "");
        }
    }
}
