package org.salesledger.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DatabaseTest {

    @Test
    void theNameIsThePathOfTheJdbcUrl_withOrWithoutParameters() {
        assertThat(new Database("jdbc:postgresql://localhost:5432/bench_nodes?user=postgres", null, null).name())
                .isEqualTo("bench_nodes");
        assertThat(new Database("jdbc:postgresql://db.example:6543/test_12_3", "u", "p").name())
                .isEqualTo("test_12_3");
    }

    @Test
    void aSiblingIsAnotherDatabaseOfTheSameServerAndUser() {
        Database copy = new Database("jdbc:postgresql://localhost:5432/bench_nodes?user=postgres", "postgres", "pw")
                .sibling("bench_nodes_n2");
        assertThat(copy).isEqualTo(new Database("jdbc:postgresql://localhost:5432/bench_nodes_n2?user=postgres",
                "postgres", "pw"));
        assertThat(new Database("jdbc:postgresql://h:1/a", null, null).sibling("postgres").jdbcUrl())
                .isEqualTo("jdbc:postgresql://h:1/postgres");
    }

    @Test
    void aUrlThatIsNotPostgresIsRefusedWithTheUrl() {
        assertThatThrownBy(() -> new Database("jdbc:h2:mem:x", null, null).name())
                .hasMessageContaining("jdbc:h2:mem:x");
    }
}
