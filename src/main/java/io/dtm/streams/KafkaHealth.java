package io.dtm.streams;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;
import org.apache.kafka.streams.KafkaStreams;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * The service's Kafka health, answered within a second whatever the broker does (a probe that times out is a probe
 * that fails): Quarkus's own Kafka checks are switched off because they wait for the broker without a bound (the
 * client check) or for {@code topics-timeout} (the Kafka Streams topics check), so that with the broker away
 * {@code /q/health/ready} gave no answer for ten seconds and more.
 * <ul>
 * <li>readiness {@code dtm-kafka}: the broker describes its cluster within {@link #PROBE}, and Kafka Streams is
 * running or rebalancing;</li>
 * <li>liveness {@code dtm-streams}: Kafka Streams has not failed ({@code ERROR}, {@code PENDING_ERROR}, or stopped
 * while the service runs) — a broker that is away makes the service unready, not dead.</li>
 * </ul>
 */
@ApplicationScoped
public class KafkaHealth {

    /** How long the readiness probe waits for the broker. */
    static final Duration PROBE = Duration.ofMillis(800);

    private final KafkaConnection kafka;
    /** The state of this instance's Kafka Streams; {@code null} when it has none. */
    private final Supplier<KafkaStreams.State> state;
    private Admin admin;
    private volatile boolean stopping;

    @jakarta.inject.Inject
    KafkaHealth(KafkaConnection kafka, Instance<KafkaStreams> streams) {
        this(kafka, () -> streams.isResolvable() ? streams.get().state() : null);
    }

    KafkaHealth(KafkaConnection kafka, Supplier<KafkaStreams.State> state) {
        this.kafka = kafka;
        this.state = state;
    }

    /** Whether the broker answered within {@link #PROBE}, with the nodes or why not. */
    HealthCheckResponse broker() {
        var response = HealthCheckResponse.named("dtm-kafka");
        try {
            Collection<Node> nodes = admin().describeCluster(new DescribeClusterOptions()
                    .timeoutMs((int) PROBE.toMillis())).nodes().get(PROBE.toMillis() + 100, TimeUnit.MILLISECONDS);
            response.up().withData("nodes", nodes.size());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            response.down().withData("reason", "interrupted");
        } catch (ExecutionException | TimeoutException e) {
            response.down().withData("reason", "the broker at " + kafka.bootstrapServers() + " did not answer within "
                    + PROBE.toMillis() + " ms");
        }
        KafkaStreams.State now = state.get();
        if (now != null) {
            response.withData("streams", now.name());
            if (!now.isRunningOrRebalancing()) {
                response.down();
            }
        }
        return response.build();
    }

    /** Whether Kafka Streams still runs (or has not failed yet). */
    HealthCheckResponse streams() {
        var response = HealthCheckResponse.named("dtm-streams").up();
        KafkaStreams.State now = state.get();
        if (now != null) {
            response.withData("state", now.name());
            boolean failed = now == KafkaStreams.State.ERROR || now == KafkaStreams.State.PENDING_ERROR
                    || now == KafkaStreams.State.NOT_RUNNING && !stopping;
            if (failed) {
                response.down();
            }
        }
        return response.build();
    }

    /** One admin client for the probes, made at the first probe (it reconnects by itself). */
    private synchronized Admin admin() {
        if (admin == null) {
            admin = Admin.create(kafka.with(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) PROBE.toMillis(),
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) PROBE.toMillis(),
                    AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000,
                    AdminClientConfig.CLIENT_ID_CONFIG, "dtm-health"));
        }
        return admin;
    }

    synchronized void onStop(@Observes ShutdownEvent event) {
        close();
    }

    /** Closes the probes' client; Kafka Streams stopping from now on is the service stopping. */
    synchronized void close() {
        stopping = true;
        if (admin != null) {
            admin.close(Duration.ZERO);
        }
    }

    @Readiness
    @ApplicationScoped
    static class Ready implements HealthCheck {
        private final KafkaHealth health;

        Ready(KafkaHealth health) {
            this.health = health;
        }

        @Override
        public HealthCheckResponse call() {
            return health.broker();
        }
    }

    @Liveness
    @ApplicationScoped
    static class Live implements HealthCheck {
        private final KafkaHealth health;

        Live(KafkaHealth health) {
            this.health = health;
        }

        @Override
        public HealthCheckResponse call() {
            return health.streams();
        }
    }
}
