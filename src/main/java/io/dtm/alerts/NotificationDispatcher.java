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
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.jboss.logging.Logger;

/**
 * The one delivery path: one consumer of {@code dtm.alerts.v1} in one consumer group of the service (instances of
 * the alerts role share the partitions) fans each firing or resolved transition out to the subscriptions that
 * want it, looked up in the subscriptions table when the record is handled, each into its subscription's
 * {@link NotificationLane} (ordered per subscription, attempts on the bounded worker pool).
 *
 * <p>A lane that is full is <em>parked</em> on the record's partition: nothing more is queued for it there, only
 * the offset of the first record it missed is kept, and the other subscriptions go on. Once the lane has drained
 * to half, the partition is read again from that offset for the parked lanes alone (the others skip what they
 * had) up to where reading stood, and then on for everyone. A subscription that shows in the table after
 * transitions of its creation time (record timestamp) were handled is parked at the first of them, and so gets
 * them the same way; it never gets older ones.
 *
 * <p>Delivery is at least once: the group's offset of a partition is committed (every second, when partitions
 * are revoked and at stop) only up to the first record with a delivery not yet done (delivered, dead-lettered, or
 * dropped because its subscription was deleted) and never past the offset a parked lane still has to read from,
 * so a restart sends again what was in flight or missed, with the same idempotency keys. A partition without a
 * committed offset starts at the creation of the oldest subscription.
 */
final class NotificationDispatcher implements Runnable {

    private static final Logger LOG = Logger.getLogger(NotificationDispatcher.class);
    private static final long COMMIT_EVERY_MS = 1000;
    private static final long CLEAN_EVERY_MS = 60_000;
    private static final long STORE_RETRY_MS = 500;

    /** A partition read again, up to {@code until} (where live reading stood), for the parked lanes {@code ids}. */
    private record Replay(Set<String> ids, long until) {
    }

    /** What is handled, not yet done, or still to be read for a parked lane in one assigned partition. */
    private static final class Progress {
        /** Deliveries not done yet, by offset. */
        private final TreeMap<Long, Integer> pending = new TreeMap<>();
        /** Parked lanes (subscription ids) and the offset from which each has still to read (dispatcher only). */
        private final Map<String, Long> parked = new HashMap<>();
        /** The replay under way for some of the parked lanes, or null (dispatcher only). */
        private Replay replay;
        /** The offset after the last record handled live. */
        private long next;
        /** The latest record timestamp handled live. */
        private long latest = Long.MIN_VALUE;
        private volatile boolean revoked;

        Progress(long next) {
            this.next = next;
        }

        /** Whether the record at {@code offset} is due to the lane {@code id}. */
        boolean due(String id, long offset) {
            Long from = parked.get(id);
            return replay == null ? from == null : replay.ids().contains(id) && from != null && offset >= from;
        }

        /** Parks the full lane {@code id} at {@code offset}, the first record it misses. */
        void park(String id, long offset) {
            parked.put(id, offset);
            if (replay != null) {
                replay.ids().remove(id);
            }
        }

        /** Ends the replay: its lanes read live again. */
        void caughtUp() {
            parked.keySet().removeAll(replay.ids());
            replay = null;
        }

        synchronized void handled(long offset, long timestamp, int deliveries) {
            if (replay == null) {
                next = offset + 1;
                latest = Math.max(latest, timestamp);
            } else {
                replay.ids().forEach(id -> parked.computeIfPresent(id, (k, from) -> Math.max(from, offset + 1)));
            }
            if (deliveries > 0) {
                pending.merge(offset, deliveries, Integer::sum);
            }
        }

        synchronized void done(long offset) {
            pending.computeIfPresent(offset, (o, left) -> left == 1 ? null : left - 1);
        }

        /**
         * The offset to commit: the least of the first with a delivery not done, the first a parked lane has
         * still to read, and the one after the last handled live.
         */
        synchronized long position() {
            long position = pending.isEmpty() ? next : Math.min(next, pending.firstKey());
            for (long from : parked.values()) {
                position = Math.min(position, from);
            }
            return position;
        }

        synchronized long next() {
            return next;
        }

        synchronized long latest() {
            return latest;
        }
    }

    private final String topic;
    private final Map<String, Object> consumerConfig;
    private final Supplier<List<Subscription>> subscriptions;
    private final Function<String, NotificationLane> newLane;
    private final Map<String, NotificationLane> lanes = new HashMap<>();
    private final Map<TopicPartition, Progress> progress = new HashMap<>();
    private final Map<TopicPartition, Long> committed = new HashMap<>();
    /** The subscriptions seen (id → creation time), to tell those that show up. */
    private Map<String, Long> known;
    private volatile boolean running = true;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;
    private final java.util.function.BiConsumer<ConsumerRecord<String, byte[]>, Exception> unreadable;
    private long lastCommit;
    private long lastClean = System.currentTimeMillis();

    /**
     * @param group         the consumer group of the service's deliveries
     * @param subscriptions the subscriptions now; throws {@link InvalidStateStoreException} while not readable
     * @param newLane       the lane of a subscription, by id
     * @param unreadable    what to do with a record that is not an alert transition (the service dead-letters it),
     *                      with why; the dispatcher then goes on past it
     */
    NotificationDispatcher(String topic, String group, KafkaConnection kafka,
            Supplier<List<Subscription>> subscriptions, Function<String, NotificationLane> newLane,
            java.util.function.BiConsumer<ConsumerRecord<String, byte[]>, Exception> unreadable) {
        this.topic = topic;
        this.unreadable = unreadable;
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

    /** Stops reading, commits what is done and stops every lane (a notification in flight is sent again later). */
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
                if (known == null && !awaitSubscriptions()) {
                    return;
                }
                try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(consumerConfig, new StringDeserializer(),
                        new ByteArrayDeserializer())) {
                    consumer = c;
                    c.subscribe(List.of(topic), new Rebalance(c));
                    try {
                        while (running) {
                            round(c, c.poll(Duration.ofMillis(200)));
                        }
                    } catch (WakeupException | InterruptException e) {
                        // stopping
                    }
                    commit(c, progress.keySet());
                } catch (WakeupException | InterruptException e) {
                    return;
                } catch (RuntimeException e) {
                    if (!running) {
                        return;
                    }
                    LOG.warnf("notification dispatcher: %s; resuming from the committed positions", e.getMessage());
                    forget(new ArrayList<>(progress.keySet()));
                    sleep(1000);
                }
            }
        } finally {
            lanes.values().forEach(NotificationLane::stop);
            lanes.clear();
        }
    }

    /** Waits until the subscriptions can be read, and notes them. */
    private boolean awaitSubscriptions() {
        while (running) {
            try {
                known = ids(subscriptions.get());
                return true;
            } catch (InvalidStateStoreException e) {
                sleep(STORE_RETRY_MS);
            }
        }
        return false;
    }

    /** Handles one poll's records with the subscriptions as they are now. */
    private void round(KafkaConsumer<String, byte[]> c, ConsumerRecords<String, byte[]> records) {
        List<Subscription> now;
        try {
            now = subscriptions.get();
        } catch (InvalidStateStoreException e) {
            for (TopicPartition tp : records.partitions()) { // read them again once the table is back
                c.seek(tp, records.records(tp).get(0).offset());
            }
            sleep(STORE_RETRY_MS);
            return;
        }
        parkNew(c, now);
        Set<TopicPartition> rewound = replayParked(c);
        for (TopicPartition tp : records.partitions()) {
            if (rewound.contains(tp)) {
                continue; // read again after the replay
            }
            for (ConsumerRecord<String, byte[]> r : records.records(tp)) {
                if (!handle(c, tp, r, now)) {
                    break;
                }
            }
        }
        progress.forEach((tp, p) -> {
            if (p.replay != null && !rewound.contains(tp) && c.position(tp) >= p.replay.until()) {
                p.caughtUp(); // the replay read the last records before its end
            }
        });
        long time = System.currentTimeMillis();
        if (time - lastCommit >= COMMIT_EVERY_MS) {
            commit(c, progress.keySet());
        }
        if (time - lastClean >= CLEAN_EVERY_MS) {
            lastClean = time;
            Set<String> ids = known.keySet();
            lanes.entrySet().removeIf(e -> {
                boolean idle = !ids.contains(e.getKey()) && e.getValue().queued() == 0;
                if (idle) {
                    e.getValue().stop();
                }
                return idle;
            });
        }
    }

    /**
     * Queues a record's notifications for the subscriptions it is due to, parking the full lanes; false when the
     * partition was moved (the replay ended early, or the partition is gone).
     */
    private boolean handle(KafkaConsumer<String, byte[]> c, TopicPartition tp, ConsumerRecord<String, byte[]> r,
            List<Subscription> now) {
        Progress p = progress.get(tp);
        if (p == null) {
            return false;
        }
        Replay replay = p.replay;
        if (replay != null && (r.offset() >= replay.until() || replay.ids().isEmpty())) {
            p.caughtUp();
            if (r.offset() < replay.until()) { // every lane of the replay is parked again: back to live reading
                c.seek(tp, replay.until());
                return false;
            }
        }
        AlertTransition t = notification(r);
        List<Subscription> targets = new ArrayList<>();
        List<NotificationLane> into = new ArrayList<>();
        if (t != null) {
            for (Subscription s : now) {
                if (s.delivered() && (s.createdAt() == null || r.timestamp() >= s.createdAt())
                        && s.wants(t.severity(), Notifications.labels(t)) && p.due(s.id(), r.offset())) {
                    NotificationLane lane = lanes.computeIfAbsent(s.id(), newLane);
                    if (lane.hasRoom()) {
                        targets.add(s);
                        into.add(lane);
                    } else {
                        p.park(s.id(), r.offset());
                    }
                }
            }
        }
        p.handled(r.offset(), r.timestamp(), targets.size());
        long offset = r.offset();
        for (int i = 0; i < targets.size(); i++) {
            into.get(i).offer(new NotificationLane.Delivery(t, targets.get(i), () -> p.revoked,
                    () -> p.done(offset)));
        }
        return true;
    }

    /**
     * Parks, on the partitions that handled transitions of their creation time or later, the subscriptions that
     * show up in the table (at the first such transition), and unparks those deleted.
     */
    private void parkNew(KafkaConsumer<String, byte[]> c, List<Subscription> now) {
        Map<String, Long> seen = ids(now);
        List<Subscription> fresh = now.stream()
                .filter(s -> s.delivered() && !seen.get(s.id()).equals(known.get(s.id()))).toList();
        known = seen;
        for (Map.Entry<TopicPartition, Progress> e : progress.entrySet()) {
            Progress p = e.getValue();
            p.parked.keySet().retainAll(seen.keySet());
            if (p.replay != null) {
                p.replay.ids().retainAll(seen.keySet());
            }
            for (Subscription s : fresh) {
                long created = seen.get(s.id());
                if (created > p.latest()) {
                    continue;
                }
                OffsetAndTimestamp at = c.offsetsForTimes(Map.of(e.getKey(), created)).get(e.getKey());
                if (at != null && at.offset() < p.next()) {
                    p.park(s.id(), at.offset());
                }
            }
        }
    }

    /**
     * Replays partitions for the parked lanes that have room again (drained to half), from the first offset any
     * of them has still to read, together with a replay under way.
     *
     * @return the partitions moved back
     */
    private Set<TopicPartition> replayParked(KafkaConsumer<String, byte[]> c) {
        Set<TopicPartition> rewound = new HashSet<>();
        progress.forEach((tp, p) -> {
            Set<String> ids = new HashSet<>();
            p.parked.keySet().forEach(id -> {
                if (lanes.computeIfAbsent(id, newLane).canResume()) {
                    ids.add(id);
                }
            });
            if (p.replay != null) {
                if (p.replay.ids().containsAll(ids)) {
                    return;
                }
                ids.addAll(p.replay.ids());
            } else if (ids.isEmpty()) {
                return;
            }
            p.replay = new Replay(ids, p.replay == null ? p.next() : p.replay.until());
            c.seek(tp, ids.stream().mapToLong(p.parked::get).min().orElseThrow());
            rewound.add(tp);
        });
        return rewound;
    }

    private static Map<String, Long> ids(List<Subscription> subscriptions) {
        Map<String, Long> ids = new HashMap<>();
        subscriptions.forEach(s -> ids.put(s.id(), s.createdAt() == null ? 0L : s.createdAt()));
        return ids;
    }

    /** The transition a record carries when it is a notification (firing or resolved), else null. */
    private AlertTransition notification(ConsumerRecord<String, byte[]> r) {
        AlertTransition t;
        try {
            t = r.value() == null ? null : JsonSerde.MAPPER.readValue(r.value(), AlertTransition.class);
        } catch (Exception e) {
            unreadable.accept(r, e);
            return null;
        }
        return t != null && t.status() != null && (t.status().equals("firing") || t.status().equals("resolved"))
                ? t : null;
    }

    /**
     * Commits, for {@code tps}, the positions before which every delivery is done and no parked lane has to read,
     * when they moved (back too: a subscription that shows up late is parked before what was committed).
     */
    private void commit(KafkaConsumer<String, byte[]> c, Collection<TopicPartition> tps) {
        lastCommit = System.currentTimeMillis();
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition tp : tps) {
            Progress p = progress.get(tp);
            Long position = p == null ? null : p.position();
            if (position != null && !position.equals(committed.get(tp))) {
                offsets.put(tp, new OffsetAndMetadata(position));
            }
        }
        if (offsets.isEmpty()) {
            return;
        }
        try {
            c.commitSync(offsets, Duration.ofSeconds(10));
            offsets.forEach((tp, o) -> committed.put(tp, o.offset()));
        } catch (WakeupException | InterruptException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.warnf("cannot commit the notification positions (%s); trying again", e.getMessage());
        }
    }

    /** Forgets partitions no longer assigned: what their lanes still hold is not sent. */
    private void forget(Collection<TopicPartition> tps) {
        for (TopicPartition tp : tps) {
            Progress p = progress.remove(tp);
            if (p != null) {
                p.revoked = true;
            }
            committed.remove(tp);
        }
    }

    private void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** Positions newly assigned partitions; commits and forgets revoked ones. */
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
            Map<TopicPartition, OffsetAndMetadata> stored = c.committed(new HashSet<>(partitions));
            long oldest = Long.MAX_VALUE;
            try {
                for (Subscription s : subscriptions.get()) {
                    oldest = Math.min(oldest, s.createdAt() == null ? 0 : s.createdAt());
                }
            } catch (InvalidStateStoreException e) {
                LOG.debugf("subscriptions not readable at assignment (%s): new partitions start at the end",
                        e.getMessage());
            }
            for (TopicPartition tp : partitions) {
                OffsetAndMetadata o = stored.get(tp);
                if (o != null) {
                    c.seek(tp, o.offset());
                    committed.put(tp, o.offset());
                } else {
                    OffsetAndTimestamp at = oldest == Long.MAX_VALUE ? null
                            : c.offsetsForTimes(Map.of(tp, oldest)).get(tp);
                    if (at == null) {
                        c.seekToEnd(List.of(tp));
                    } else {
                        c.seek(tp, at.offset());
                    }
                }
                progress.put(tp, new Progress(c.position(tp)));
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            try {
                commit(c, partitions);
            } finally {
                forget(partitions);
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            forget(partitions);
        }
    }
}
