package org.salesledger.infra.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LeftoverPostgresTest {

    @Test
    void aPostgresWhoseBinaryWasDeletedWhileItRunsIsStillAPostgres() {
        assertThat(LeftoverPostgres.programName("/tmp/embedded-pg/PG-1/bin/postgres (deleted)")).isEqualTo("postgres");
        assertThat(LeftoverPostgres.programName("/tmp/embedded-pg/PG-1/bin/postgres")).isEqualTo("postgres");
    }

    @Test
    void anotherProgramKeepsItsName() {
        assertThat(LeftoverPostgres.programName("/usr/bin/sleep")).isEqualTo("sleep");
        assertThat(LeftoverPostgres.programName("/usr/bin/postgres-exporter (deleted)")).isEqualTo("postgres-exporter");
    }
}
