package io.dtm.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.dtm.streams.DtmConfig;
import io.dtm.streams.KafkaConnection;
import io.dtm.streams.Topic;
import io.dtm.streams.Topics;
import io.smallrye.config.WithDefault;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps the Strimzi KafkaTopic resources of k8s/base/kafkatopics.yaml in line with the service: the topics of the
 * {@link Topics} registry, created as the service's own topic creation (TopicInitializer, with the defaults of
 * {@code dtm.topics.*}) creates them.
 */
class KafkaTopicManifestsTest {

    private static final Path MANIFEST = Path.of("k8s/base/kafkatopics.yaml");

    private static Map<String, JsonNode> manifests;
    private static Map<String, NewTopic> created;

    @BeforeAll
    static void load() throws Exception {
        manifests = readKafkaTopics();
        created = topicsTheServiceCreates().stream()
                .collect(Collectors.toMap(NewTopic::name, Function.identity(), (a, b) -> a, TreeMap::new));
    }

    @Test
    void shouldDeclareExactlyTheTopicsOfTheRegistry() throws IllegalAccessException {
        assertEquals(registryTopicNames(), new TreeSet<>(manifests.keySet()),
                "the KafkaTopic resources of " + MANIFEST + " against the topics of io.dtm.streams.Topics");
    }

    @Test
    void shouldBeTopicsTheServiceCreatesToo() {
        for (String topic : manifests.keySet()) {
            assertTrue(created.containsKey(topic),
                    topic + " has a KafkaTopic, but the service's own topic creation (TopicInitializer) lacks it: "
                            + "the Compose and local stacks would run without it");
        }
    }

    @Test
    void shouldGiveEveryTopicThePartitionsTheServiceUses() {
        for (var entry : manifests.entrySet()) {
            NewTopic topic = created.get(entry.getKey());
            if (topic != null) {
                assertEquals(topic.numPartitions(), entry.getValue().path("spec").path("partitions").asInt(-1),
                        "partitions of " + entry.getKey());
            }
        }
    }

    @Test
    void shouldCompactExactlyTheTopicsTheServiceCompacts() {
        for (var entry : manifests.entrySet()) {
            NewTopic topic = created.get(entry.getKey());
            if (topic == null) {
                continue;
            }
            Map<String, String> settings = topic.configs() == null ? Map.of() : topic.configs();
            JsonNode config = entry.getValue().path("spec").path("config");
            assertEquals(settings.getOrDefault(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE),
                    config.path(TopicConfig.CLEANUP_POLICY_CONFIG).asText(TopicConfig.CLEANUP_POLICY_DELETE),
                    "cleanup.policy of " + entry.getKey());
            for (var setting : settings.entrySet()) {
                assertEquals(setting.getValue(), config.path(setting.getKey()).asText(null),
                        setting.getKey() + " of " + entry.getKey());
            }
        }
    }

    @Test
    void shouldNameTheTopicAndItsKafkaClusterInEveryResource() {
        for (var entry : manifests.entrySet()) {
            assertNotNull(entry.getValue().path("metadata").path("labels").get("strimzi.io/cluster"),
                    entry.getKey() + " names no Kafka cluster (label strimzi.io/cluster)");
        }
    }

    /** spec.topicName (or, without it, metadata.name) of every KafkaTopic of the manifest. */
    private static Map<String, JsonNode> readKafkaTopics() throws IOException {
        var mapper = new ObjectMapper(new YAMLFactory());
        var topics = new TreeMap<String, JsonNode>();
        try (var parser = mapper.getFactory().createParser(Files.newBufferedReader(MANIFEST))) {
            for (JsonNode doc : mapper.readValues(parser, JsonNode.class).readAll()) {
                if (doc == null || !"KafkaTopic".equals(doc.path("kind").asText())) {
                    continue;
                }
                String name = doc.path("spec").path("topicName").asText(doc.path("metadata").path("name").asText());
                assertNull(topics.put(name, doc), name + " is declared twice in " + MANIFEST);
            }
        }
        return topics;
    }

    /** Every {@link Topic} constant of the registry. */
    private static TreeSet<String> registryTopicNames() throws IllegalAccessException {
        var names = new TreeSet<String>();
        for (var field : Topics.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && Topic.class.isAssignableFrom(field.getType())) {
                names.add(((Topic<?, ?>) field.get(null)).name());
            }
        }
        return names;
    }

    /** The topics TopicInitializer creates, with the defaults of {@code dtm.topics.*}. */
    @SuppressWarnings("unchecked")
    private static List<NewTopic> topicsTheServiceCreates() throws Exception {
        var topicsConfig = defaultsOf(DtmConfig.TopicsConfig.class);
        var config = (DtmConfig) Proxy.newProxyInstance(DtmConfig.class.getClassLoader(),
                new Class<?>[] {DtmConfig.class}, (proxy, method, args) -> {
                    if (method.getName().equals("topics")) {
                        return topicsConfig;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        Class<?> initializer = Class.forName("io.dtm.streams.TopicInitializer");
        Constructor<?> constructor = initializer.getDeclaredConstructor(DtmConfig.class, KafkaConnection.class);
        constructor.setAccessible(true);
        Method newTopics = initializer.getDeclaredMethod("newTopics");
        newTopics.setAccessible(true);
        return (List<NewTopic>) newTopics.invoke(constructor.newInstance(config, KafkaConnection.of("127.0.0.1:9092")));
    }

    /** A configuration interface answering every method with its {@code @WithDefault}, or empty when optional. */
    private static <T> T defaultsOf(Class<T> type) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            WithDefault value = method.getAnnotation(WithDefault.class);
            Class<?> returns = method.getReturnType();
            if (value == null) {
                if (returns == Optional.class) {
                    return Optional.empty();
                }
                throw new UnsupportedOperationException(method.getName() + " has no default");
            }
            String text = value.value();
            if (returns == int.class) {
                return Integer.parseInt(text);
            } else if (returns == long.class) {
                return Long.parseLong(text);
            } else if (returns == boolean.class) {
                return Boolean.parseBoolean(text);
            } else if (returns == String.class) {
                return text;
            }
            throw new UnsupportedOperationException(method.getName() + " returns " + returns.getName());
        }));
    }
}
