import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Applies the Strimzi resources of k8s/base to a plain Kafka broker as an administrator, the way Strimzi's Topic
 * and User Operators would: the KafkaTopic resources become topics, each KafkaUser a SCRAM-SHA-512 user with
 * exactly the ACLs of its {@code spec.authorization.acls} (ACLs of that principal that the manifest does not list
 * are deleted). The manifests stay the one source of truth for the local broker (deploy/local/kafka.sh) and for
 * the test that runs every role under its principal.
 *
 * <p>Each user's password is kept in {@code <credentials>/<user>.password} (made on first use) and its client
 * settings are written beside it: {@code <user>.properties} (for the console tools' --producer.config, --consumer.config, --command-config) and
 * {@code <user>.env} (KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_MECHANISM, KAFKA_SASL_JAAS_CONFIG for the service).
 *
 * <p>Usage (Java 17 source launcher, the broker's jars on the class path):
 * <pre>
 * java -cp "libs/*" KafkaAccess.java --bootstrap 127.0.0.1:9092 --admin-config admin.properties \
 *     --credentials DIR [--topics kafkatopics.yaml] --users kafkausers.yaml [--protocol SASL_PLAINTEXT]
 * </pre>
 */
public final class KafkaAccess {

    private static final ScramMechanism MECHANISM = ScramMechanism.SCRAM_SHA_512;
    private static final int ITERATIONS = 4096;

    /** One KafkaUser: its name and the ACL bindings of its principal. */
    record User(String name, List<AclBinding> acls) {
        String principal() {
            return "User:" + name;
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        String bootstrap = required(options, "--bootstrap");
        Path credentials = Path.of(required(options, "--credentials"));
        String protocol = options.getOrDefault("--protocol", "SASL_PLAINTEXT");
        List<User> users = readUsers(Path.of(required(options, "--users")));
        List<NewTopic> topics = options.containsKey("--topics") ? readTopics(Path.of(options.get("--topics")))
                : List.of();

        Properties admin = new Properties();
        try (InputStream in = Files.newInputStream(Path.of(required(options, "--admin-config")))) {
            admin.load(in);
        }
        admin.put("bootstrap.servers", bootstrap);
        try (Admin client = Admin.create(admin)) {
            createTopics(client, topics);
            Files.createDirectories(credentials);
            for (User user : users) {
                String password = password(credentials, user.name());
                client.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(user.name(),
                        new ScramCredentialInfo(MECHANISM, ITERATIONS), password))).all().get();
                writeClientSettings(credentials, user.name(), password, protocol);
                syncAcls(client, user);
            }
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 == args.length) {
                throw new IllegalArgumentException("usage: KafkaAccess --bootstrap HOST:PORT --admin-config FILE "
                        + "--credentials DIR [--topics KAFKATOPICS.yaml] --users KAFKAUSERS.yaml [--protocol P]");
            }
            options.put(args[i], args[++i]);
        }
        return options;
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("missing " + name);
        }
        return value;
    }

    private static List<JsonNode> documents(Path file, String kind) throws IOException {
        List<JsonNode> found = new ArrayList<>();
        try (MappingIterator<JsonNode> docs = new YAMLMapper().readerFor(JsonNode.class).readValues(file.toFile())) {
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc != null && kind.equals(doc.path("kind").asText())) {
                    found.add(doc);
                }
            }
        }
        if (found.isEmpty()) {
            throw new IllegalArgumentException("no " + kind + " in " + file);
        }
        return found;
    }

    /** The KafkaUser resources of {@code file}, with their ACLs as Kafka bindings. */
    static List<User> readUsers(Path file) throws IOException {
        List<User> users = new ArrayList<>();
        for (JsonNode doc : documents(file, "KafkaUser")) {
            String name = doc.path("metadata").path("name").asText();
            JsonNode spec = doc.path("spec");
            if (!"scram-sha-512".equals(spec.path("authentication").path("type").asText())) {
                throw new IllegalArgumentException("KafkaUser " + name + ": only scram-sha-512 is supported here");
            }
            List<AclBinding> acls = new ArrayList<>();
            for (JsonNode acl : spec.path("authorization").path("acls")) {
                JsonNode resource = acl.path("resource");
                ResourceType type = switch (resource.path("type").asText()) {
                    case "topic" -> ResourceType.TOPIC;
                    case "group" -> ResourceType.GROUP;
                    case "cluster" -> ResourceType.CLUSTER;
                    case "transactionalId" -> ResourceType.TRANSACTIONAL_ID;
                    default -> throw new IllegalArgumentException("KafkaUser " + name + ": unknown resource type "
                            + resource.path("type").asText());
                };
                String resourceName = type == ResourceType.CLUSTER ? "kafka-cluster" : resource.path("name").asText();
                PatternType pattern = "prefix".equals(resource.path("patternType").asText("literal"))
                        ? PatternType.PREFIXED : PatternType.LITERAL;
                AclPermissionType permission = "deny".equals(acl.path("type").asText("allow"))
                        ? AclPermissionType.DENY : AclPermissionType.ALLOW;
                List<String> operations = new ArrayList<>();
                acl.path("operations").forEach(o -> operations.add(o.asText()));
                if (acl.has("operation")) {
                    operations.add(acl.path("operation").asText());
                }
                for (String operation : operations) {
                    acls.add(new AclBinding(new ResourcePattern(type, resourceName, pattern),
                            new AccessControlEntry("User:" + name, acl.path("host").asText("*"),
                                    operation(operation), permission)));
                }
            }
            users.add(new User(name, List.copyOf(acls)));
        }
        return users;
    }

    /** Strimzi's operation names (Read, DescribeConfigs, IdempotentWrite …) as Kafka's. */
    private static AclOperation operation(String strimzi) {
        String constant = strimzi.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
        AclOperation operation = AclOperation.fromString(constant);
        if (operation == AclOperation.UNKNOWN || operation == AclOperation.ANY) {
            throw new IllegalArgumentException("unknown ACL operation " + strimzi);
        }
        return operation;
    }

    /** The KafkaTopic resources of {@code file} as topics to create. */
    static List<NewTopic> readTopics(Path file) throws IOException {
        List<NewTopic> topics = new ArrayList<>();
        for (JsonNode doc : documents(file, "KafkaTopic")) {
            JsonNode spec = doc.path("spec");
            String name = spec.path("topicName").asText(doc.path("metadata").path("name").asText());
            Map<String, String> config = new LinkedHashMap<>();
            spec.path("config").properties().forEach(e -> config.put(e.getKey(), e.getValue().asText()));
            topics.add(new NewTopic(name,
                    spec.has("partitions") ? Optional.of(spec.path("partitions").asInt()) : Optional.empty(),
                    spec.has("replicas") ? Optional.of((short) spec.path("replicas").asInt()) : Optional.empty())
                    .configs(config));
        }
        return topics;
    }

    private static void createTopics(Admin client, List<NewTopic> topics) throws Exception {
        int created = 0;
        for (NewTopic topic : topics) {
            try {
                client.createTopics(List.of(topic)).all().get();
                created++;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
        if (!topics.isEmpty()) {
            System.out.printf("kafka: %d topics (%d created)%n", topics.size(), created);
        }
    }

    private static String password(Path dir, String user) throws IOException {
        Path file = dir.resolve(user + ".password");
        if (Files.exists(file)) {
            return Files.readString(file).trim();
        }
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        writePrivate(file, password + "\n");
        return password;
    }

    private static void writeClientSettings(Path dir, String user, String password, String protocol)
            throws IOException {
        String jaas = "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";";
        writePrivate(dir.resolve(user + ".properties"), "security.protocol=" + protocol + "\n"
                + "sasl.mechanism=" + MECHANISM.mechanismName() + "\n"
                + "sasl.jaas.config=" + jaas + "\n");
        writePrivate(dir.resolve(user + ".env"), "KAFKA_SECURITY_PROTOCOL=" + protocol + "\n"
                + "KAFKA_SASL_MECHANISM=" + MECHANISM.mechanismName() + "\n"
                + "KAFKA_SASL_JAAS_CONFIG='" + jaas + "'\n");
    }

    private static void writePrivate(Path file, String content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp);
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the directory's permissions protect it
        }
        Files.writeString(tmp, content);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** Makes the principal's ACLs exactly those of its manifest. */
    private static void syncAcls(Admin client, User user) throws Exception {
        AclBindingFilter ofPrincipal = new AclBindingFilter(ResourcePatternFilter.ANY,
                new AccessControlEntryFilter(user.principal(), null, AclOperation.ANY, AclPermissionType.ANY));
        Set<AclBinding> existing = new LinkedHashSet<>(client.describeAcls(ofPrincipal).values().get());
        Set<AclBinding> wanted = new LinkedHashSet<>(user.acls());
        List<AclBindingFilter> stale = existing.stream().filter(b -> !wanted.contains(b)).map(AclBinding::toFilter)
                .toList();
        List<AclBinding> missing = wanted.stream().filter(b -> !existing.contains(b)).toList();
        if (!stale.isEmpty()) {
            client.deleteAcls(stale).all().get();
        }
        if (!missing.isEmpty()) {
            client.createAcls(missing).all().get();
        }
        System.out.printf("kafka: user %s: %d ACLs (%d added, %d removed)%n", user.name(), wanted.size(),
                missing.size(), stale.size());
    }
}
