package io.dtm.alerts;

import io.dtm.api.Problems;
import io.dtm.security.Roles;
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
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /api/v1/subscriptions}: who receives alert notifications. Secrets are write-only. An {@code operator}
 * manages every subscription; a {@code subscriber} its own (the principal that created one owns it, and another
 * subscriber is answered 404 for it); a {@code reader} sees them all.
 */
@Path("/api/v1/subscriptions")
@Tag(name = "subscriptions", description = "Alert notification subscriptions")
@Produces(MediaType.APPLICATION_JSON)
public class SubscriptionsResource {

    private final SubscriptionStore store;
    private final TargetGuard guard;
    private final SecurityIdentity caller;

    SubscriptionsResource(SubscriptionStore store, AlertsConfig config, SecurityIdentity caller) {
        this.store = store;
        this.guard = new TargetGuard(config.targetAllowList().orElse(List.of()));
        this.caller = caller;
    }

    @GET
    @RolesAllowed({Roles.READER, Roles.OPERATOR, Roles.SUBSCRIBER})
    @Operation(summary = "Every subscription the caller may see (without secrets)")
    public List<Subscription> list() {
        return store.all().stream().filter(this::visible).map(Subscription::withoutSecret).toList();
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Roles.READER, Roles.OPERATOR, Roles.SUBSCRIBER})
    @Operation(summary = "One subscription (without its secret)")
    public Response get(@PathParam("id") String id, @Context UriInfo uri) {
        return store.get(id).filter(this::visible).map(s -> Response.ok(s.withoutSecret()).build())
                .orElseGet(() -> notFound(id, uri));
    }

    @PUT
    @Path("/{id}")
    @RolesAllowed({Roles.OPERATOR, Roles.SUBSCRIBER})
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Creates or replaces a subscription",
            description = "Validated field by field (RFC 9457); webhook and Alertmanager targets that resolve to "
                    + "loopback, private or link-local addresses are refused unless dtm.alerts.target-allow-list "
                    + "names them. The secret signs webhooks (X-DTM-Signature), is stored encrypted and is never "
                    + "returned; credentials in the target URL are shown redacted. The caller becomes the owner of "
                    + "a new subscription; a subscriber may replace only its own.")
    public Response put(@PathParam("id") String id, Subscription body, @Context UriInfo uri) throws Exception {
        if (body == null) {
            return Problems.of(400, "invalid-subscription", "Invalid subscription", "a JSON body is required",
                    uri.getPath(), null);
        }
        Optional<Subscription> existing = store.get(id);
        if (existing.isPresent() && !mayChange(existing.get())) {
            return notFound(id, uri);
        }
        Subscription subscription = new Subscription(id, body.channel(), body.target(), body.severities(),
                body.labels(), body.secret(), existing.map(Subscription::createdAt).orElse(System.currentTimeMillis()),
                existing.map(Subscription::owner).orElse(caller.getPrincipal().getName()));
        List<String> problems = subscription.problems(guard);
        if (!problems.isEmpty()) {
            return Problems.invalid("invalid-subscription", "Invalid subscription", problems, uri.getPath());
        }
        boolean created = existing.isEmpty();
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
        if (store.get(id).filter(this::mayChange).isEmpty()) {
            return notFound(id, uri);
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

    private static Response notFound(String id, UriInfo uri) {
        return Problems.of(404, "unknown-subscription", "Unknown subscription", "no subscription '" + id + "'",
                uri.getPath(), null);
    }
}
