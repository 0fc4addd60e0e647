package io.dtm.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * A JSON request body that cannot be read is answered with an RFC 9457 problem, like every other bad input
 * (Quarkus REST wraps the parse error in a 400 {@link WebApplicationException}; other such exceptions keep their
 * own response).
 */
public class JsonErrors {

    @ServerExceptionMapper
    public Response unreadable(WebApplicationException e, UriInfo uri) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return unreadable(json, uri);
        }
        return e.getResponse();
    }

    @ServerExceptionMapper
    public Response unreadable(JsonProcessingException e, UriInfo uri) {
        return Problems.of(400, "malformed-json", "Malformed JSON", "the body is not the JSON this endpoint takes: "
                + e.getOriginalMessage(), uri.getPath(), null);
    }
}
