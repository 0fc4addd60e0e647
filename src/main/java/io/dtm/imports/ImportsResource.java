package io.dtm.imports;

import io.dtm.api.Problems;
import io.dtm.security.Roles;
import io.dtm.streams.DtmConfig;
import io.dtm.streams.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.InputStream;
import java.net.URI;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /api/v1/imports}: a publication as released (World Bank bulk CSV or API JSON, SDMX-CSV, a long CSV, the
 * Epoch AI cluster list) imported figure by figure through the ingest path. Served by instances that run the
 * ingest role; the list and the states are this instance's.
 */
@Path("/api/v1/imports")
@Tag(name = "imports", description = "Imports of statistical publications in their publishers' formats")
@Produces(MediaType.APPLICATION_JSON)
public class ImportsResource {

    private final ImportService imports;
    private final DtmConfig dtm;

    ImportsResource(ImportService imports, DtmConfig dtm) {
        this.imports = imports;
        this.dtm = dtm;
    }

    @POST
    @RolesAllowed(Roles.PUBLISHER)
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Imports a publication",
            description = "The file is the body. dataset names its mapping in datasets.yaml (told from the file's "
                    + "publisher codes when absent); vintage (YYYY-MM-DD) is required where the file carries none "
                    + "and must agree with the file's where it does. Each figure becomes one CloudEvent with an id "
                    + "from (dataset, series, period, vintage), so importing the same publication twice changes "
                    + "nothing. derivedFrom (YYYY-MM-DD) marks a file cut from the later release of that vintage "
                    + "(a replay of earlier releases): its events carry the extension derivedfrom and ids ending "
                    + "in /derived-from-<date>.")
    @APIResponse(responseCode = "202", description = "Queued; Location names its state")
    @APIResponse(responseCode = "400", description = "The dataset cannot be told, or no vintage is known")
    @APIResponse(responseCode = "413", description = "Larger than dtm.imports.max-file-bytes")
    public Response create(InputStream body, @QueryParam("dataset") String dataset,
            @QueryParam("vintage") String vintage, @QueryParam("derivedFrom") String derivedFrom,
            @Context UriInfo uri) throws Exception {
        if (!dtm.runs(Role.INGEST)) {
            return Problems.roleNotRunning("ingest", uri.getPath());
        }
        LocalDate named;
        LocalDate cutFrom;
        try {
            named = vintage == null || vintage.isBlank() ? null : LocalDate.parse(vintage);
        } catch (DateTimeParseException e) {
            return Problems.invalid("invalid-import", "Invalid import",
                    java.util.List.of("vintage: a date YYYY-MM-DD; was " + Problems.echo(vintage)), uri.getPath());
        }
        try {
            cutFrom = derivedFrom == null || derivedFrom.isBlank() ? null : LocalDate.parse(derivedFrom);
        } catch (DateTimeParseException e) {
            return Problems.invalid("invalid-import", "Invalid import", java.util.List.of(
                    "derivedFrom: a date YYYY-MM-DD; was " + Problems.echo(derivedFrom)), uri.getPath());
        }
        try {
            ImportService.Status status = imports.submit(body, dataset, named, cutFrom);
            return Response.accepted(status).location(URI.create("/api/v1/imports/" + status.id())).build();
        } catch (ImportService.Refused e) {
            return Problems.of(400, "invalid-import", "Invalid import", e.getMessage(), uri.getPath(), null);
        } catch (ImportService.TooLarge e) {
            return Problems.of(413, "file-too-large", "File too large", e.getMessage(), uri.getPath(), null);
        }
    }

    @GET
    @RolesAllowed({Roles.READER, Roles.PUBLISHER})
    @Operation(summary = "This instance's recent imports, newest first")
    public Response list(@Context UriInfo uri) {
        if (!dtm.runs(Role.INGEST)) {
            return Problems.roleNotRunning("ingest", uri.getPath());
        }
        return Response.ok(imports.recent()).build();
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Roles.READER, Roles.PUBLISHER})
    @Operation(summary = "One import: state, rows by outcome, rate, progress, the first rejects")
    public Response get(@PathParam("id") String id, @Context UriInfo uri) {
        if (!dtm.runs(Role.INGEST)) {
            return Problems.roleNotRunning("ingest", uri.getPath());
        }
        return imports.status(id).map(s -> Response.ok(s).build()).orElseGet(() -> Problems.of(404,
                "unknown-import", "Unknown import", "no import '" + Problems.echo(id) + "' on this instance",
                uri.getPath(), null));
    }
}
