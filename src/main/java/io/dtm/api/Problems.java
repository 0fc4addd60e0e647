package io.dtm.api;

import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** RFC 9457 {@code application/problem+json} responses, shared by every endpoint. */
public final class Problems {

    /** The media type of a problem body. */
    public static final String PROBLEM_JSON = "application/problem+json";

    private Problems() {
    }

    /** A problem of type {@code urn:dtm:problem:<type>}. */
    public static Response of(int status, String type, String title, String detail, String instance,
            List<?> errors) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "urn:dtm:problem:" + type);
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        if (instance != null) {
            body.put("instance", instance);
        }
        if (errors != null && !errors.isEmpty()) {
            body.put("errors", errors);
        }
        return Response.status(status).type(PROBLEM_JSON).entity(body).build();
    }

    /**
     * 400 for a body with field problems, each written {@code "<field>: <detail>"}; the {@code errors} member lists
     * them as {@code {field, detail}}.
     */
    public static Response invalid(String type, String title, List<String> problems, String instance) {
        return of(400, type, title, problems.size() + " problem(s); nothing was stored", instance, problems.stream()
                .map(p -> {
                    int colon = p.indexOf(':');
                    return colon < 0 ? Map.of("field", "", "detail", p)
                            : Map.of("field", p.substring(0, colon), "detail", p.substring(colon + 1).trim());
                }).toList());
    }

    /** 404: this instance does not run {@code role} (see {@code dtm.roles}), so it does not serve the path. */
    public static Response roleNotRunning(String role, String instance) {
        return of(404, "role-not-running", "Role not running here", "this instance does not run the " + role
                + " role (dtm.roles)", instance, null);
    }

    /** 503 with {@code Retry-After}. */
    public static Response unavailable(String type, String title, String detail, String instance, int retryAfter) {
        return Response.fromResponse(of(503, type, title, detail, instance, null))
                .header("Retry-After", retryAfter).build();
    }
}
