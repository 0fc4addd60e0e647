package io.dtm.alerts;

import io.dtm.api.Problems;
import io.dtm.streams.DtmConfig;
import io.dtm.streams.Role;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /api/v1/alerts} and {@code /api/v1/alert-rules}: the alerts of this instance and the rules. */
@Path("/api/v1")
@Tag(name = "alerts", description = "Alert states and rules")
@Produces(MediaType.APPLICATION_JSON)
public class AlertsResource {

    private final KafkaStreams streams;
    private final AlertsTopology alerts;
    private final DtmConfig config;

    AlertsResource(KafkaStreams streams, AlertsTopology alerts, DtmConfig config) {
        this.streams = streams;
        this.alerts = alerts;
        this.config = config;
    }

    /** One alert in the list. */
    public record Alert(String key, String rule, String severity, Map<String, String> labels, String status,
            String since, String period, double value, Double previousValue, String source, String eventId,
            String vintage) {
    }

    @GET
    @Path("/alerts")
    @Operation(summary = "Alerts held by this instance that are pending or firing (or every state with all=true)")
    public Response alerts(@QueryParam("all") boolean all, @QueryParam("rule") String rule, @Context UriInfo uri) {
        if (!config.runs(Role.ALERTS)) {
            return Problems.of(404, "role-not-running", "Not an alerts instance",
                    "this instance does not run the alerts role (dtm.roles)", uri.getPath(), null);
        }
        List<Alert> found = new ArrayList<>();
        try (KeyValueIterator<String, AlertRecord> it = streams.store(StoreQueryParameters.fromNameAndType(
                AlertsTopology.STATE_STORE, QueryableStoreTypes.<String, AlertRecord>keyValueStore())).all()) {
            it.forEachRemaining(kv -> {
                AlertRecord r = kv.value;
                AlertRule ruleOf = alerts.rules().byId().get(r.rule());
                boolean active = r.status() == AlertStatus.PENDING || r.status() == AlertStatus.FIRING;
                if ((all || active) && (rule == null || rule.equals(r.rule()))) {
                    found.add(new Alert(kv.key, r.rule(), ruleOf == null ? null : ruleOf.severity(), r.labels(),
                            r.status().name().toLowerCase(Locale.ROOT), r.since(), r.period(), r.value(),
                            r.previousValue(), r.source(), r.eventId(), r.vintage()));
                }
            });
        } catch (InvalidStateStoreException e) {
            return Problems.unavailable("store-not-ready", "State store not ready", e.getMessage(), uri.getPath(), 2);
        }
        found.sort(Comparator.comparing(Alert::key));
        return Response.ok(found).build();
    }

    @GET
    @Path("/alert-rules")
    @Operation(summary = "The alert rules")
    public List<AlertRule> rules() {
        return List.copyOf(alerts.rules().byId().values());
    }

    @GET
    @Path("/alert-rules/{id}")
    @Operation(summary = "One alert rule")
    public Response rule(@PathParam("id") String id, @Context UriInfo uri) {
        AlertRule rule = alerts.rules().byId().get(id);
        return rule == null ? Problems.of(404, "unknown-rule", "Unknown rule", "no alert rule '" + id + "'",
                uri.getPath(), null) : Response.ok(rule).build();
    }
}
