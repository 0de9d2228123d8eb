package org.salesledger.infra.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Both embedded servers keep what they stored when started again on the same directory. */
class EmbeddedServersTest {

    @TempDir
    Path dir;

    @Test
    void postgresKeepsItsRowsAcrossARestart() throws Exception {
        try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(dir.resolve("pg"), 0)) {
            pg.createDatabase("kept");
            pg.createDatabase("kept");
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl("kept"), pg.user(), pg.password());
                 Statement s = c.createStatement()) {
                s.execute("CREATE TABLE t (v text)");
                s.execute("INSERT INTO t VALUES ('still here')");
            }
        }
        try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(dir.resolve("pg"), 0);
             Connection c = DriverManager.getConnection(pg.jdbcUrl("kept"), pg.user(), pg.password());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT v FROM t")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("still here");
        }
    }

    @Test
    void kafkaKeepsItsRecordsAcrossARestartOnTheSamePort() throws Exception {
        int port;
        try (EmbeddedKafkaServer kafka = EmbeddedKafkaServer.start(dir.resolve("kafka"), 0);
             KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                     "bootstrap.servers", kafka.bootstrapServers(), "acks", "all", "enable.idempotence", "true"),
                     new StringSerializer(), new StringSerializer())) {
            port = kafka.port();
            producer.send(new ProducerRecord<>("kept", "key-1", "value-1")).get();
        }
        try (EmbeddedKafkaServer kafka = EmbeddedKafkaServer.start(dir.resolve("kafka"), 0);
             KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                     "bootstrap.servers", kafka.bootstrapServers(), "group.id", "test",
                     "auto.offset.reset", "earliest"), new StringDeserializer(), new StringDeserializer())) {
            assertThat(kafka.port()).isEqualTo(port);
            consumer.subscribe(List.of("kept"));
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
            assertThat(records).extracting(ConsumerRecord::key, ConsumerRecord::value)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("key-1", "value-1"));
        }
    }
}
