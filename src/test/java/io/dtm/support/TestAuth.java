package io.dtm.support;

import io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;
import io.restassured.RestAssured;
import io.restassured.filter.Filter;

/**
 * The API keys of the test profile (their hashes are in {@code application.properties}, {@code %test}), and a
 * RestAssured filter that sends the key with every role on each request that names no {@code Authorization} of its
 * own, so that tests of behaviour other than access send credentials as a feed or an operator would. Tests of
 * access itself turn it off ({@link #withoutDefault()}) and say what they send.
 */
public final class TestAuth implements QuarkusTestBeforeEachCallback {

    /** Every role. */
    public static final String ALL = "dtm_test_all";
    public static final String PUBLISHER = "dtm_test_publisher";
    public static final String OPERATOR = "dtm_test_operator";
    public static final String SUBSCRIBER_A = "dtm_test_subscriber_a";
    public static final String SUBSCRIBER_B = "dtm_test_subscriber_b";
    public static final String READER = "dtm_test_reader";

    private static volatile boolean byDefault = true;
    private static boolean installed;

    /** The {@code Authorization} header value for {@code token}. */
    public static String bearer(String token) {
        return "Bearer " + token;
    }

    /** Requests carry only the credentials the test gives them, until {@link #withDefault()}. */
    public static void withoutDefault() {
        byDefault = false;
    }

    /** Requests without credentials of their own carry the key with every role (the default). */
    public static void withDefault() {
        byDefault = true;
    }

    @Override
    public void beforeEach(QuarkusTestMethodContext context) {
        synchronized (TestAuth.class) {
            if (!installed) {
                Filter filter = (request, response, next) -> {
                    if (byDefault && !request.getHeaders().hasHeaderWithName("Authorization")) {
                        request.header("Authorization", bearer(ALL));
                    }
                    return next.next(request, response);
                };
                RestAssured.filters(filter);
                installed = true;
            }
        }
    }
}
