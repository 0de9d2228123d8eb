package org.salesledger.projections.attribution.datadriven;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The data-driven models by the names the query API uses ({@code GET /api/v1/attribution?model=…}). */
public enum DataDrivenModel {

    /** {@link MarkovAttribution}: removal effects of a Markov chain of order 1 to 3. */
    MARKOV("markov"),
    /** {@link ShapleyAttribution#attribute}: Shapley values of each channel set's conversion-rate game. */
    SHAPLEY("shapley"),
    /** {@link ShapleyAttribution#simplified}: Zhao et al.'s simplified Shapley value (equal split). */
    SHAPLEY_SIMPLIFIED("shapley_simplified");

    private final String modelName;

    DataDrivenModel(String modelName) {
        this.modelName = modelName;
    }

    /** The name in the API, e.g. {@code shapley_simplified}. */
    public String modelName() {
        return modelName;
    }

    /** The model called {@code name} in the API, if there is one. */
    public static Optional<DataDrivenModel> named(String name) {
        return Arrays.stream(values()).filter(model -> model.modelName.equals(name)).findFirst();
    }

    /**
     * Runs the model.
     *
     * @param order the Markov chain's order (1 to {@link MarkovAttribution#MAX_ORDER}); ignored by the Shapley
     *              models
     */
    public Attribution attribute(List<Journey> journeys, int order) {
        return switch (this) {
            case MARKOV -> MarkovAttribution.attribute(journeys, order).attribution();
            case SHAPLEY -> ShapleyAttribution.attribute(journeys);
            case SHAPLEY_SIMPLIFIED -> ShapleyAttribution.simplified(journeys);
        };
    }
}
