package io.dtm.alerts;

import io.dtm.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dtm.api.Problems;
import io.dtm.api.StrictJson;
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
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /api/v1/alert-rules}: the alert rules, stored in the compacted {@code dtm.alert-rules.v1}. Served by
 * instances that run the alerts role; a new or changed rule is evaluated at once on the latest values, and
 * deleting a rule resolves its firing alerts.
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
        return Response.ok(List.copyOf(rules.byId().values())).build();
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
        return rules.get(id).map(r -> Response.ok(r).build()).orElseGet(() -> notFound(id, uri));
    }

    @PUT
    @RolesAllowed(Roles.OPERATOR)
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Creates or replaces an alert rule",
            description = "Validated field by field (RFC 9457); unknown fields are refused. The id is the path's. "
                    + "409 when a new rule would pass dtm.alerts.max-rules.")
    public Response put(@PathParam("id") String id,
            @RequestBody(content = @Content(schema = @Schema(implementation = AlertRule.class))) JsonNode body,
            @Context UriInfo uri) throws Exception {
        Response refused = unavailable(uri);
        if (refused != null) {
            return refused;
        }
        List<String> problems = new ArrayList<>();
        if (body instanceof ObjectNode object) {
            object.put("id", id);
        }
        Optional<AlertRule> read = StrictJson.read(body, AlertRule.class, problems);
        read.ifPresent(rule -> problems.addAll(rule.problems()));
        if (!problems.isEmpty()) {
            return Problems.invalid("invalid-alert-rule", "Invalid alert rule", problems, uri.getPath());
        }
        AlertRule rule = read.orElseThrow();
        boolean created = rules.get(id).isEmpty();
        if (created && rules.byId().size() >= alerts.maxRules()) {
            return Problems.of(409, "too-many-rules", "Too many alert rules", "there are " + rules.byId().size()
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
        if (rules.get(id).isEmpty()) {
            return notFound(id, uri);
        }
        rules.put(id, null);
        return Response.noContent().build();
    }

    /** 404 on an instance without the alerts role, 503 while the rules are being loaded; null when served. */
    private Response unavailable(UriInfo uri) {
        if (!config.runs(Role.ALERTS)) {
            return Problems.roleNotRunning("alerts", uri.getPath());
        }
        return rules.isLoaded() ? null : Problems.unavailable("rules-not-loaded", "Alert rules not loaded yet",
                "the rules are being read from dtm.alert-rules.v1", uri.getPath(), 1);
    }

    private static Response notFound(String id, UriInfo uri) {
        return Problems.of(404, "unknown-rule", "Unknown rule", "no alert rule '" + Problems.echo(id) + "'",
                uri.getPath(), null);
    }
}
