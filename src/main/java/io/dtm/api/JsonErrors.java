package io.dtm.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * A request body that cannot be read is answered with an RFC 9457 problem, like every other bad input: a JSON body
 * that does not parse (Quarkus REST wraps the parse error in a 400 {@link WebApplicationException}), and a client
 * error without a body of its own, such as 415 for a content type an endpoint does not take. Other such exceptions
 * keep their own response.
 */
public class JsonErrors {

    @ServerExceptionMapper
    public Response unreadable(WebApplicationException e, UriInfo uri) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return unreadable(json, uri);
        }
        Response response = e.getResponse();
        if (response.getStatus() >= 400 && response.getStatus() < 500 && !response.hasEntity()) {
            Response.StatusType status = response.getStatusInfo();
            Response problem = Problems.of(status.getStatusCode(), "http-" + status.getStatusCode(),
                    status.getReasonPhrase(), Problems.echo(e.getMessage()), uri.getPath(), null);
            return Response.fromResponse(response).entity(problem.getEntity()).type(Problems.PROBLEM_JSON).build();
        }
        return response;
    }

    @ServerExceptionMapper
    public Response unreadable(JsonProcessingException e, UriInfo uri) {
        return Problems.of(400, "malformed-json", "Malformed JSON", "the body is not the JSON this endpoint takes: "
                + Problems.echo(e.getOriginalMessage()), uri.getPath(), null);
    }
}
