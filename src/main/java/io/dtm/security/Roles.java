package io.dtm.security;

import java.util.Set;

/** The roles of the HTTP API (DESIGN §6): who may publish, operate, subscribe and read. */
public final class Roles {

    /** {@code POST /api/v1/events} (and the imports). */
    public static final String PUBLISHER = "publisher";
    /** Alert rules, and every subscription. */
    public static final String OPERATOR = "operator";
    /** Its own subscriptions only: the principal that created a subscription owns it. */
    public static final String SUBSCRIBER = "subscriber";
    /** Every {@code GET} under {@code /api/v1}. */
    public static final String READER = "reader";

    /** Every role, in the order the README lists them. */
    public static final Set<String> ALL = Set.of(PUBLISHER, OPERATOR, SUBSCRIBER, READER);

    private Roles() {
    }
}
