package io.dtm.security;

import io.dtm.api.Problems;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * A request without valid credentials is answered 401 with {@code WWW-Authenticate}, one without the role 403,
 * both as RFC 9457 problems (authentication is not proactive, so these reach the REST layer).
 */
public class SecurityProblems {

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e, UriInfo uri) {
        return unauthenticated("credentials are required: Authorization: Bearer <API key or JWT>", uri);
    }

    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e, UriInfo uri) {
        return unauthenticated("the bearer token is not valid (unknown API key, or a JWT that is expired, "
                + "not signed by the configured key, or for another issuer or audience)", uri);
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return Problems.of(403, "forbidden", "Forbidden", "the credentials do not carry a role this request needs",
                uri.getPath(), null);
    }

    private static Response unauthenticated(String detail, UriInfo uri) {
        return Response.fromResponse(Problems.of(401, "unauthorized", "Unauthorized", detail, uri.getPath(), null))
                .header("WWW-Authenticate", BearerAuthMechanism.CHALLENGE).build();
    }
}
