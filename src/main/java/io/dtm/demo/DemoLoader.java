package io.dtm.demo;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.dtm.ingest.IngestService;
import io.dtm.ingest.KafkaUnavailableException;
import io.dtm.streams.TopicInitializer;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.faulttolerance.Asynchronous;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.jboss.logging.Logger;

/**
 * Publishes the demo data set ({@link DemoDataSet} and the drivers-model panel of {@link ModelDemoData}) through
 * the same ingest path as {@code POST /api/v1/events}, once Kafka answers.
 */
@ApplicationScoped
public class DemoLoader {

    private static final Logger LOG = Logger.getLogger(DemoLoader.class);

    private final IngestService ingest;
    private final DemoConfig config;
    private final TopicInitializer topics;

    DemoLoader(IngestService ingest, DemoConfig config, TopicInitializer topics) {
        this.ingest = ingest;
        this.config = config;
        this.topics = topics;
    }

    void onStart(@Observes StartupEvent event, DemoLoader self) {
        if (!config.enabled()) {
            return;
        }
        try {
            self.load().whenComplete((count, failure) -> {
                if (failure != null) {
                    LOG.errorf("demo data not loaded: %s", failure.getMessage());
                } else {
                    LOG.infof("demo data: %d events published", count);
                }
            });
        } catch (KafkaUnavailableException e) {
            LOG.errorf("demo data not loaded: %s", e.getMessage()); // retried inside load(); not reached in practice
        }
    }

    /** Publishes the demo events as one batch, retried with backoff while Kafka is unavailable. */
    @Asynchronous
    @Retry(maxRetries = 60, delay = 1, delayUnit = ChronoUnit.SECONDS, jitter = 200,
            retryOn = KafkaUnavailableException.class)
    @ExponentialBackoff(maxDelay = 10, maxDelayUnit = ChronoUnit.SECONDS)
    public CompletionStage<Integer> load() throws KafkaUnavailableException {
        if (!topics.done()) {
            throw new KafkaUnavailableException("the service's topics are not created yet", null);
        }
        ArrayNode events = DemoDataSet.events();
        events.addAll(ModelDemoData.events(ModelDemoData.SEED));
        byte[] batch = events.toString().getBytes(StandardCharsets.UTF_8);
        IngestService.Outcome outcome;
        try {
            outcome = ingest.submit(IngestService.BATCH, Map.of(), batch);
        } catch (IngestService.TooManyEventsException e) {
            throw new IllegalStateException("the demo data set does not fit one batch: " + e.getMessage(), e);
        }
        if (!outcome.ok()) {
            throw new IllegalStateException("the demo data set is invalid: " + outcome.problems());
        }
        return CompletableFuture.completedFuture(outcome.accepted().size());
    }
}
