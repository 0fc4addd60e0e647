package io.dtm.security;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** An API key presented as a bearer token, for {@link ApiKeyIdentityProvider}. */
public final class ApiKeyAuthenticationRequest extends BaseAuthenticationRequest {

    private final String key;

    public ApiKeyAuthenticationRequest(String key) {
        this.key = key;
    }

    String key() {
        return key;
    }
}
