package org.salesledger.infra.platform;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration;
import org.springframework.boot.autoconfigure.flyway.FlywayMigrationStrategy;
import org.springframework.context.annotation.Bean;

/**
 * Axon's own tables that both sides use — {@code token_entry} and {@code dead_letter_entry} — are created by one
 * migration in one place, {@code db/axon} here (history {@value #HISTORY}), which each side runs before its own
 * migrations (docs/adr/0026). Whichever side starts first creates them; the other finds the migration applied.
 *
 * <p>Earlier builds created both tables twice, in {@code db/command} V1/V2 and {@code db/projections} V1/V50. Those
 * migrations no longer do; a database they made keeps its tables, and its history's checksums of those four
 * migrations — exactly the checksums of the old scripts — are replaced by those of the new ones before the side
 * migrates, so that validation (on for everything else) passes. The same holds for db/projections V11–V14, whose
 * token resets are now marked as data statements for the DDL parser (comments only, the SQL run is the same).
 */
@AutoConfiguration(before = FlywayAutoConfiguration.class)
@ConditionalOnClass({Flyway.class, FlywayMigrationStrategy.class})
public class AxonTablesMigration {

    private static final Logger log = LoggerFactory.getLogger(AxonTablesMigration.class);
    /** The history table of the Axon tables' migrations. */
    public static final String HISTORY = "flyway_history_axon";
    static final String LOCATION = "classpath:db/axon";
    /** The users and the organisation (infra/identity), shared by both sides like Axon's tables (ADR 0027). */
    static final String IDENTITY_LOCATION = "classpath:db/identity";

    /** A migration that created Axon's tables in an earlier build: its version, description and old checksum. */
    record Moved(String version, String description, int oldChecksum) {
    }

    /** The migrations changed when Axon's tables moved here, with the checksums of their scripts as they were. */
    static final List<Moved> MOVED = List.of(
            new Moved("1", "event store", 924647504),          // db/command V1 (token_entry)
            new Moved("2", "dead letter queue", -139806804),   // db/command V2 (dead_letter_entry)
            new Moved("1", "timeline", 1441931827),            // db/projections V1 (token_entry)
            new Moved("50", "dead letters", -1109208042),      // db/projections V50 (dead_letter_entry)
            // db/projections V11–V14 delete the attribution's token: their data statements are now hidden from the
            // DDL parser behind the generated classes (which no longer sees token_entry), by comments only
            new Moved("11", "attribution credit by owner", -1977393788),
            new Moved("12", "attribution cost sums", 1133824162),
            new Moved("13", "attribution current owner", 2062886225),
            new Moved("14", "attribution path", -1589777488));

    /** Each side: Axon's tables first, then the earlier builds' checksums brought up to date, then its own migrations. */
    @Bean
    @ConditionalOnMissingBean
    FlywayMigrationStrategy axonTablesFirst() {
        return flyway -> {
            migrate(flyway.getConfiguration().getDataSource());
            realignMovedMigrations(flyway);
            flyway.migrate();
        };
    }

    /** Creates Axon's tables in the database unless done already. */
    public static void migrate(DataSource dataSource) {
        Flyway.configure().dataSource(dataSource).locations(LOCATION, IDENTITY_LOCATION).table(HISTORY)
                // a database made by an earlier build (or by the other side) is not empty: start a history anyway
                .baselineOnMigrate(true).baselineVersion("0")
                .load().migrate();
    }

    /** {@link #migrate(DataSource)} by connection details (for tests that migrate a database themselves). */
    public static void migrate(String url, String user, String password) {
        Flyway.configure().dataSource(url, user, password).locations(LOCATION, IDENTITY_LOCATION).table(HISTORY)
                .baselineOnMigrate(true).baselineVersion("0")
                .load().migrate();
    }

    /**
     * Where the side's history holds one of the {@link #MOVED} migrations with its old script's checksum, that
     * checksum becomes the current script's. Any other mismatch is left for validation to report.
     */
    static void realignMovedMigrations(Flyway flyway) {
        String table = flyway.getConfiguration().getTable();
        for (MigrationInfo info : flyway.info().all()) {
            if (!info.isApplied() || info.getVersion() == null || info.getResolvedChecksum() == null) {
                continue;
            }
            for (Moved moved : MOVED) {
                if (moved.version().equals(info.getVersion().getVersion())
                        && moved.description().equals(info.getDescription())
                        && Integer.valueOf(moved.oldChecksum()).equals(info.getAppliedChecksum())
                        && !info.getResolvedChecksum().equals(info.getAppliedChecksum())) {
                    update(flyway.getConfiguration().getDataSource(), table, moved, info.getResolvedChecksum());
                }
            }
        }
    }

    private static void update(DataSource dataSource, String table, Moved moved, int checksum) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement update = connection.prepareStatement("UPDATE \"" + table.replace("\"", "")
                     + "\" SET checksum = ? WHERE version = ? AND description = ? AND checksum = ?")) {
            update.setInt(1, checksum);
            update.setString(2, moved.version());
            update.setString(3, moved.description());
            update.setInt(4, moved.oldChecksum());
            if (update.executeUpdate() > 0) {
                log.info("{}: migration {} ({}) no longer creates Axon's tables (db/axon V1 does); its checksum "
                        + "is now the current script's", table, moved.version(), moved.description());
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not bring the checksum of migration " + moved.version() + " ("
                    + moved.description() + ") in " + table + " up to date: " + e.getMessage(), e);
        }
    }
}
