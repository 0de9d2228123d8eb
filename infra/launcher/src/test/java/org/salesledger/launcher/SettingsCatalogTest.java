package org.salesledger.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.salesledger.command.intake.ImportSettings;
import org.salesledger.command.pool.PoolSettings;
import org.salesledger.command.rules.RulesSettings;
import org.salesledger.infra.identity.IdentitySettings;
import org.salesledger.infra.platform.ProcessorSpreading;
import org.salesledger.launcher.cli.EnvironmentVariable;
import org.salesledger.projections.rebuild.RebuildSettings;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.AnnotationTypeFilter;

/**
 * Every setting of ours is a typed {@code @ConfigurationProperties} record with its default, refused in one line
 * naming the property when its value cannot be used, and listed in the README's settings table.
 */
class SettingsCatalogTest {

    private static final Path README = Path.of("../../README.md");

    @Test
    void everySettingsRecordIsFoundOnTheClassPath() {
        assertThat(settingsClasses()).extracting(Class::getName).containsExactlyInAnyOrder(
                "org.salesledger.command.api.ActionSettings",
                "org.salesledger.command.intake.GroupCommitSettings",
                "org.salesledger.command.intake.ImportSettings",
                "org.salesledger.command.pool.PoolSettings",
                "org.salesledger.command.rules.RulesSettings",
                "org.salesledger.command.store.AggregateSettings",
                "org.salesledger.infra.identity.IdentitySettings",
                "org.salesledger.infra.identity.NodeFiles",
                "org.salesledger.infra.identity.OidcSettings",
                "org.salesledger.infra.kafka.KafkaSettings",
                "org.salesledger.infra.platform.EventStoreSettings",
                "org.salesledger.infra.platform.ProcessorSpreading$Settings",
                "org.salesledger.projections.attribution.AttributionProperties",
                "org.salesledger.projections.consistency.ConsistencySettings",
                "org.salesledger.projections.rebuild.RebuildSettings",
                "org.salesledger.query.audit.AuditSettings",
                "org.salesledger.query.dashboard.DashboardSettings");
    }

    @Test
    void everyPropertyOfEverySettingsRecordIsInTheReadmesSettingsTable() throws IOException {
        String table = settingsTable();
        TreeSet<String> properties = new TreeSet<>();
        settingsClasses().forEach(type -> properties(type.getAnnotation(ConfigurationProperties.class).value(),
                type, properties));

        assertThat(properties).as("the walk found the records' properties").contains("salesledger.import.workers",
                "salesledger.rules.dry-run.max-duration", "salesledger.processing.max-claimed-segments",
                "salesledger.kafka.relay.segments", "salesledger.data-dir");
        List<String> missing = properties.stream().filter(p -> !table.contains("`" + p + "`")).toList();
        assertThat(missing).as("properties missing from README.md's table \"Every setting\"").isEmpty();
    }

    @Test
    void everyPropertyOfEverySettingsRecordHasGeneratedMetadataWithADescription() throws IOException {
        Map<String, String> described = new java.util.HashMap<>();
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        var files = getClass().getClassLoader().getResources("META-INF/spring-configuration-metadata.json");
        while (files.hasMoreElements()) {
            try (var in = files.nextElement().openStream()) {
                json.readTree(in).path("properties").forEach(property -> described.put(
                        property.path("name").asText(), property.path("description").asText("")));
            }
        }
        TreeSet<String> walked = new TreeSet<>();
        settingsClasses().forEach(type -> properties(type.getAnnotation(ConfigurationProperties.class).value(),
                type, walked));
        // a map of free-form keys ("salesledger.kafka.properties.*") is one property in the metadata
        List<String> properties = walked.stream().map(p -> p.endsWith(".*") ? p.substring(0, p.length() - 2) : p)
                .toList();

        assertThat(properties).as("the walk found the records' properties").contains("salesledger.import.workers");
        assertThat(properties.stream().filter(p -> !described.containsKey(p)).toList())
                .as("properties without generated metadata (spring-boot-configuration-processor)").isEmpty();
        assertThat(properties.stream().filter(p -> described.get(p).isBlank()).toList())
                .as("properties whose record documents no @param for them").isEmpty();
    }

    @Test
    void everyEnvironmentVariableIsInTheReadmesVariableTable() throws IOException {
        String table = section("## Configuration");

        assertThat(EnvironmentVariable.values()).extracting(EnvironmentVariable::variable)
                .as("the launcher's table of variables").contains("SALESLEDGER_ROLE", "SALESLEDGER_DB_URL")
                .filteredOn(variable -> !table.contains("`" + variable + "`"))
                .as("variables missing from README.md's table under \"Configuration\"").isEmpty();
    }

    @Test
    void withNothingSetEachRecordHoldsItsDocumentedDefaults() {
        Binder binder = binder(Map.of());

        RulesSettings rules = binder.bindOrCreate("salesledger.rules", RulesSettings.class);
        assertThat(rules.refreshInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(rules.maxSteps()).isEqualTo(1_000_000L);
        assertThat(rules.timers().heartbeatInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(rules.dryRun().maxDuration()).isEqualTo(Duration.ofMinutes(5));
        assertThat(rules.dryRun().threads()).isZero();
        ImportSettings imports = binder.bindOrCreate("salesledger.import", ImportSettings.class);
        assertThat(imports.maxBodyBytes()).isEqualTo(16L * 1024 * 1024 * 1024);
        assertThat(imports.workers()).isEqualTo(4);
        assertThat(binder.bindOrCreate("salesledger.pool", PoolSettings.class).zone()).isEqualTo(ZoneId.of("UTC"));
        assertThat(binder.bindOrCreate("salesledger.rebuild", RebuildSettings.class).heartbeatTimeout())
                .isEqualTo(Duration.ofSeconds(5));
        assertThat(binder.bindOrCreate("salesledger.identity", IdentitySettings.class).dashboard().redirectUris())
                .containsExactly("http://127.0.0.1/", "http://[::1]/");
    }

    @Test
    void aValueSetIsBoundUnderItsRelaxedName() {
        RulesSettings rules = binder(Map.of("salesledger.rules.dry-run.fetch-size", "77",
                "salesledger.rules.timers.replan-batch", "9")).bindOrCreate("salesledger.rules", RulesSettings.class);

        assertThat(rules.dryRun().fetchSize()).isEqualTo(77);
        assertThat(rules.timers().replanBatch()).isEqualTo(9);
        assertThat(rules.maxEvents()).as("not set: its default").isEqualTo(1000);
    }

    @Test
    void aValueOutOfRangeIsRefusedInOneLineNamingTheProperty() {
        Throwable failure = catchThrowable(() -> binder(Map.of("salesledger.import.workers", "0"))
                .bindOrCreate("salesledger.import", ImportSettings.class));

        assertThat(failure).isNotNull();
        assertThat(StartupFailure.reasons(failure)).doesNotContain("\n")
                .contains("salesledger.import.workers must be at least 1, got 0");
    }

    @Test
    void segmentsPerProcessorAreOneUnlessSetAndRefusedOutsideOneToSixtyFour() {
        Binder defaults = binder(Map.of());
        assertThat(defaults.bindOrCreate("salesledger.processing", ProcessorSpreading.Settings.class).segments())
                .isEqualTo(1);
        assertThat(binder(Map.of("salesledger.processing.segments", "8"))
                .bindOrCreate("salesledger.processing", ProcessorSpreading.Settings.class).segments()).isEqualTo(8);
        for (String value : List.of("0", "65")) {
            Throwable failure = catchThrowable(() -> binder(Map.of("salesledger.processing.segments", value))
                    .bindOrCreate("salesledger.processing", ProcessorSpreading.Settings.class));
            assertThat(StartupFailure.reasons(failure)).doesNotContain("\n")
                    .contains("salesledger.processing.segments must be between 1 and 64; got " + value);
        }
    }

    @Test
    void aValueOfTheWrongTypeIsRefusedNamingTheProperty() {
        assertThatThrownBy(() -> binder(Map.of("salesledger.rules.refresh-interval", "soon"))
                .bindOrCreate("salesledger.rules", RulesSettings.class))
                .satisfies(e -> assertThat(StartupFailure.reasons(e)).doesNotContain("\n")
                        .contains("salesledger.rules.refresh-interval"));
        assertThatThrownBy(() -> binder(Map.of("salesledger.pool.zone", "Mars/Olympus"))
                .bindOrCreate("salesledger.pool", PoolSettings.class))
                .satisfies(e -> assertThat(StartupFailure.reasons(e)).contains("salesledger.pool.zone"));
    }

    private static Binder binder(Map<String, String> values) {
        return new Binder(List.of(new MapConfigurationPropertySource(values)), null,
                ApplicationConversionService.getSharedInstance());
    }

    private static List<Class<?>> settingsClasses() {
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(ConfigurationProperties.class));
        List<Class<?>> classes = new ArrayList<>();
        scanner.findCandidateComponents("org.salesledger").forEach(candidate -> {
            try {
                classes.add(Class.forName(candidate.getBeanClassName()));
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
        });
        return classes;
    }

    /** The properties of a record: a component named {@code maxLineBytes} is {@code prefix.max-line-bytes}. */
    private static void properties(String prefix, Class<?> type, TreeSet<String> into) {
        for (RecordComponent component : type.getRecordComponents()) {
            String name = prefix + "." + component.getName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
            Class<?> value = component.getType();
            if (value.isRecord() && value.getName().startsWith("org.salesledger.")) {
                properties(name, value, into);
            } else if (Map.class.isAssignableFrom(value)) {
                into.add(name + ".*");
            } else {
                into.add(name);
            }
        }
    }

    /** README.md from its "Every setting" heading to the next heading. */
    private static String settingsTable() throws IOException {
        return section("### Every setting");
    }

    /** README.md from {@code heading} (a line of its own) to the next heading. */
    private static String section(String heading) throws IOException {
        String readme = Files.readString(README);
        int start = readme.indexOf("\n" + heading + "\n");
        assertThat(start).as("README.md has a section \"" + heading + "\"").isNotNegative();
        int end = readme.indexOf("\n#", start + heading.length() + 1);
        return readme.substring(start, end < 0 ? readme.length() : end);
    }
}
