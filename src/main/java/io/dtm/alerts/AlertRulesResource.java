package io.dtm.alerts;

import io.dtm.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dtm.api.Problems;
import io.dtm.streams.DtmConfig;
import io.dtm.streams.Role;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /api/v1/alert-rules}: the alert rules, stored in the compacted {@code dtm.alert-rules.v1} and read from the
 * alerts' rule store ({@link AlertRuleBook}). Served by instances that run the alerts role; a new or changed rule
 * is evaluated at once on the latest values, and deleting a rule resolves its firing alerts.
 */
@Path("/api/v1/alert-rules")
@Tag(name = "alert-rules", description = "Alert rules (thresholds, significance flips, stability, missing releases)")
@Produces(MediaType.APPLICATION_JSON)
public class AlertRulesResource {

    private final AlertRuleBook rules;
    private final DtmConfig config;
    private final AlertsConfig alerts;

    AlertRulesResource(AlertRuleBook rules, DtmConfig config, AlertsConfig alerts) {
        this.rules = rules;
        this.config = config;
        this.alerts = alerts;
    }

    @GET
    @RolesAllowed({Roles.READER, Roles.OPERATOR})
    @Operation(summary = "Every alert rule")
    public Response list(@Context UriInfo uri) {
        Response refused = unavailable(uri);
        if (refused != null) {
            return refused;
        }
        try {
            return Response.ok(List.copyOf(rules.byId().values())).build();
        } catch (InvalidStateStoreException e) {
            return notHere(uri, 303);
        }
    }

    @GET
    @RolesAllowed({Roles.READER, Roles.OPERATOR})
    @Path("/{id}")
    @Operation(summary = "One alert rule")
    public Response get(@PathParam("id") String id, @Context UriInfo uri) {
        Response refused = unavailable(uri);
        if (refused != null) {
            return refused;
        }
        try {
            return rules.get(id).map(r -> Response.ok(r).build()).orElseGet(() -> notFound(id, uri));
        } catch (InvalidStateStoreException e) {
            return notHere(uri, 303);
        }
    }

    @PUT
    @RolesAllowed(Roles.OPERATOR)
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Creates or replaces an alert rule",
            description = "Validated field by field (RFC 9457); unknown fields are refused. The id is the path's. "
                    + "409 when a new rule would pass dtm.alerts.max-rules.")
    public Response put(@PathParam("id") String id,
            @RequestBody(content = @Content(schema = @Schema(oneOf = {IndicatorThreshold.class,
                    ModelThreshold.class, MissingRelease.class}))) JsonNode body,
            @Context UriInfo uri) throws Exception {
        Response refused = unavailable(uri);
        if (refused != null) {
            return refused;
        }
        List<String> problems = new ArrayList<>();
        if (body instanceof ObjectNode object) {
            object.put("id", id);
        }
        Optional<? extends AlertRule> read = AlertRules.document(body, problems);
        read.ifPresent(rule -> problems.addAll(rule.problems()));
        if (!problems.isEmpty()) {
            return Problems.invalid("invalid-alert-rule", "Invalid alert rule", problems, uri.getPath());
        }
        AlertRule rule = read.orElseThrow();
        Map<String, AlertRule> there;
        try {
            there = rules.byId();
        } catch (InvalidStateStoreException e) {
            return notHere(uri, 307);
        }
        boolean created = !there.containsKey(id);
        if (created && there.size() >= alerts.maxRules()) {
            return Problems.of(409, "too-many-rules", "Too many alert rules", "there are " + there.size()
                    + " rules, the most dtm.alerts.max-rules allows (" + alerts.maxRules()
                    + "); delete one or replace an existing one", uri.getPath(), null);
        }
        rules.put(id, rule);
        return Response.status(created ? 201 : 200).entity(rule).build();
    }

    @DELETE
    @RolesAllowed(Roles.OPERATOR)
    @Path("/{id}")
    @Operation(summary = "Deletes an alert rule; its firing alerts resolve")
    public Response delete(@PathParam("id") String id, @Context UriInfo uri) throws Exception {
        Response refused = unavailable(uri);
        if (refused != null) {
            return refused;
        }
        try {
            if (rules.get(id).isEmpty()) {
                return notFound(id, uri);
            }
        } catch (InvalidStateStoreException e) {
            return notHere(uri, 307);
        }
        rules.put(id, null);
        return Response.noContent().build();
    }

    /** 404 on an instance without the alerts role, 503 until the default rules are written; null when served. */
    private Response unavailable(UriInfo uri) {
        if (!config.runs(Role.ALERTS)) {
            return Problems.roleNotRunning("alerts", uri.getPath());
        }
        return rules.isLoaded() ? null : notLoaded(uri);
    }

    private static Response notLoaded(UriInfo uri) {
        return Problems.unavailable("rules-not-loaded", "Alert rules not loaded yet",
                "the rules are being read from dtm.alert-rules.v1", uri.getPath(), 1);
    }

    /**
     * This instance holds no queryable task of the matching (starting, rebalancing, or more instances than
     * partitions): {@code status} (303 for a read, 307 for a write) to one that does, or 503.
     */
    private Response notHere(UriInfo uri, int status) {
        Optional<HostInfo> other;
        try {
            other = rules.elsewhere();
        } catch (RuntimeException notRunning) {
            other = Optional.empty();
        }
        return other.map(host -> Response.status(status).location(uri.getRequestUriBuilder().host(host.host())
                .port(host.port()).build()).build()).orElseGet(() -> notLoaded(uri));
    }

    private static Response notFound(String id, UriInfo uri) {
        return Problems.of(404, "unknown-rule", "Unknown rule", "no alert rule '" + Problems.echo(id) + "'",
                uri.getPath(), null);
    }
}
