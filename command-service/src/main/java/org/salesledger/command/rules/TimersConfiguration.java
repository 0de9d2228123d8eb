package org.salesledger.command.rules;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.serializer.JacksonSerializer;
import com.github.kagkarlsson.scheduler.task.Task;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.deadline.dbscheduler.DbSchedulerDeadlineManager;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;

/**
 * The deadlines of the time-driven rules: a db-scheduler {@link Scheduler} on the {@code scheduled_tasks} table
 * (settings {@code salesledger.rules.timers.*}), Axon's {@link DbSchedulerDeadlineManager} on it (human-readable task
 * data: Jackson for the payload, the scope and the task data, never Java serialization), and the re-plan sweep's
 * task. The scheduler's data source takes part in Spring transactions, so a deadline is scheduled or cancelled in the
 * transaction that decides it. The scheduler starts after everything else and stops first.
 */
@Configuration
class TimersConfiguration {

    /** db-scheduler's task name of Axon's deadlines. */
    static final String TASK_NAME = "AxonDeadline";

    @Bean
    Scheduler ruleTimerScheduler(DataSource dataSource, ObjectProvider<DbSchedulerDeadlineManager> deadlineManager,
                                 ObjectProvider<RuleTimerReplan> replan,
                                 RulesSettings rules) {
        Duration polling = rules.timers().pollingInterval();
        Duration heartbeat = rules.timers().heartbeatInterval();
        int threads = rules.timers().threads();
        Task<?> deadlines = DbSchedulerDeadlineManager.humanReadableTask(deadlineManager::getObject);
        return Scheduler.create(new TransactionAwareDataSourceProxy(dataSource),
                        List.of(deadlines, RuleTimerReplan.task(replan::getObject)))
                .serializer(new JacksonSerializer())
                .pollingInterval(polling)
                .heartbeatInterval(heartbeat)
                .missedHeartbeatsLimit(6)
                .threads(threads)
                .alwaysPersistTimestampInUTC()
                .shutdownMaxWait(Duration.ofSeconds(10))
                .build();
    }

    @Bean
    DbSchedulerDeadlineManager ruleDeadlineManager(Scheduler ruleTimerScheduler, Serializer serializer,
                                                   TransactionManager transactionManager,
                                                   ObjectProvider<RuleTimers> timers) {
        return DbSchedulerDeadlineManager.builder()
                .scheduler(ruleTimerScheduler)
                .scopeAwareProvider(scope -> Stream.of(timers.getObject()))
                .serializer(serializer)
                .transactionManager(transactionManager)
                .useBinaryPojo(false)
                .startScheduler(false)
                .stopScheduler(false)
                .build();
    }

    /** Starts the scheduler once the rest of the application runs, stops it before the rest stops. */
    @Bean
    SmartLifecycle ruleTimerSchedulerLifecycle(Scheduler ruleTimerScheduler) {
        return new SmartLifecycle() {
            private volatile boolean running;

            @Override
            public void start() {
                ruleTimerScheduler.start();
                running = true;
            }

            @Override
            public void stop() {
                running = false;
                ruleTimerScheduler.stop();
            }

            @Override
            public boolean isRunning() {
                return running;
            }

            @Override
            public int getPhase() {
                return Integer.MAX_VALUE - 100;
            }
        };
    }
}
