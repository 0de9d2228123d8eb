package org.salesledger.projections.attribution;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The rule-based attribution models of contract §2, by the code the API uses. */
public enum AttributionModel {
    FIRST_TOUCH("first_touch"),
    LAST_TOUCH("last_touch"),
    LINEAR("linear"),
    TIME_DECAY("time_decay"),
    U_SHAPED("u_shaped"),
    W_SHAPED("w_shaped");

    private final String code;

    AttributionModel(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    /** Whether {@code halfLifeDays} changes this model's credit (only {@code time_decay}'s). */
    public boolean usesHalfLife() {
        return this == TIME_DECAY;
    }

    public static Optional<AttributionModel> byCode(String code) {
        return Arrays.stream(values()).filter(m -> m.code.equals(code)).findFirst();
    }

    public static List<String> codes() {
        return Arrays.stream(values()).map(AttributionModel::code).toList();
    }
}
