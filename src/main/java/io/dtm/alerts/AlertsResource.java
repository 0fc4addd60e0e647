package io.dtm.alerts;

import io.dtm.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import io.dtm.api.Problems;
import io.dtm.events.AlertTransition;
import io.dtm.streams.DtmConfig;
import io.dtm.streams.Role;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /api/v1/alerts}: the alerts held by this instance. */
@Path("/api/v1/alerts")
@RolesAllowed(Roles.READER)
@Tag(name = "alerts", description = "Alert states")
@Produces(MediaType.APPLICATION_JSON)
public class AlertsResource {

    private final AlertQueries queries;
    private final DtmConfig config;

    AlertsResource(AlertQueries queries, DtmConfig config) {
        this.queries = queries;
        this.config = config;
    }

    /** One alert in the list. */
    public record Alert(String key, String rule, String severity, Map<String, String> labels, String status,
            String since, String period, double value, Double previousValue, String source, String eventId,
            String vintage) {
    }

    @GET
    @Operation(summary = "Alerts held by this instance that are pending or firing (or every state with all=true)")
    public Response alerts(@QueryParam("all") boolean all, @QueryParam("rule") String rule, @Context UriInfo uri) {
        if (!config.runs(Role.ALERTS)) {
            return Problems.roleNotRunning("alerts", uri.getPath());
        }
        List<AlertTransition> found;
        try {
            found = queries.current(all ? List.of() : List.of(AlertStatus.PENDING, AlertStatus.FIRING),
                    System.currentTimeMillis());
        } catch (InvalidStateStoreException e) {
            return Problems.unavailable("store-not-ready", "State store not ready", e.getMessage(), uri.getPath(), 2);
        }
        return Response.ok(found.stream().filter(t -> rule == null || rule.equals(t.rule()))
                .map(t -> new Alert(t.key(), t.rule(), t.severity(), t.labels(), t.status(), t.since(), t.period(),
                        t.value(), t.previousValue(), t.source(), t.eventId(), t.vintage()))
                .toList()).build();
    }
}
