package io.dtm.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dtm.api.Problems;
import io.dtm.api.StrictJson;
import io.dtm.security.Roles;
import io.dtm.streams.DtmConfig;
import io.dtm.streams.Role;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
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
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /api/v1/subscriptions}: who receives alert notifications, served by instances that run the alerts role
 * from their subscriptions table ({@link SubscriptionStore}; 503 until it is restored). Secrets are write-only. An {@code operator} manages every subscription; a {@code subscriber} its own (the
 * principal that created one owns it, and any other subscriber is answered 404 for it); a {@code reader} sees them
 * all.
 */
@Path("/api/v1/subscriptions")
@Tag(name = "subscriptions", description = "Alert notification subscriptions")
@Produces(MediaType.APPLICATION_JSON)
public class SubscriptionsResource {

    private final SubscriptionStore store;
    private final AlertsConfig config;
    private final DtmConfig dtm;
    private final TargetGuard guard;
    private final TopicGuard topics;
    private final SecurityIdentity caller;

    SubscriptionsResource(SubscriptionStore store, AlertsConfig config, DtmConfig dtm, SecurityIdentity caller,
            @ConfigProperty(name = "quarkus.kafka-streams.application-id") String applicationId) {
        this.store = store;
        this.config = config;
        this.dtm = dtm;
        this.guard = new TargetGuard(config.targetAllowList().orElse(List.of()));
        this.topics = new TopicGuard(config.kafkaTopicPrefix(), applicationId);
        this.caller = caller;
    }

    @GET
    @RolesAllowed({Roles.READER, Roles.OPERATOR, Roles.SUBSCRIBER})
    @Operation(summary = "Every subscription the caller may see (without secrets)")
    public Response list(@Context UriInfo uri) {
        if (!dtm.runs(Role.ALERTS)) {
            return Problems.roleNotRunning("alerts", uri.getPath());
        }
        try {
            return Response.ok(store.all().stream().filter(this::visible).map(Subscription::withoutSecret)
                    .toList()).build();
        } catch (InvalidStateStoreException e) {
            return notReady(e, uri);
        }
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Roles.READER, Roles.OPERATOR, Roles.SUBSCRIBER})
    @Operation(summary = "One subscription (without its secret)")
    public Response get(@PathParam("id") String id, @Context UriInfo uri) {
        if (!dtm.runs(Role.ALERTS)) {
            return Problems.roleNotRunning("alerts", uri.getPath());
        }
        try {
            return store.get(id).filter(this::visible).map(s -> Response.ok(s.withoutSecret()).build())
                    .orElseGet(() -> notFound(id, uri));
        } catch (InvalidStateStoreException e) {
            return notReady(e, uri);
        }
    }

    @PUT
    @Path("/{id}")
    @RolesAllowed({Roles.OPERATOR, Roles.SUBSCRIBER})
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Creates or replaces a subscription",
            description = "Validated field by field (RFC 9457); webhook and Alertmanager targets that resolve to "
                    + "loopback, private or link-local addresses are refused unless dtm.alerts.target-allow-list "
                    + "names them; Kafka topics must be under dtm.alerts.kafka-topic-prefix. Unknown fields are "
                    + "refused. The secret signs webhooks (X-DTM-Signature), is stored encrypted and is never "
                    + "returned; credentials in the target URL are shown redacted. The caller becomes the owner of "
                    + "a new subscription; a subscriber may replace only its own. 409 when a new subscription would "
                    + "pass dtm.alerts.max-subscriptions.")
    public Response put(@PathParam("id") String id,
            @RequestBody(content = @Content(schema = @Schema(implementation = Subscription.class))) JsonNode body,
            @Context UriInfo uri) throws Exception {
        if (!dtm.runs(Role.ALERTS)) {
            return Problems.roleNotRunning("alerts", uri.getPath());
        }
        Optional<Subscription> existing;
        long count;
        try {
            existing = store.get(id);
            count = store.count();
        } catch (InvalidStateStoreException e) {
            return notReady(e, uri);
        }
        if (existing.isPresent() && !mayChange(existing.get())) {
            return notFound(id, uri);
        }
        List<String> problems = new ArrayList<>();
        if (body instanceof ObjectNode object) {
            object.put("id", id);
            // set by the service and shown by GET: a client may send back what it read
            object.remove("createdAt");
            object.remove("owner");
        }
        Optional<Subscription> read = StrictJson.read(body, Subscription.class, problems);
        Subscription subscription = read.map(s -> new Subscription(id, s.channel(), s.target(), s.severities(),
                s.labels(), s.secret(), existing.map(Subscription::createdAt).orElse(System.currentTimeMillis()),
                existing.map(Subscription::owner).orElse(caller.getPrincipal().getName()))).orElse(null);
        if (subscription != null) {
            problems.addAll(subscription.problems(guard, topics));
        }
        if (!problems.isEmpty()) {
            return Problems.invalid("invalid-subscription", "Invalid subscription", problems, uri.getPath());
        }
        boolean created = existing.isEmpty();
        if (created && count >= config.maxSubscriptions()) {
            return Problems.of(409, "too-many-subscriptions", "Too many subscriptions", "there are "
                    + count + " subscriptions, the most dtm.alerts.max-subscriptions allows ("
                    + config.maxSubscriptions() + "); delete one or replace an existing one", uri.getPath(), null);
        }
        try {
            store.put(id, subscription);
        } catch (SubscriptionStore.NoSecretKey e) {
            return Problems.of(503, "secret-key-missing", "Secrets cannot be stored here", e.getMessage(),
                    uri.getPath(), null);
        }
        return Response.status(created ? 201 : 200).entity(subscription.withoutSecret()).build();
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed({Roles.OPERATOR, Roles.SUBSCRIBER})
    @Operation(summary = "Deletes a subscription")
    public Response delete(@PathParam("id") String id, @Context UriInfo uri) throws Exception {
        if (!dtm.runs(Role.ALERTS)) {
            return Problems.roleNotRunning("alerts", uri.getPath());
        }
        try {
            if (store.get(id).filter(this::mayChange).isEmpty()) {
                return notFound(id, uri);
            }
        } catch (InvalidStateStoreException e) {
            return notReady(e, uri);
        }
        store.put(id, null);
        return Response.noContent().build();
    }

    private boolean visible(Subscription s) {
        return caller.hasRole(Roles.READER) || mayChange(s);
    }

    private boolean mayChange(Subscription s) {
        return caller.hasRole(Roles.OPERATOR) || Objects.equals(s.owner(), caller.getPrincipal().getName());
    }

    private static Response notReady(InvalidStateStoreException e, UriInfo uri) {
        return Problems.unavailable("store-not-ready", "State store not ready", e.getMessage(), uri.getPath(), 2);
    }

    private static Response notFound(String id, UriInfo uri) {
        return Problems.of(404, "unknown-subscription", "Unknown subscription",
                "no subscription '" + Problems.echo(id) + "'", uri.getPath(), null);
    }
}
