package org.salesledger.audit;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.time.Clock;
import java.time.Instant;

/**
 * The audit library stays a library: no framework, no clock, and the proof checker (what an auditor runs) apart from
 * the tree that makes proofs. ArchUnit fails a rule whose subject matches no class, so none passes vacuously.
 */
@AnalyzeClasses(packages = "org.salesledger.audit", importOptions = ImportOption.DoNotIncludeTests.class)
class AuditArchitectureTest {

    @ArchTest
    static final ArchRule noFrameworks = noClasses()
            .that().resideInAPackage("org.salesledger.audit..")
            .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "org.axonframework..",
                    "org.jooq..", "java.sql..", "jakarta..", "org.apache.kafka..");

    @ArchTest
    static final ArchRule noClock = noClasses()
            .that().resideInAPackage("org.salesledger.audit..")
            .should().callMethod(Instant.class, "now")
            .orShould().callMethod(System.class, "currentTimeMillis")
            .orShould().dependOnClassesThat().areAssignableTo(Clock.class);

    @ArchTest
    static final ArchRule verificationIsApartFromGeneration = noClasses()
            .that().resideInAnyPackage("org.salesledger.audit.proof..", "org.salesledger.audit.checkpoint..",
                    "org.salesledger.audit.note..")
            .should().dependOnClassesThat().resideInAPackage("org.salesledger.audit.tree..");

    @ArchTest
    static final ArchRule nothingDependsOnOurOtherModules = noClasses()
            .that().resideInAPackage("org.salesledger.audit..")
            .should().dependOnClassesThat().resideInAnyPackage("org.salesledger.kernel..", "org.salesledger.infra..",
                    "org.salesledger.command..", "org.salesledger.projections..", "org.salesledger.query..");
}
