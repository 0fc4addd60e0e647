package io.dtm.indicators;

import io.dtm.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import io.dtm.api.Problems;
import io.dtm.streams.DtmConfig;
import io.dtm.streams.Peers;
import io.dtm.streams.Role;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
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
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/** {@code /api/v1/indicators}: indicator values from the state stores (interactive queries). */
@Path("/api/v1/indicators")
@RolesAllowed(Roles.READER)
@Tag(name = "indicators", description = "Rolling indicators: latest values and history")
@Produces(MediaType.APPLICATION_JSON)
public class IndicatorsResource {

    private static final Logger LOG = Logger.getLogger(IndicatorsResource.class);
    private static final int RETRY_AFTER_SECONDS = 2;

    private final IndicatorQueries queries;
    private final DtmConfig config;
    private final Peers peers;

    IndicatorsResource(IndicatorQueries queries, DtmConfig config, Peers peers) {
        this.peers = peers;
        this.queries = queries;
        this.config = config;
    }

    @GET
    @Operation(summary = "Latest value of every indicator series",
            description = "Each item is one series (its id names it in /history) with its latest period. Gathered "
                    + "from every instance of the application.")
    @APIResponse(responseCode = "200", description = "The matching series")
    @APIResponse(responseCode = "503", description = "A state store is not ready (rebalancing or restoring)")
    public Response list(@Parameter(description = "kind, e.g. yoy_growth_pct") @QueryParam("indicator") String indicator,
            @Parameter(description = "catalogue entry, e.g. trade-yoy-growth") @QueryParam("id") String id,
            @QueryParam("reporter") String reporter, @QueryParam("partner") String partner,
            @QueryParam("flow") String flow, @QueryParam("category") String category,
            @Parameter(description = "only this instance's series (used between instances)")
            @QueryParam("local") boolean local, @Context UriInfo uri,
            @HeaderParam("Authorization") String authorization) {
        if (!config.runs(Role.INDICATORS)) {
            return notRunning(uri);
        }
        IndicatorQueries.Filter filter = new IndicatorQueries.Filter(indicator, id, reporter, partner, flow, category);
        List<IndicatorQueries.Item> items;
        try {
            items = new ArrayList<>(queries.localLatest(filter));
        } catch (InvalidStateStoreException e) {
            return notReady(e.getMessage(), uri);
        }
        if (!local) {
            try {
                items.addAll(peers.gather(uri.getRequestUri(), authorization, IndicatorQueries.Item[].class));
            } catch (Peers.PeerUnavailable e) {
                LOG.warn(e.getMessage());
                return notReady(e.getMessage(), uri);
            }
            items.sort(Comparator.comparing(IndicatorQueries.Item::id));
        }
        return Response.ok(items).build();
    }

    @GET
    @Path("/{id}/history")
    @Operation(summary = "History of one indicator series",
            description = "Value by period, with the vintage and source of each input. Answered by the instance that "
                    + "owns the series; another instance redirects there (303).")
    @APIResponse(responseCode = "200", description = "The history")
    @APIResponse(responseCode = "303", description = "The series lives on another instance")
    @APIResponse(responseCode = "404", description = "No such series")
    @APIResponse(responseCode = "503", description = "A state store is not ready")
    public Response history(@Parameter(description = "entry:reporter:partner:flow:category, as in the list")
            @PathParam("id") String id, @Context UriInfo uri) {
        if (!config.runs(Role.INDICATORS)) {
            return notRunning(uri);
        }
        IndicatorQueries.Located located;
        try {
            located = queries.history(id);
        } catch (InvalidStateStoreException e) {
            return notReady(e.getMessage(), uri);
        }
        if (located instanceof IndicatorQueries.Elsewhere elsewhere) {
            return Response.seeOther(uri.getRequestUriBuilder().host(elsewhere.host().host())
                    .port(elsewhere.host().port()).build()).build();
        }
        if (located instanceof IndicatorQueries.Unknown unknown) {
            return Problems.of(404, "unknown-indicator", "Unknown indicator", unknown.reason(), uri.getPath(), null);
        }
        return ((IndicatorQueries.Here) located).history()
                .map(h -> Response.ok(h).build())
                .orElseGet(() -> Problems.of(404, "unknown-indicator", "Unknown indicator", "no values yet for " + Problems.echo(id),
                        uri.getPath(), null));
    }

    private static Response notRunning(UriInfo uri) {
        return Problems.roleNotRunning("indicators", uri.getPath());
    }

    private static Response notReady(String detail, UriInfo uri) {
        return Problems.unavailable("store-not-ready", "State store not ready", detail, uri.getPath(),
                RETRY_AFTER_SECONDS);
    }
}
