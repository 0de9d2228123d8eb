package org.salesledger.infra.platform;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/** {@link WorkCpu} on each side's metrics, wherever Micrometer is on the class path. */
@AutoConfiguration
@ConditionalOnClass(MeterRegistry.class)
public class WorkCpuMetrics {

    @Bean(destroyMethod = "close")
    WorkCpu workCpu() {
        return new WorkCpu();
    }
}
