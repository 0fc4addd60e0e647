package io.dtm.ingest;

import io.dtm.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import io.dtm.api.Problems;
import io.dtm.streams.DtmConfig;
import io.dtm.streams.Role;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code POST /api/v1/events}: CloudEvents from upstream feeds over HTTP (DESIGN §3). */
@Path("/api/v1/events")
@RolesAllowed(Roles.PUBLISHER)
@Tag(name = "events", description = "Publish trade, compute, policy and macro events, and retractions")
public class EventsResource {


    private final IngestService ingest;
    private final IngestConfig config;
    private final DtmConfig dtm;

    EventsResource(IngestService ingest, IngestConfig config, DtmConfig dtm) {
        this.ingest = ingest;
        this.config = config;
        this.dtm = dtm;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces({MediaType.APPLICATION_JSON, Problems.PROBLEM_JSON})
    @Operation(summary = "Publish events",
            description = "One structured-mode event (application/cloudevents+json), a batch "
                    + "(application/cloudevents-batch+json, all or nothing), or one binary-mode event (ce-* headers, "
                    + "data in the body). Valid events are published to their feed topic; a request with any invalid "
                    + "event publishes nothing and is answered with every bad attribute and field. A retraction "
                    + "(type dtm.retraction.v1) goes to the topic of the feed its data names and withdraws the "
                    + "observation of its series and period at its vintage.")
    @RequestBody(description = "CloudEvents 1.0, JSON")
    @APIResponse(responseCode = "202", description = "All events accepted and published")
    @APIResponse(responseCode = "400", description = "Invalid events (RFC 9457 problem naming every bad field)")
    @APIResponse(responseCode = "413", description = "Body larger than dtm.ingest.max-body-bytes, a batch of more "
            + "events than dtm.ingest.max-batch-events, or an event too large for a Kafka record")
    @APIResponse(responseCode = "503", description = "Kafka unavailable; retry after the Retry-After seconds")
    public Response publish(InputStream body, @Context HttpHeaders headers) throws IOException {
        if (!dtm.runs(Role.INGEST)) {
            return Problems.roleNotRunning("ingest", "/api/v1/events");
        }
        long declared = headers.getLength();
        byte[] bytes = declared > config.maxBodyBytes() ? null : readAtMost(body, config.maxBodyBytes());
        if (bytes == null) {
            return problem(413, "body-too-large", "Body too large", "the body is larger than "
                    + config.maxBodyBytes() + " bytes (dtm.ingest.max-body-bytes); split it into smaller batches",
                    List.of());
        }
        Map<String, String> lowerCase = new HashMap<>();
        headers.getRequestHeaders().forEach((name, values) -> {
            if (!values.isEmpty()) {
                lowerCase.put(name.toLowerCase(Locale.ROOT), values.get(values.size() - 1));
            }
        });
        IngestService.Outcome outcome;
        try {
            outcome = ingest.submit(headers.getHeaderString(HttpHeaders.CONTENT_TYPE), lowerCase, bytes);
        } catch (IngestService.TooManyEventsException e) {
            return problem(413, "batch-too-large", "Batch too large", e.getMessage(), List.of());
        } catch (KafkaUnavailableException e) {
            return Response.fromResponse(problem(503, "kafka-unavailable", "Kafka unavailable",
                    "the events were not published: " + e.getMessage(), List.of()))
                    .header(HttpHeaders.RETRY_AFTER, config.retryAfterSeconds()).build();
        } catch (EventTooLargeException e) {
            return problem(413, "event-too-large", "Event too large", "nothing was published: " + e.getMessage()
                    + "; send smaller events", List.of());
        }
        if (!outcome.ok()) {
            return problem(400, "invalid-event", "Invalid event", outcome.rejected() + " of " + outcome.events()
                    + " event(s) invalid; nothing was published", outcome.problems());
        }
        return Response.accepted(Map.of("accepted", outcome.accepted().size(), "events", outcome.accepted()))
                .type(MediaType.APPLICATION_JSON).build();
    }

    private static Response problem(int status, String type, String title, String detail,
            List<IngestService.Problem> errors) {
        return Problems.of(status, type, title, detail, "/api/v1/events", errors);
    }

    /** The body, or {@code null} when it is longer than {@code limit}. */
    private static byte[] readAtMost(InputStream in, int limit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int total = 0;
        for (int n; (n = in.read(buffer)) > 0;) {
            total += n;
            if (total > limit) {
                return null;
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }
}
