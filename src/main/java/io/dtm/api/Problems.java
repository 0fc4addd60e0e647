package io.dtm.api;

import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * RFC 9457 {@code application/problem+json} responses, shared by every endpoint, and the bounds of what any answer
 * or dead letter says about bad input: at most {@value #MAX_ERRORS} errors listed (with the total count), and at
 * most {@value #MAX_ECHO} characters of any bad value echoed ({@link #echo}).
 */
public final class Problems {

    /** The media type of a problem body. */
    public static final String PROBLEM_JSON = "application/problem+json";
    /** The most errors a problem (or a dead letter's {@code dtm.error.detail}) lists; the rest are counted. */
    public static final int MAX_ERRORS = 100;
    /** The most characters of a bad value an answer or a dead letter repeats. */
    public static final int MAX_ECHO = 256;

    private Problems() {
    }

    /**
     * A problem of type {@code urn:dtm:problem:<type>}. Of {@code errors}, the first {@value #MAX_ERRORS} are
     * listed in {@code errors} and their total in {@code errorCount}.
     */
    public static Response of(int status, String type, String title, String detail, String instance,
            List<?> errors) {
        return of(status, type, title, detail, instance, errors == null ? null : first(errors),
                errors == null ? 0 : errors.size());
    }

    private static Response of(int status, String type, String title, String detail, String instance,
            List<?> listed, int count) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "urn:dtm:problem:" + type);
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        if (instance != null) {
            body.put("instance", echo(instance));
        }
        if (listed != null && !listed.isEmpty()) {
            body.put("errors", listed);
            body.put("errorCount", count);
        }
        return Response.status(status).type(PROBLEM_JSON).entity(body).build();
    }

    /**
     * 400 for a body with field problems, each written {@code "<field>: <detail>"}; the {@code errors} member lists
     * them as {@code {field, detail}}.
     */
    public static Response invalid(String type, String title, List<String> problems, String instance) {
        return of(400, type, title, problems.size() + " problem(s); nothing was stored", instance,
                first(problems).stream().map(Problems::fieldAndDetail).toList(), problems.size());
    }

    private static Map<String, String> fieldAndDetail(String problem) {
        int colon = problem.indexOf(':');
        return colon < 0 ? Map.of("field", "", "detail", problem)
                : Map.of("field", problem.substring(0, colon), "detail", problem.substring(colon + 1).trim());
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

    /**
     * A bad value as an answer or a dead letter may repeat it: {@code null} as {@code null}, otherwise its text cut
     * to {@value #MAX_ECHO} characters, with how much was left out ({@code "abc…(+1000 characters)"}).
     */
    public static String echo(Object value) {
        if (value == null) {
            return "null";
        }
        String text = value.toString();
        if (text.length() <= MAX_ECHO) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(MAX_ECHO - 1)) ? MAX_ECHO - 1 : MAX_ECHO;
        return text.substring(0, end) + "…(+" + (text.length() - end) + " characters)";
    }

    /** The first {@value #MAX_ERRORS} of {@code errors}. */
    public static <T> List<T> first(List<T> errors) {
        return errors.size() <= MAX_ERRORS ? errors : List.copyOf(errors.subList(0, MAX_ERRORS));
    }

    /**
     * The errors on one line ({@code "a; b; c"}), the first {@value #MAX_ERRORS} of them and how many more there
     * were: the {@code dtm.error.detail} of a dead letter.
     */
    public static String summary(List<?> errors) {
        String listed = first(errors).stream().map(String::valueOf).collect(Collectors.joining("; "));
        return errors.size() <= MAX_ERRORS ? listed
                : listed + "; …and " + (errors.size() - MAX_ERRORS) + " more (" + errors.size() + " in all)";
    }
}
