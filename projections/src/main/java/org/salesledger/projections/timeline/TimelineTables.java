package org.salesledger.projections.timeline;

import java.util.List;
import org.salesledger.projections.rebuild.ReadModelName;
import org.salesledger.projections.rebuild.ReadModelTables;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The timeline's tables: the actions, and whose customer each is (for the caller's scope). */
@Configuration
class TimelineTables {

    static final String BEAN = "timelineReadModelTables";
    /**
     * The version of what the projection writes: raise it with a change that makes the rows already written wrong,
     * and the query side rebuilds the read model when it starts (docs/adr/0026).
     */
    static final int SCHEMA_VERSION = 2; // 2: recorded_by, and timeline_ownership for the scope (issue 17)

    @Bean(BEAN)
    ReadModelTables timelineTables() {
        // the projection only inserts (into both tables): its keys are built after a rebuild's replay, in one sort each
        return new ReadModelTables(ReadModelName.TIMELINE, TimelineProjection.GROUP,
                List.of("timeline_event", "timeline_ownership"))
                .withAllIndexesBuiltAfterReplay()
                .withSchemaVersion(SCHEMA_VERSION);
    }
}
