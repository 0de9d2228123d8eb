package org.salesledger.infra.embedded;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real single-node Kafka (broker and KRaft controller in one) running in this JVM with Kafka's own server
 * classes. Its logs are kept in a directory: formatted on the first start, reused later, so topics and records
 * survive a restart. The controller's port is remembered in the directory too.
 */
public final class EmbeddedKafkaServer implements AutoCloseable {

    private static final int NODE_ID = 1;

    private final KafkaRaftServer server;
    private final int port;
    private final String host;
    private final Path temporaryDir;

    private EmbeddedKafkaServer(KafkaRaftServer server, int port, String host, Path temporaryDir) {
        this.server = server;
        this.port = port;
        this.host = host;
        this.temporaryDir = temporaryDir;
    }

    /** Starts on {@code dataDir} and {@code port} (0: any free port, remembered for the next start), on loopback. */
    public static EmbeddedKafkaServer start(Path dataDir, int port) {
        return start(dataDir, port, "127.0.0.1", null);
    }

    /**
     * Starts with the broker listening on {@code bindAddress} (an address or host name; {@code 0.0.0.0} or {@code ::}:
     * every interface, advertised under this machine's host name). The KRaft controller stays on loopback.
     */
    public static EmbeddedKafkaServer start(Path dataDir, int port, String bindAddress) {
        return start(dataDir, port, bindAddress, null);
    }

    /** Starts on a fresh temporary directory that {@link #close()} deletes: for tests. */
    public static EmbeddedKafkaServer startTemporary() {
        try {
            Path dir = Files.createTempDirectory("salesledger-kafka-");
            return start(dir.resolve("data"), 0, "127.0.0.1", dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static EmbeddedKafkaServer start(Path dataDir, int port, String bindAddress, Path temporaryDir) {
        try {
            Path logs = Files.createDirectories(dataDir.resolve("logs"));
            int brokerPort = port != 0 ? port : remembered(dataDir.resolve("broker.port"));
            int controllerPort = remembered(dataDir.resolve("controller.port"));
            Properties props = new Properties();
            props.put("process.roles", "broker,controller");
            props.put("node.id", String.valueOf(NODE_ID));
            props.put("controller.quorum.voters", NODE_ID + "@localhost:" + controllerPort);
            String listenOn = hostInUrl(bindAddress);
            String advertised = wildcard(bindAddress) ? hostInUrl(thisMachine()) : listenOn;
            props.put("listeners", "PLAINTEXT://" + listenOn + ":" + brokerPort
                    + ",CONTROLLER://localhost:" + controllerPort);
            props.put("advertised.listeners", "PLAINTEXT://" + advertised + ":" + brokerPort);
            props.put("controller.listener.names", "CONTROLLER");
            props.put("inter.broker.listener.name", "PLAINTEXT");
            props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
            props.put("log.dirs", logs.toString());
            props.put("num.partitions", "1");
            props.put("offsets.topic.replication.factor", "1");
            props.put("offsets.topic.num.partitions", "5");
            props.put("transaction.state.log.replication.factor", "1");
            props.put("transaction.state.log.min.isr", "1");
            props.put("transaction.state.log.num.partitions", "5");
            props.put("group.initial.rebalance.delay.ms", "0");
            props.put("auto.create.topics.enable", "true");
            props.put("num.network.threads", "2");
            props.put("num.io.threads", "2");
            props.put("log.cleaner.dedupe.buffer.size", String.valueOf(2 * 1024 * 1024));
            KafkaConfig config = KafkaConfig.fromProps(props);
            if (!Files.exists(logs.resolve("meta.properties"))) {
                new Formatter()
                        .setPrintStream(new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8))
                        .setNodeId(NODE_ID)
                        .setClusterId(Uuid.randomUuid().toString())
                        .setDirectories(List.of(logs.toString()))
                        .setMetadataLogDirectory(logs.toString())
                        .setControllerListenerName("CONTROLLER")
                        .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                        .run();
            }
            KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
            server.startup();
            EmbeddedKafkaServer kafka = new EmbeddedKafkaServer(server, brokerPort,
                    wildcard(bindAddress) ? "localhost" : listenOn, temporaryDir);
            kafka.awaitReady();
            return kafka;
        } catch (Exception e) {
            if (temporaryDir != null) {
                EmbeddedPostgresServer.deleteQuietly(temporaryDir);
            }
            throw new IllegalStateException("could not start the embedded Kafka broker in " + dataDir + ": " + e, e);
        }
    }

    private static boolean wildcard(String address) {
        return address.equals("0.0.0.0") || address.equals("::") || address.equals("[::]");
    }

    private static String hostInUrl(String address) {
        return address.contains(":") && !address.startsWith("[") ? "[" + address + "]" : address;
    }

    /** This machine's name, for clients elsewhere to reach a broker listening on every interface. */
    private static String thisMachine() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    private static int remembered(Path file) throws IOException {
        if (Files.exists(file)) {
            return Integer.parseInt(Files.readString(file).trim());
        }
        int port = FreePort.pick();
        Files.writeString(file, Integer.toString(port));
        return port;
    }

    private void awaitReady() throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        try (Admin admin = Admin.create(props)) {
            admin.describeCluster().nodes().get(60, TimeUnit.SECONDS);
        }
    }

    public String bootstrapServers() {
        return host + ":" + port;
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        try {
            server.shutdown();
            server.awaitShutdown();
        } finally {
            if (temporaryDir != null) {
                EmbeddedPostgresServer.deleteQuietly(temporaryDir);
            }
        }
    }
}
