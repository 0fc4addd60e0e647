package io.dtm.alerts;

import io.dtm.streams.CompactedTopicView;
import io.dtm.streams.DeadLetters;
import io.dtm.streams.KafkaConnection;
import io.dtm.streams.Topics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The subscriptions, kept in the compacted topic {@code dtm.subscriptions.v1} (the system of record) and read
 * back into memory from its beginning, so that every instance sees every subscription. A write is applied to
 * this instance's view as soon as Kafka acknowledges it. A record that is not a subscription is left out and
 * dead-lettered.
 */
@ApplicationScoped
public class SubscriptionStore {

    private final CompactedTopicView<Subscription> view;

    SubscriptionStore(KafkaConnection kafka, DeadLetters deadLetters) {
        this.view = new CompactedTopicView<>(Topics.SUBSCRIPTIONS.name(), Subscription.class, kafka,
                SubscriptionStore::check, deadLetters);
    }

    /** Refuses a record read from the topic that is not a subscription of its key with a known channel. */
    private static void check(String id, Subscription subscription) {
        if (subscription != null && (!id.equals(subscription.id()) || !subscription.delivered())) {
            throw new IllegalArgumentException("not a subscription: " + (id.equals(subscription.id())
                    ? "unknown channel " + subscription.channel() : "its id is " + subscription.id()));
        }
    }

    void onStart(@Observes StartupEvent event) {
        view.start();
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        view.stop();
    }

    /** Every subscription (with secrets: for delivery, never for the API). */
    public List<Subscription> all() {
        return view.values().stream().sorted(Comparator.comparing(Subscription::id)).toList();
    }

    public Optional<Subscription> get(String id) {
        return view.get(id);
    }

    /** Writes a subscription (or, with {@code null}, deletes it) and waits for Kafka's acknowledgement. */
    public void put(String id, Subscription subscription) throws Exception {
        view.put(id, subscription);
    }
}
