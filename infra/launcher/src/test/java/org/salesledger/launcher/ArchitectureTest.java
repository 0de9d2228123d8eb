package org.salesledger.launcher;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;

/**
 * The module boundaries, checked over every production class of the system. ArchUnit fails a rule whose subject
 * matches no class, so none of these can pass vacuously.
 */
@AnalyzeClasses(packages = "org.salesledger", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule publishedLanguageDependsOnNothingOfOurs = noClasses()
            .that().resideInAPackage("org.salesledger.kernel..")
            .should().dependOnClassesThat().resideInAnyPackage("org.salesledger.command..",
                    "org.salesledger.projections..", "org.salesledger.query..", "org.salesledger.infra..",
                    "org.salesledger.launcher..");

    @ArchTest
    static final ArchRule publishedLanguageHasNoFrameworks = noClasses()
            .that().resideInAPackage("org.salesledger.kernel..")
            .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "org.jooq..",
                    "jakarta.persistence..", "org.axonframework..");

    @ArchTest
    static final ArchRule domainHasNoSpringOrJooq = noClasses()
            .that().resideInAPackage("org.salesledger.command.customer..")
            .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "org.jooq..", "java.sql..");

    @ArchTest
    static final ArchRule domainReadsNoClock = noClasses()
            .that().resideInAnyPackage("org.salesledger.command.customer..", "org.salesledger.kernel..")
            .should().callMethod(Instant.class, "now")
            .orShould().callMethod(LocalDate.class, "now")
            .orShould().callMethod(LocalDateTime.class, "now")
            .orShould().callMethod(OffsetDateTime.class, "now")
            .orShould().callMethod(System.class, "currentTimeMillis");

    /**
     * Contract §7: every public query of a read model takes the caller's {@link org.salesledger.kernel.access.Scope}
     * (built once per request) and counts only what it covers — or says, with {@code @Unscoped}, why it answers
     * nothing about customers.
     */
    @ArchTest
    static final ArchRule everyReadModelQueryTakesTheCallersScope = com.tngtech.archunit.lang.syntax.ArchRuleDefinition
            .methods().that().areDeclaredInClassesThat().haveSimpleNameEndingWith("ReadModel")
            .and().areDeclaredInClassesThat().resideInAPackage("org.salesledger.projections..")
            .and().arePublic()
            .and().areNotAnnotatedWith(org.salesledger.kernel.access.Unscoped.class)
            .should(new com.tngtech.archunit.lang.ArchCondition<com.tngtech.archunit.core.domain.JavaMethod>(
                    "take a Scope") {
                @Override
                public void check(com.tngtech.archunit.core.domain.JavaMethod method,
                                  com.tngtech.archunit.lang.ConditionEvents events) {
                    boolean scoped = method.getRawParameterTypes().stream()
                            .anyMatch(type -> type.isEquivalentTo(org.salesledger.kernel.access.Scope.class));
                    if (!scoped) {
                        events.add(com.tngtech.archunit.lang.SimpleConditionEvent.violated(method,
                                method.getFullName() + " is a public read-model query without a Scope"));
                    }
                }
            });

    @ArchTest
    static final ArchRule querySideNeverImportsCommandSide = noClasses()
            .that().resideInAnyPackage("org.salesledger.query..", "org.salesledger.projections..")
            .should().dependOnClassesThat().resideInAPackage("org.salesledger.command..");

    @ArchTest
    static final ArchRule commandSideNeverImportsReadModels = noClasses()
            .that().resideInAPackage("org.salesledger.command..")
            .should().dependOnClassesThat().resideInAnyPackage("org.salesledger.projections..",
                    "org.salesledger.query..");

    @ArchTest
    static final ArchRule queryApiReadsThroughReadModelInterfaces = noClasses()
            .that().resideInAPackage("org.salesledger.query..")
            .should().dependOnClassesThat().resideInAnyPackage("org.jooq..", "org.salesledger.projections.jooq..");

    @ArchTest
    static final ArchRule kafkaPublishingKnowsOnlyThePublishedLanguage = noClasses()
            .that().resideInAPackage("org.salesledger.infra.kafka..")
            .should().dependOnClassesThat().resideInAnyPackage("org.salesledger.command..",
                    "org.salesledger.projections..", "org.salesledger.query..", "org.salesledger.launcher..");

    @ArchTest
    static final ArchRule benchmarkDrivesTheSystemOnlyFromOutside = noClasses()
            .that().resideInAPackage("org.salesledger.bench..")
            .should().dependOnClassesThat().resideInAnyPackage("org.salesledger.command..",
                    "org.salesledger.projections..", "org.salesledger.query..", "org.salesledger.launcher..");

    /** Every serializer is Jackson: no class of ours names XStream or Axon's XML serialisation (ADR 0035). */
    @ArchTest
    static final ArchRule nothingOfOursSerializesWithXStream = noClasses()
            .that().resideInAPackage("org.salesledger..")
            .should().dependOnClassesThat().resideInAnyPackage("com.thoughtworks.xstream..",
                    "org.axonframework.serialization.xml..");

    /**
     * The command side's Axon-on-PostgreSQL plumbing has one owner, {@code org.salesledger.command.store}: the
     * customer cache, the event storage engine and the cached aggregates' entries are touched there only (the SQL
     * of the table and the locks, which ArchUnit cannot see, is checked by the command service's StoreOwnershipTest).
     */
    @ArchTest
    static final ArchRule onlyTheStoreTouchesAxonsStorageAndCache = noClasses()
            .that().resideInAPackage("org.salesledger.command..")
            .and().resideOutsideOfPackage("org.salesledger.command.store..")
            .should().dependOnClassesThat().resideInAnyPackage("org.axonframework.common.caching..")
            .orShould().dependOnClassesThat().haveFullyQualifiedName(
                    "org.axonframework.eventsourcing.eventstore.EventStorageEngine")
            .orShould().dependOnClassesThat().haveFullyQualifiedName(
                    "org.axonframework.eventsourcing.AggregateCacheEntry");
}
