package io.dtm.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dtm.api.Problems;
import io.dtm.api.StrictJson;
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
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /api/v1/subscriptions}: who receives alert notifications. Secrets are write-only. */
@Path("/api/v1/subscriptions")
@Tag(name = "subscriptions", description = "Alert notification subscriptions")
@Produces(MediaType.APPLICATION_JSON)
public class SubscriptionsResource {

    private final SubscriptionStore store;
    private final AlertsConfig config;
    private final TargetGuard guard;
    private final TopicGuard topics;

    SubscriptionsResource(SubscriptionStore store, AlertsConfig config,
            @ConfigProperty(name = "quarkus.kafka-streams.application-id") String applicationId) {
        this.store = store;
        this.config = config;
        this.guard = new TargetGuard(config.targetAllowList().orElse(List.of()));
        this.topics = new TopicGuard(config.kafkaTopicPrefix(), applicationId);
    }

    @GET
    @Operation(summary = "Every subscription (without secrets)")
    public List<Subscription> list() {
        return store.all().stream().map(Subscription::withoutSecret).toList();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One subscription (without its secret)")
    public Response get(@PathParam("id") String id, @Context UriInfo uri) {
        return store.get(id).map(s -> Response.ok(s.withoutSecret()).build())
                .orElseGet(() -> notFound(id, uri));
    }

    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Creates or replaces a subscription",
            description = "Validated field by field (RFC 9457); webhook and Alertmanager targets that resolve to "
                    + "loopback, private or link-local addresses are refused unless dtm.alerts.target-allow-list "
                    + "names them; Kafka topics must be under dtm.alerts.kafka-topic-prefix. Unknown fields are "
                    + "refused. "
                    + "The secret signs webhooks (X-DTM-Signature) and is never returned. 409 when a new subscription "
                    + "would pass dtm.alerts.max-subscriptions.")
    public Response put(@PathParam("id") String id,
            @RequestBody(content = @Content(schema = @Schema(implementation = Subscription.class))) JsonNode body,
            @Context UriInfo uri) throws Exception {
        List<String> problems = new ArrayList<>();
        if (body instanceof ObjectNode object) {
            object.put("id", id);
            object.remove("createdAt"); // set by the service, shown by GET: a client may send back what it read
        }
        Optional<Subscription> read = StrictJson.read(body, Subscription.class, problems);
        Optional<Subscription> existing = store.get(id);
        Subscription subscription = read.map(s -> new Subscription(id, s.channel(), s.target(), s.severities(),
                s.labels(), s.secret(), existing.map(Subscription::createdAt).orElse(System.currentTimeMillis())))
                .orElse(null);
        if (subscription != null) {
            problems.addAll(subscription.problems(guard, topics));
        }
        if (!problems.isEmpty()) {
            return Problems.invalid("invalid-subscription", "Invalid subscription", problems, uri.getPath());
        }
        boolean created = existing.isEmpty();
        if (created && store.all().size() >= config.maxSubscriptions()) {
            return Problems.of(409, "too-many-subscriptions", "Too many subscriptions", "there are "
                    + store.all().size() + " subscriptions, the most dtm.alerts.max-subscriptions allows ("
                    + config.maxSubscriptions() + "); delete one or replace an existing one", uri.getPath(), null);
        }
        store.put(id, subscription);
        return Response.status(created ? 201 : 200).entity(subscription.withoutSecret()).build();
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Deletes a subscription")
    public Response delete(@PathParam("id") String id, @Context UriInfo uri) throws Exception {
        if (store.get(id).isEmpty()) {
            return notFound(id, uri);
        }
        store.put(id, null);
        return Response.noContent().build();
    }

    private static Response notFound(String id, UriInfo uri) {
        return Problems.of(404, "unknown-subscription", "Unknown subscription",
                "no subscription '" + Problems.echo(id) + "'",
                uri.getPath(), null);
    }
}
