package io.dtm.alerts;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hides the credentials a notification target may carry in its URL before it is shown (API answers, logs,
 * dead letters): the user information ({@code https://user:pass@host/}) and the value of every query parameter
 * ({@code ?token=…}), and the fragment. Delivery itself uses the real URL. Pure: no I/O.
 */
public final class UrlRedaction {

    /** What replaces each hidden part. */
    public static final String MASK = "***";

    /** Scheme and authority, with the user information before the last {@code @} of the authority. */
    private static final Pattern USER_INFO = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*://)([^/?#]*)@");
    /** A URL in a message: up to a blank or a quote, without the punctuation that may end a sentence. */
    private static final Pattern URL_IN_TEXT = Pattern.compile("[a-zA-Z][a-zA-Z0-9+.-]*://[^\\s\"'<>]*[^\\s\"'<>.,:;)]");

    private UrlRedaction() {
    }

    /** {@code url} with its user information, query values and fragment masked; {@code null} stays null. */
    public static String redact(String url) {
        if (url == null) {
            return null;
        }
        String out = USER_INFO.matcher(url).replaceFirst("$1" + MASK + "@");
        int hash = out.indexOf('#');
        String fragment = "";
        if (hash >= 0) {
            fragment = hash == out.length() - 1 ? "#" : "#" + MASK;
            out = out.substring(0, hash);
        }
        int question = out.indexOf('?');
        if (question < 0 || question == out.length() - 1) {
            return out + fragment;
        }
        StringBuilder query = new StringBuilder();
        for (String parameter : out.substring(question + 1).split("&", -1)) {
            if (query.length() > 0) {
                query.append('&');
            }
            int equals = parameter.indexOf('=');
            if (equals < 0) {
                query.append(parameter.isEmpty() ? "" : MASK); // a bare value may be the token itself
            } else {
                query.append(parameter, 0, equals + 1).append(equals == parameter.length() - 1 ? "" : MASK);
            }
        }
        return out.substring(0, question + 1) + query + fragment;
    }

    /** {@code text} (an error message, say) with every URL in it redacted. */
    public static String redactIn(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = URL_IN_TEXT.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(redact(m.group())));
        }
        m.appendTail(out);
        return out.toString();
    }
}
