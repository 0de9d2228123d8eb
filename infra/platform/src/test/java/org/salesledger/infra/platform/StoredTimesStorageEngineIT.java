package org.salesledger.infra.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.Collectors;
import org.axonframework.common.DateTimeUtils;
import org.axonframework.common.jdbc.DataSourceConnectionProvider;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.salesledger.testing.TestPostgres;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * {@link StoredTimesStorageEngine} reads the event table as Axon's own engine does: on the same rows — old and recent
 * times, gaps in the global index inside and outside Axon's gap timeout, an event without an aggregate, a time in
 * another form than the one Axon writes — both give the same events with the same tracking tokens and times, from
 * the start and from a token part of the way, and the same events of an aggregate being loaded.
 */
class StoredTimesStorageEngineIT {

    private static final String OLD = "2020-01-01T00:00:00.000Z";
    /** The command side's migration that creates the event table (the tests run in this module's directory). */
    private static final Path COMMAND_V1 =
            Path.of("../../command-service/src/main/resources/db/command/V1__event_store.sql");

    private final TestPostgres.TestDatabase db = TestPostgres.newDatabase();
    private final EventSchema schema = new AxonJdbcSchema().eventSchema();
    private JdbcEventStorageEngine axons;
    private StoredTimesStorageEngine ours;

    @BeforeEach
    void eventTable() throws Exception {
        try (Connection connection = connection(); Statement statement = connection.createStatement()) {
            // the event table as the command side's first migration creates it (run here as it is)
            statement.execute(Files.readString(COMMAND_V1));
        }
        DriverManagerDataSource dataSource = new DriverManagerDataSource(db.jdbcUrl(), db.user(), db.password());
        axons = builder(dataSource).build();
        ours = new StoredTimesStorageEngine(builder(dataSource), schema);
    }

    @Test
    void bothEnginesReadTheSameEventsTokensAndTimes() throws SQLException {
        String recent = DateTimeUtils.formatInstant(Instant.now().minusSeconds(1));
        insert(1, "c1", "c1-0", 0, "Customer", OLD);
        insert(2, "e2", "e2", 0, null, OLD);                       // no aggregate: its id is its event's
        insert(5, "c1", "c1-1", 1, "Customer", recent);            // 3 and 4 missing, recently: gaps kept
        insert(6, "c2", "c2-0", 0, "Customer", "2026-12-07T07:30:00+01:00"); // not Axon's form
        insert(9, "c2", "c2-1", 1, "Customer", OLD);               // 7 and 8 missing long ago: no gaps
        insert(10, "c3", "c3-0", 0, "Customer", recent.replaceAll("\\.\\d+Z$", "Z")); // whole seconds

        List<String> read = read(axons, null);
        assertThat(read).hasSize(6);
        assertThat(read(ours, null)).containsExactlyElementsOf(read);
        assertThat(read.get(2)).contains("gaps=[3, 4]");
        assertThat(read.get(4)).contains("index=9").contains("gaps=[]");

        TrackingToken partWay = axons.readEvents(null, false).skip(2).findFirst().orElseThrow().trackingToken();
        assertThat(read(ours, partWay)).containsExactlyElementsOf(read(axons, partWay)).hasSize(3);

        // an aggregate loaded from the store: its events, with their times, as Axon's engine gives them
        for (String aggregate : List.of("c1", "c2", "c3")) {
            List<String> loaded = load(axons, aggregate);
            assertThat(loaded).as(aggregate).isNotEmpty();
            assertThat(load(ours, aggregate)).as(aggregate).containsExactlyElementsOf(loaded);
        }
    }

    private static List<String> load(JdbcEventStorageEngine engine, String aggregate) {
        return engine.readEvents(aggregate).asStream().map(event -> event.getIdentifier() + " aggregate="
                + event.getAggregateIdentifier() + " seq="
                + event.getSequenceNumber() + " type=" + event.getType() + " time=" + event.getTimestamp()
                + " payload=" + event.getPayload() + " metadata=" + event.getMetaData()).collect(Collectors.toList());
    }

    @Test
    void aStoreReadFromTheStartWhoseFirstEventIsRecentHasTheSameGapsBeforeIt() throws SQLException {
        String recent = DateTimeUtils.formatInstant(Instant.now().truncatedTo(ChronoUnit.MILLIS));
        insert(4, "c1", "c1-0", 0, "Customer", recent);
        insert(7, "c1", "c1-1", 1, "Customer", recent);

        List<String> read = read(axons, null);
        assertThat(read.get(0)).contains("gaps=[1, 2, 3]");
        assertThat(read(ours, null)).containsExactlyElementsOf(read);
    }

    private JdbcEventStorageEngine.Builder builder(DriverManagerDataSource dataSource) {
        return JdbcEventStorageEngine.builder()
                .connectionProvider(new DataSourceConnectionProvider(dataSource))
                .transactionManager(NoTransactionManager.INSTANCE)
                .eventSerializer(JacksonSerializer.defaultSerializer())
                .snapshotSerializer(JacksonSerializer.defaultSerializer())
                .schema(schema);
    }

    /** Everything a processor sees of each event read from the token, one line per event. */
    private static List<String> read(JdbcEventStorageEngine engine, TrackingToken from) {
        try (var events = engine.readEvents(from, false)) {
            return events.map(StoredTimesStorageEngineIT::describe).collect(Collectors.toList());
        }
    }

    private static String describe(TrackedEventMessage<?> event) {
        String domain = event instanceof DomainEventMessage<?> d
                ? " aggregate=" + d.getAggregateIdentifier() + " seq=" + d.getSequenceNumber() + " type=" + d.getType()
                : " no aggregate";
        return event.trackingToken() + " id=" + event.getIdentifier() + domain + " time=" + event.getTimestamp()
                + " payload=" + event.getPayload() + " metadata=" + event.getMetaData();
    }

    private void insert(long index, String aggregate, String eventId, long seq, String type, String time)
            throws SQLException {
        try (Connection connection = connection(); PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO domain_event_entry (global_index, event_identifier, meta_data, payload, payload_type,
                    time_stamp, aggregate_identifier, sequence_number, type)
                VALUES (?, ?, ?, ?, 'java.lang.String', ?, ?, ?, ?)""")) {
            insert.setLong(1, index);
            insert.setString(2, eventId);
            insert.setBytes(3, ("{\"by\":\"" + eventId + "\"}").getBytes(StandardCharsets.UTF_8));
            insert.setBytes(4, ("\"payload of " + eventId + "\"").getBytes(StandardCharsets.UTF_8));
            insert.setString(5, time);
            insert.setString(6, aggregate);
            insert.setLong(7, seq);
            insert.setString(8, type);
            insert.executeUpdate();
        }
    }

    private Connection connection() throws SQLException {
        return DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
    }
}
