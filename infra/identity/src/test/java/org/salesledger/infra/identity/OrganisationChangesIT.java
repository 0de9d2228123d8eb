package org.salesledger.infra.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.salesledger.testing.TestPostgres;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The token check keeps users in memory, yet a change of the organisation applies to the next call: at once when
 * made in this process, and as soon as PostgreSQL's notification arrives when made by another one (real PostgreSQL;
 * "another process" is plain SQL here, which this JVM does not count).
 */
class OrganisationChangesIT {

    private HikariDataSource dataSource;
    private JdbcTemplate jdbc;
    private Organisation organisation;

    @BeforeEach
    void database() throws Exception {
        TestPostgres.TestDatabase database = TestPostgres.newDatabase();
        dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(database.jdbcUrl());
        dataSource.setUsername(database.user());
        dataSource.setPassword(database.password());
        jdbc = new JdbcTemplate(dataSource);
        try (var migration = getClass().getResourceAsStream("/db/identity/V2__organisation.sql")) {
            jdbc.execute(new String(migration.readAllBytes(), StandardCharsets.UTF_8));
        }
        organisation = new Organisation(jdbc, new TransactionTemplate(new DataSourceTransactionManager(dataSource)),
                Clock.systemUTC());
        organisation.define("rep-1", new Organisation.Definition("Rep One", List.of("rep"), "t1", "east", "sup-1",
                true), "admin");
    }

    @AfterEach
    void close() {
        organisation.close();
        dataSource.close();
    }

    @Test
    void a_deactivation_through_the_organisation_applies_to_the_very_next_call() throws Exception {
        organisation.listen();
        awaitListening();
        assertThat(organisation.current("rep-1").orElseThrow().active()).isTrue();

        organisation.define("rep-1", new Organisation.Definition("Rep One", List.of("rep"), "t1", "east", "sup-1",
                false), "admin");

        assertThat(organisation.current("rep-1").orElseThrow().active()).isFalse();
    }

    @Test
    void a_change_made_by_another_process_applies_once_its_notification_arrives() throws Exception {
        organisation.listen();
        awaitListening();
        assertThat(organisation.current("rep-1").orElseThrow().active()).isTrue();
        assertThat(organisation.currentRepsOf("sup-1")).containsExactly("rep-1");

        // another process changes the row; until it tells, the kept user is what this process answers
        jdbc.update("UPDATE org_user SET active = false, supervisor_id = 'sup-2' WHERE user_id = 'rep-1'");
        assertThat(organisation.current("rep-1").orElseThrow().active()).isTrue();

        jdbc.queryForList("SELECT pg_notify(?, '')", OrganisationChanges.CHANNEL);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (organisation.current("rep-1").orElseThrow().active()) {
            assertThat(System.nanoTime()).as("the notification arrived within 10 s").isLessThan(deadline);
            Thread.sleep(10);
        }
        assertThat(organisation.currentRepsOf("sup-1")).isEmpty();
        assertThat(organisation.currentRepsOf("sup-2")).containsExactly("rep-1");
    }

    @Test
    void without_listening_every_call_reads_the_database() {
        assertThat(organisation.current("rep-1").orElseThrow().active()).isTrue();

        jdbc.update("UPDATE org_user SET active = false WHERE user_id = 'rep-1'");

        assertThat(organisation.current("rep-1").orElseThrow().active()).isFalse();
    }

    private void awaitListening() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!organisation.listening()) {
            assertThat(System.nanoTime()).as("listening within 10 s").isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
