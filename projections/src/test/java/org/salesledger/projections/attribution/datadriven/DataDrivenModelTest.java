package org.salesledger.projections.attribution.datadriven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.salesledger.projections.attribution.datadriven.Journeys.path;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The models by their API names. */
class DataDrivenModelTest {

    private final List<Journey> journeys = Journeys.of(
            path("web > fair > web").converted(2).notConverted(3).revenue("EUR", 2, "1000.00"),
            path("fair").converted(1).notConverted(1).revenue("EUR", 1, "300.00"),
            path("web").notConverted(4));

    @Test
    void findsEachModelByItsApiName() {
        assertThat(DataDrivenModel.named("markov")).contains(DataDrivenModel.MARKOV);
        assertThat(DataDrivenModel.named("shapley")).contains(DataDrivenModel.SHAPLEY);
        assertThat(DataDrivenModel.named("shapley_simplified")).contains(DataDrivenModel.SHAPLEY_SIMPLIFIED);
        assertThat(DataDrivenModel.named("linear")).isEmpty();
        assertThat(DataDrivenModel.named("MARKOV")).isEmpty();
    }

    @Test
    void eachNameRunsItsModel() {
        assertThat(DataDrivenModel.MARKOV.attribute(journeys, 2))
                .isEqualTo(MarkovAttribution.attribute(journeys, 2).attribution());
        assertThat(DataDrivenModel.SHAPLEY.attribute(journeys, 1)).isEqualTo(ShapleyAttribution.attribute(journeys));
        assertThat(DataDrivenModel.SHAPLEY_SIMPLIFIED.attribute(journeys, 1))
                .isEqualTo(ShapleyAttribution.simplified(journeys));
    }
}
