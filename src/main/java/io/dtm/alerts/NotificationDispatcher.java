package io.dtm.alerts;

import io.dtm.events.AlertTransition;
import io.dtm.streams.JsonSerde;
import io.dtm.streams.KafkaConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Feeds every subscription's {@link NotificationLane} from one consumer of {@code dtm.alerts.v1} (one thread and
 * one consumer group for all subscriptions; instances of the alerts role share the partitions). Each record is
 * read once and offered to every lane at or before its offset; a lane whose queue is full is passed over and,
 * once it has room again, the partition is read again from its position (the others skip what they had).
 * Positions stay per subscription, as committed offsets of the subscription's own group
 * ({@link NotificationLane#groupId}: no member ever joins it, it only stores positions), written through the
 * admin client every second, when partitions are revoked and at stop: a restart resumes from them, so delivery is
 * at least once. A subscription without a position starts with the transitions of its creation time.
 */
final class NotificationDispatcher implements Runnable {

    private static final Logger LOG = Logger.getLogger(NotificationDispatcher.class);
    private static final long COMMIT_EVERY_MS = 1000;
    private static final long SYNC_EVERY_MS = 1000;

    private final String topic;
    private final Map<String, Object> consumerConfig;
    private final Admin admin;
    private final Supplier<List<Subscription>> subscriptions;
    private final Function<Subscription, NotificationLane> newLane;
    private final Map<String, NotificationLane> lanes = new HashMap<>();
    private final Set<TopicPartition> assigned = new HashSet<>();
    private volatile boolean running = true;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;
    private long lastCommit;
    private long lastSync;

    /**
     * @param group         the dispatchers' consumer group (one for all subscriptions)
     * @param subscriptions the subscriptions now (read every second)
     * @param newLane       a lane for a subscription
     */
    NotificationDispatcher(String topic, String group, KafkaConnection kafka, Admin admin,
            Supplier<List<Subscription>> subscriptions, Function<Subscription, NotificationLane> newLane) {
        this.topic = topic;
        this.admin = admin;
        this.subscriptions = subscriptions;
        this.newLane = newLane;
        this.consumerConfig = kafka.with(
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 200);
    }

    /** Starts the dispatcher on a thread of its own. */
    NotificationDispatcher start() {
        thread = new Thread(this, "dtm-notify-dispatcher");
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    /** Stops reading, commits the positions reached and stops every lane (a notification in flight is sent again). */
    void stop() throws InterruptedException {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null) {
            thread.join(TimeUnit.SECONDS.toMillis(15));
        }
    }

    @Override
    public void run() {
        try {
            while (running) {
                try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(consumerConfig, new StringDeserializer(),
                        new ByteArrayDeserializer())) {
                    consumer = c;
                    c.subscribe(List.of(topic), new Rebalance(c));
                    while (running) {
                        long now = System.currentTimeMillis();
                        if (now - lastSync >= SYNC_EVERY_MS) {
                            lastSync = now;
                            syncLanes(c);
                        }
                        for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                            TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                            AlertTransition t = notification(r);
                            for (NotificationLane lane : lanes.values()) {
                                lane.consider(tp, r.offset(), t);
                            }
                        }
                        catchUp(c);
                        if (System.currentTimeMillis() - lastCommit >= COMMIT_EVERY_MS) {
                            commit(lanes.values());
                        }
                    }
                } catch (WakeupException | org.apache.kafka.common.errors.InterruptException e) {
                    return;
                } catch (RuntimeException e) {
                    if (!running) {
                        return;
                    }
                    LOG.warnf("notification dispatcher: %s; resuming from the positions of each subscription",
                            e.getMessage());
                    release(new ArrayList<>(assigned));
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException interrupted) {
                        return;
                    }
                }
            }
        } finally {
            release(new ArrayList<>(assigned));
            lanes.values().forEach(NotificationLane::stop);
            lanes.clear();
        }
    }

    /** The transition a record carries when it is a notification (firing or resolved), else null. */
    private static AlertTransition notification(ConsumerRecord<String, byte[]> r) {
        AlertTransition t;
        try {
            t = r.value() == null ? null : JsonSerde.MAPPER.readValue(r.value(), AlertTransition.class);
        } catch (Exception e) {
            LOG.warnf("unreadable record at %s-%d@%d skipped: %s", r.topic(), r.partition(), r.offset(),
                    e.getMessage());
            return null;
        }
        return t != null && t.status() != null && (t.status().equals("firing") || t.status().equals("resolved"))
                ? t : null;
    }

    /** Starts lanes of new or changed subscriptions and stops those of changed or deleted ones. */
    private void syncLanes(KafkaConsumer<String, byte[]> c) {
        Map<String, Subscription> wanted = new HashMap<>();
        subscriptions.get().stream().filter(Subscription::delivered).forEach(s -> wanted.put(s.id(), s));
        List<NotificationLane> gone = new ArrayList<>();
        lanes.entrySet().removeIf(e -> {
            if (e.getValue().subscription().equals(wanted.get(e.getKey()))) {
                return false;
            }
            gone.add(e.getValue());
            return true;
        });
        if (!gone.isEmpty()) {
            commit(gone);
            gone.forEach(NotificationLane::stop);
        }
        List<NotificationLane> fresh = new ArrayList<>();
        wanted.forEach((id, s) -> {
            if (!lanes.containsKey(id)) {
                fresh.add(newLane.apply(s));
            }
        });
        if (fresh.isEmpty()) {
            return;
        }
        try {
            position(c, fresh, assigned);
            fresh.forEach(lane -> lanes.put(lane.subscription().id(), lane));
        } catch (RuntimeException e) {
            fresh.forEach(NotificationLane::stop);
            LOG.warnf("cannot read the positions of new subscriptions (%s); trying again", e.getMessage());
        }
    }

    /**
     * Sets each lane's position on {@code tps}: its committed one, else the first offset at its creation time (the
     * end when nothing came since). Does not move the consumer: {@link #catchUp} does.
     */
    private void position(KafkaConsumer<String, byte[]> c, Collection<NotificationLane> which,
            Collection<TopicPartition> tps) {
        if (tps.isEmpty() || which.isEmpty()) {
            return;
        }
        Map<String, ListConsumerGroupOffsetsSpec> specs = new HashMap<>();
        which.forEach(lane -> specs.put(NotificationLane.groupId(lane.subscription()),
                new ListConsumerGroupOffsetsSpec().topicPartitions(List.copyOf(tps))));
        Map<String, Map<TopicPartition, OffsetAndMetadata>> stored;
        try {
            stored = admin.listConsumerGroupOffsets(specs).all().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new org.apache.kafka.common.errors.InterruptException(e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the subscriptions' positions: " + e.getMessage(), e);
        }
        Map<TopicPartition, Long> end = null;
        for (NotificationLane lane : which) {
            Map<TopicPartition, OffsetAndMetadata> committed = stored.getOrDefault(
                    NotificationLane.groupId(lane.subscription()), Map.of());
            Map<TopicPartition, Long> fresh = new HashMap<>();
            for (TopicPartition tp : tps) {
                OffsetAndMetadata o = committed.get(tp);
                if (o != null) {
                    lane.start(tp, o.offset(), true);
                } else {
                    Long created = lane.subscription().createdAt();
                    fresh.put(tp, created == null ? Long.MAX_VALUE : created);
                }
            }
            if (fresh.isEmpty()) {
                continue;
            }
            Map<TopicPartition, OffsetAndTimestamp> at = c.offsetsForTimes(fresh);
            for (TopicPartition tp : fresh.keySet()) {
                OffsetAndTimestamp o = at.get(tp);
                if (o == null) { // nothing since its creation yet: from the end as of now, stored at once
                    if (end == null) {
                        end = c.endOffsets(tps);
                    }
                    lane.start(tp, end.get(tp), false);
                } else {
                    lane.start(tp, o.offset(), false);
                }
            }
        }
    }

    /** Moves each partition back to the earliest position of a lane that has room, when it is behind. */
    private void catchUp(KafkaConsumer<String, byte[]> c) {
        for (TopicPartition tp : assigned) {
            long earliest = Long.MAX_VALUE;
            for (NotificationLane lane : lanes.values()) {
                Long next = lane.next(tp);
                if (next != null && next < earliest && lane.canCatchUp()) {
                    earliest = next;
                }
            }
            if (earliest != Long.MAX_VALUE && earliest < c.position(tp)) {
                c.seek(tp, earliest);
            }
        }
    }

    /** Writes the positions the lanes reached to their groups. */
    private void commit(Collection<NotificationLane> which) {
        lastCommit = System.currentTimeMillis();
        Map<NotificationLane, Map<TopicPartition, OffsetAndMetadata>> changed = new HashMap<>();
        Map<NotificationLane, KafkaFuture<Void>> writes = new HashMap<>();
        for (NotificationLane lane : which) {
            Map<TopicPartition, OffsetAndMetadata> positions = lane.toCommit();
            if (!positions.isEmpty()) {
                changed.put(lane, positions);
                writes.put(lane, admin.alterConsumerGroupOffsets(NotificationLane.groupId(lane.subscription()),
                        positions).all());
            }
        }
        writes.forEach((lane, write) -> {
            try {
                write.get(30, TimeUnit.SECONDS);
                lane.committed(changed.get(lane));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                LOG.warnf("cannot store the position of subscription %s (%s); trying again",
                        lane.subscription().id(), e.getMessage());
            }
        });
    }

    /** Commits the positions of {@code tps} and forgets them. */
    private void release(Collection<TopicPartition> tps) {
        if (tps.isEmpty()) {
            return;
        }
        commit(lanes.values());
        lanes.values().forEach(lane -> lane.release(tps));
        assigned.removeAll(tps);
    }

    /** Positions the lanes on assigned partitions and the consumer at the earliest of them. */
    private final class Rebalance implements ConsumerRebalanceListener {

        private final KafkaConsumer<String, byte[]> c;

        Rebalance(KafkaConsumer<String, byte[]> c) {
            this.c = c;
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            assigned.addAll(partitions);
            position(c, lanes.values(), partitions);
            c.seekToEnd(partitions); // with no lane; catchUp moves back to the earliest lane
            for (TopicPartition tp : partitions) {
                long earliest = lanes.values().stream().map(l -> l.next(tp)).filter(n -> n != null)
                        .mapToLong(Long::longValue).min().orElse(-1);
                if (earliest >= 0) {
                    c.seek(tp, earliest);
                }
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            release(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            release(partitions);
        }
    }
}
