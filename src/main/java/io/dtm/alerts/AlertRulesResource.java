package io.dtm.alerts;

import io.dtm.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dtm.api.Problems;
import io.dtm.streams.DtmConfig;
import io.dtm.streams.JsonSerde;
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
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
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

    private static final ObjectReader STRICT = JsonSerde.MAPPER.readerFor(AlertRule.class)
            .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final AlertRuleBook rules;
    private final DtmConfig config;

    AlertRulesResource(AlertRuleBook rules, DtmConfig config) {
        this.rules = rules;
        this.config = config;
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
            description = "Validated field by field (RFC 9457); unknown fields are refused. The id is the path's.")
    public Response put(@PathParam("id") String id, JsonNode body, @Context UriInfo uri) throws Exception {
        Response refused = unavailable(uri);
        if (refused != null) {
            return refused;
        }
        if (!(body instanceof ObjectNode object)) {
            return Problems.invalid("invalid-alert-rule", "Invalid alert rule", List.of("(body): a JSON object is required"),
                    uri.getPath());
        }
        object.put("id", id);
        AlertRule rule;
        try {
            rule = STRICT.readValue(object);
        } catch (UnrecognizedPropertyException e) {
            return Problems.invalid("invalid-alert-rule", "Invalid alert rule",
                    List.of(e.getPropertyName() + ": unknown field"), uri.getPath());
        } catch (JsonProcessingException e) {
            String field = e instanceof com.fasterxml.jackson.databind.JsonMappingException m && !m.getPath().isEmpty()
                    ? m.getPath().get(0).getFieldName() : "(body)";
            return Problems.invalid("invalid-alert-rule", "Invalid alert rule",
                    List.of(field + ": " + e.getOriginalMessage()), uri.getPath());
        }
        List<String> problems = rule.problems();
        if (!problems.isEmpty()) {
            return Problems.invalid("invalid-alert-rule", "Invalid alert rule", problems, uri.getPath());
        }
        boolean created = rules.get(id).isEmpty();
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
        return Problems.of(404, "unknown-rule", "Unknown rule", "no alert rule '" + id + "'", uri.getPath(), null);
    }
}
