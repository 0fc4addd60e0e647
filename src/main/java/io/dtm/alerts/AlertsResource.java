package io.dtm.alerts;

import io.dtm.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import io.dtm.api.Problems;
import io.dtm.events.AlertTransition;
import io.dtm.streams.DtmConfig;
import io.dtm.streams.Peers;
import io.dtm.streams.Role;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /api/v1/alerts}: the alerts of every instance of the application (each holds those of its tasks), gathered
 * as {@code /api/v1/indicators} gathers its series, so that every instance gives the same list.
 */
@Path("/api/v1/alerts")
@RolesAllowed(Roles.READER)
@Tag(name = "alerts", description = "Alert states")
@Produces(MediaType.APPLICATION_JSON)
public class AlertsResource {

    private final AlertQueries queries;
    private final DtmConfig config;
    private final Peers peers;

    AlertsResource(AlertQueries queries, DtmConfig config, Peers peers) {
        this.queries = queries;
        this.config = config;
        this.peers = peers;
    }

    /** One alert in the list. */
    public record Alert(String key, String rule, String severity, Map<String, String> labels, String status,
            String since, String period, double value, Double previousValue, String source, String eventId,
            String vintage) {
    }

    @GET
    @Operation(summary = "Alerts that are pending or firing (or every state with all=true), gathered from every "
            + "instance of the application")
    @APIResponse(responseCode = "200", description = "The alerts, by key")
    @APIResponse(responseCode = "503", description = "A state store is not ready, or an instance did not answer")
    public Response alerts(@QueryParam("all") boolean all, @QueryParam("rule") String rule,
            @Parameter(description = "only this instance's alerts (used between instances)")
            @QueryParam(Peers.LOCAL) boolean local, @Context UriInfo uri,
            @HeaderParam("Authorization") String authorization) {
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
        List<Alert> alerts = new ArrayList<>(found.stream().filter(t -> rule == null || rule.equals(t.rule()))
                .map(t -> new Alert(t.key(), t.rule(), t.severity(), t.labels(), t.status(), t.since(), t.period(),
                        t.value(), t.previousValue(), t.source(), t.eventId(), t.vintage()))
                .toList());
        if (!local) {
            try {
                alerts.addAll(peers.gather(uri.getRequestUri(), authorization, Alert[].class));
            } catch (Peers.PeerUnavailable e) {
                return Problems.unavailable("instance-unavailable", "An instance did not answer", e.getMessage(),
                        uri.getPath(), 2);
            }
            alerts.sort(Comparator.comparing(Alert::key));
        }
        return Response.ok(alerts).build();
    }
}
