package io.dtm.support;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.test.JaasUtils;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A single-node KRaft broker (in process, on free ports of 127.0.0.1) that authenticates clients with SASL
 * (SCRAM-SHA-512 for the service's principals) and authorizes them with the StandardAuthorizer, denying what no ACL
 * allows. Its administrator is the test kit's PLAIN super user; users, ACLs and topics are applied from the Strimzi
 * manifests by the tool the local broker uses too ({@code deploy/local/kafka/KafkaAccess.java}).
 */
public final class SecuredKafkaBroker implements AutoCloseable {

    /** The tool that applies the KafkaTopic and KafkaUser manifests, as deploy/local/kafka.sh runs it. */
    public static final Path ACCESS_TOOL = Path.of("deploy/local/kafka/KafkaAccess.java");

    private final KafkaClusterTestKit cluster;
    private final Path dir;

    private SecuredKafkaBroker(KafkaClusterTestKit cluster, Path dir) {
        this.cluster = cluster;
        this.dir = dir;
    }

    /** Starts a broker with its data under a new directory of {@code target/}. */
    public static SecuredKafkaBroker start() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "kafka-sasl-");
        KafkaClusterTestKit kit = KafkaBroker.singleNode(new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .setBrokerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT)
                .setBaseDirectory(dir.resolve("data"))
                .build())
                // the clients' mechanism; the broker itself and the administrator use the test kit's PLAIN users
                .setConfigProp("sasl.enabled.mechanisms", "SCRAM-SHA-512,PLAIN")
                .setConfigProp("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer")
                .setConfigProp("allow.everyone.if.no.acl.found", "false")
                // the broker reaches its controller on the plaintext controller listener, unauthenticated
                .setConfigProp("super.users", "User:" + JaasUtils.KAFKA_PLAIN_ADMIN + ";User:ANONYMOUS"))
                .build();
        try {
            kit.format();
            kit.startup();
            kit.waitForReadyBrokers();
        } catch (Exception e) {
            kit.close();
            throw e;
        }
        return new SecuredKafkaBroker(kit, dir);
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /** Client settings of the super user. */
    public Map<String, Object> adminSettings() {
        return Map.of("bootstrap.servers", bootstrapServers(),
                "security.protocol", "SASL_PLAINTEXT",
                "sasl.mechanism", "PLAIN",
                "sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                        + JaasUtils.KAFKA_PLAIN_ADMIN + "\" password=\"" + JaasUtils.KAFKA_PLAIN_ADMIN_PASSWORD + "\";");
    }

    /**
     * Runs the access tool as the super user: the topics of {@code topics}, the SCRAM users and exactly the ACLs of
     * {@code users}; the users' client settings land in {@link #credentials()}.
     *
     * @return what the tool printed
     */
    public String apply(Path users, Path topics) throws IOException, InterruptedException {
        Path adminConfig = dir.resolve("admin.properties");
        StringBuilder config = new StringBuilder();
        adminSettings().forEach((k, v) -> {
            if (!k.equals("bootstrap.servers")) {
                config.append(k).append('=').append(v).append('\n');
            }
        });
        Files.writeString(adminConfig, config);
        String java = ProcessHandle.current().info().command().orElse("java");
        // Surefire's real class path (java.class.path may be a manifest-only jar)
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(java, "-cp", classPath, ACCESS_TOOL.toString(),
                "--bootstrap", bootstrapServers(), "--admin-config", adminConfig.toString(),
                "--credentials", credentials().toString(), "--users", users.toString()));
        if (topics != null) {
            command.addAll(List.of("--topics", topics.toString()));
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output;
        try (InputStream in = process.getInputStream()) {
            output = in.readAllBytes();
        }
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("the access tool did not finish");
        }
        String printed = new String(output, StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IllegalStateException("the access tool failed (" + process.exitValue() + "):\n" + printed);
        }
        return printed;
    }

    /** Where the access tool keeps the users' passwords and client settings. */
    public Path credentials() {
        return dir.resolve("credentials");
    }

    /** Client settings (bootstrap servers, SASL) of a user the access tool created. */
    public Map<String, Object> clientSettings(String user) throws IOException {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(credentials().resolve(user + ".properties"))) {
            properties.load(in);
        }
        Map<String, Object> settings = new HashMap<>();
        properties.forEach((k, v) -> settings.put((String) k, v));
        settings.put("bootstrap.servers", bootstrapServers());
        return settings;
    }

    @Override
    public void close() throws Exception {
        cluster.close();
    }
}
