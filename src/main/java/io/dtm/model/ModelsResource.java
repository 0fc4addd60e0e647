package io.dtm.model;

import io.dtm.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import io.dtm.api.Problems;
import io.dtm.events.ModelSnapshot;
import io.dtm.events.ModelWindow;
import io.dtm.streams.DtmConfig;
import io.dtm.streams.Peers;
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
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /api/v1/models}: the drivers models' latest snapshots and history, and their rolling estimates by window end
 * year, from the state stores.
 */
@Path("/api/v1/models")
@RolesAllowed(Roles.READER)
@Tag(name = "models", description = "Drivers models: coefficients, uncertainty, stability, attribution")
@Produces(MediaType.APPLICATION_JSON)
public class ModelsResource {

    private static final int RETRY_AFTER_SECONDS = 2;

    private final Peers peers;
    private final ModelTopology models;
    private final DtmConfig config;

    ModelsResource(Peers peers, ModelTopology models, DtmConfig config) {
        this.peers = peers;
        this.models = models;
        this.config = config;
    }

    /** One model in the list: its name and where its latest snapshot is. */
    public record ModelLink(String model, String href) {
    }

    @GET
    @Operation(summary = "The models this service estimates")
    public Response list(@Context UriInfo uri) {
        if (!config.runs(Role.MODEL)) {
            return notRunning(uri);
        }
        List<ModelLink> links = new ArrayList<>();
        models.specs().keySet().forEach(name -> links.add(new ModelLink(name, "/api/v1/models/" + name)));
        return Response.ok(links).build();
    }

    @GET
    @Path("/{model}")
    @Operation(summary = "The latest snapshot of a model",
            description = "Both estimates (all years and the rolling window) with coefficient, classical and clustered "
                    + "standard errors, t, p and 95% intervals, within R², N, entities, driver ranking and the "
                    + "significance of each term; the stability tests (CUSUM, clustered Chow test at the break year, and "
                    + "the driver-shift test of the rolling window against the years before it, per term and "
                    + "joint); the event behind the snapshot and the change of "
                    + "each coefficient it caused. Intervals are β ± t(0.975, df) · SE with df = N − E − K (classical) "
                    + "or G − 1 (clustered: CR1 by entity, R plm's vcovHC arellano/sss); each inference names its "
                    + "`convention`. What was not computed is null, never 0: rSquared of a not-identified estimate, "
                    + "the stability ratio without enough rows, the change of a term with no previous coefficient.")
    @APIResponse(responseCode = "200", description = "The snapshot")
    @APIResponse(responseCode = "303", description = "The model lives on another instance")
    @APIResponse(responseCode = "404", description = "No such model, or no snapshot yet")
    @APIResponse(responseCode = "503", description = "A state store is not ready")
    public Response latest(@PathParam("model") String model, @Context UriInfo uri) {
        return answer(model, uri, false);
    }

    @GET
    @Path("/{model}/history")
    @Operation(summary = "The latest snapshots of a model, oldest first, each with its attribution")
    public Response history(@PathParam("model") String model, @QueryParam("limit") Integer limit,
            @Context UriInfo uri) {
        return answer(model, uri, true, limit == null ? 100 : Math.max(1, limit));
    }

    /**
     * The rolling estimates of a model by window end year.
     *
     * @param windowYears years in each window
     * @param maxWindows  the most window end years kept ({@code dtm.model.max-windows})
     * @param windows     by window end year, ascending
     */
    public record Windows(String model, int windowYears, int maxWindows, List<ModelWindow> windows) {
    }

    @GET
    @Path("/{model}/windows")
    @Operation(summary = "The rolling estimate of a model for every window end year",
            description = "One estimate per window end year, oldest first: the windows of the model's `window` years "
                    + "ending in each year from the end of the first window (which begins in the earliest year in "
                    + "which at least half of the economies have a row) to the rolling window's end, the latest "
                    + "`maxWindows` of them; the last one is the snapshot's rolling estimate. Each gives its years, "
                    + "rows, N, entities and, per term, the coefficient with classical and clustered standard errors, "
                    + "t, p and 95% intervals on the t quantile of each type's degrees of freedom (see `convention`). "
                    + "A window that is not identified says why and has no terms. An empty list before the first "
                    + "window.")
    @APIResponse(responseCode = "200", description = "The windows")
    @APIResponse(responseCode = "303", description = "The model lives on another instance")
    @APIResponse(responseCode = "404", description = "No such model")
    @APIResponse(responseCode = "503", description = "A state store is not ready")
    public Response windows(@PathParam("model") String model, @Context UriInfo uri) {
        return read(model, uri, ModelTopology.WINDOW_STORE, (List<ModelWindow> windows) -> Response.ok(new Windows(
                model, models.specs().get(model).windowYears(), models.maxWindows(), windows.stream()
                        .sorted(Comparator.comparingInt(ModelWindow::windowEnd)).toList())).build());
    }

    private Response answer(String model, UriInfo uri, boolean history) {
        return answer(model, uri, history, 1);
    }

    private Response answer(String model, UriInfo uri, boolean history, int limit) {
        return read(model, uri, ModelTopology.SNAPSHOT_STORE, (List<ModelSnapshot> snapshots) -> {
            if (snapshots.isEmpty()) {
                return Problems.of(404, "no-snapshot", "No snapshot yet", "model '" + model
                        + "' has no complete panel row yet", uri.getPath(), null);
            }
            if (history) {
                return Response.ok(snapshots.subList(Math.max(0, snapshots.size() - limit), snapshots.size())).build();
            }
            return Response.ok(snapshots.get(snapshots.size() - 1)).build();
        });
    }

    /**
     * The answer made of the values {@code store} holds for {@code model} (keys {@code model|…}, in key order), read
     * on the instance that owns the model: 303 to the owner when it is another one, 404 for an unknown model, 503
     * while the store is not ready.
     */
    private <V> Response read(String model, UriInfo uri, String storeName, Function<List<V>, Response> answer) {
        if (!config.runs(Role.MODEL)) {
            return notRunning(uri);
        }
        if (!models.specs().containsKey(model)) {
            return Problems.of(404, "unknown-model", "Unknown model", "no model '" + Problems.echo(model) + "'; models: "
                    + models.specs().keySet(), uri.getPath(), null);
        }
        try {
            Peers.Owner owner = peers.owner(storeName, model, Serdes.String().serializer(), null, "model " + model);
            if (owner instanceof Peers.Elsewhere elsewhere) {
                return Response.seeOther(uri.getRequestUriBuilder().host(elsewhere.host().host())
                        .port(elsewhere.host().port()).build()).build();
            }
            List<V> values = new ArrayList<>();
            peers.<V>prefixScan(storeName, ((Peers.Here) owner).partition(), model + "|")
                    .forEach(kv -> values.add(kv.value));
            return answer.apply(values);
        } catch (InvalidStateStoreException e) {
            return Problems.unavailable("store-not-ready", "State store not ready", e.getMessage(), uri.getPath(),
                    RETRY_AFTER_SECONDS);
        }
    }

    private static Response notRunning(UriInfo uri) {
        return Problems.roleNotRunning("model", uri.getPath());
    }
}
