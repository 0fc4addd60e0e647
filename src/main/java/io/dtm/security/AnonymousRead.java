package io.dtm.security;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** With {@code dtm.security.anonymous-read=true}, a request without credentials may read: it gets {@code reader}. */
@ApplicationScoped
public class AnonymousRead implements SecurityIdentityAugmentor {

    private final boolean enabled;

    AnonymousRead(SecurityConfig config) {
        this.enabled = config.anonymousRead();
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (!enabled || !identity.isAnonymous()) {
            return Uni.createFrom().item(identity);
        }
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder(identity).addRole(Roles.READER).build());
    }
}
