package org.salesledger.infra.platform;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The CPU time of this JVM's threads by the work they do, {@code salesledger_threads_cpu_seconds_total{work=…}}: each
 * event processor's workers under its name (Axon's {@code WorkPackage[name]} and {@code EventProcessor[name]}
 * threads), every processor's coordinator together ({@code coordinators}: Axon reading the store and handing events
 * out), and {@code import}, {@code http}, {@code audit log}, {@code event store reader}, {@code kafka},
 * {@code other}. So the bench can say what each read model, the audit log or the import costs per event (issue 22).
 *
 * <p>Only Java threads are counted: the garbage collector's and the JIT's are not, so the works add up to less than
 * the process's CPU. A thread's time is summed at each reading; what a thread spent after the last reading before it
 * ended is lost. Readings are at most every {@link #FRESH_NANOS} ns apart while the metric is scraped; new works (a
 * processor started later) appear within {@link #REFRESH_SECONDS} s; the others ({@link #FIXED_WORKS}) are there
 * from the start.
 */
public final class WorkCpu implements MeterBinder, AutoCloseable {

    static final String METRIC = "salesledger.threads.cpu";
    static final long FRESH_NANOS = 200_000_000L;
    static final long REFRESH_SECONDS = 5;

    private static final Pattern PROCESSOR = Pattern.compile("(?:WorkPackage|EventProcessor)\\[(.+)\\]-\\d+");

    /** The works known by the start of their threads' names, in the order they are tried. */
    private static final Map<String, String> BY_PREFIX = new java.util.LinkedHashMap<>();

    static {
        BY_PREFIX.put("Coordinator[", "coordinators");
        BY_PREFIX.put("import-worker", "import");
        BY_PREFIX.put("http-nio-", "http");
        BY_PREFIX.put("salesledger-audit-log", "audit log");
        BY_PREFIX.put("EmbeddedEventStore", "event store reader");
    }

    /**
     * The works that are not processors, on the metric from the start (at 0 until their threads exist): a short import
     * ends before a refresh would have registered its workers' work.
     */
    static final List<String> FIXED_WORKS = java.util.stream.Stream.concat(BY_PREFIX.values().stream(),
            java.util.stream.Stream.of("kafka", "other")).toList();

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final Map<Long, Long> lastNanos = new HashMap<>();
    private final Map<Long, String> workOfThread = new HashMap<>();
    private final Map<String, Long> totals = new TreeMap<>();
    private final Set<String> registered = new HashSet<>();
    private long lastScan;
    private ScheduledExecutorService refresher;

    /** The work a thread of this name does (the metric's {@code work} tag). */
    static String workOf(String threadName) {
        Matcher processor = PROCESSOR.matcher(threadName);
        if (processor.matches()) {
            return processor.group(1);
        }
        for (Map.Entry<String, String> prefix : BY_PREFIX.entrySet()) {
            if (threadName.startsWith(prefix.getKey())) {
                return prefix.getValue();
            }
        }
        if (threadName.contains("kafka")) {
            return "kafka";
        }
        return "other";
    }

    /** Every work's CPU seconds so far, read now (or within the last {@link #FRESH_NANOS} ns). */
    public synchronized Map<String, Double> seconds() {
        scan(System.nanoTime());
        Map<String, Double> seconds = new TreeMap<>();
        totals.forEach((work, nanos) -> seconds.put(work, nanos / 1e9));
        return seconds;
    }

    synchronized double secondsOf(String work) {
        scan(System.nanoTime());
        return totals.getOrDefault(work, 0L) / 1e9;
    }

    private void scan(long now) {
        if (lastScan != 0 && now - lastScan < FRESH_NANOS) {
            return;
        }
        lastScan = now;
        if (!threads.isThreadCpuTimeSupported()) {
            return;
        }
        if (!threads.isThreadCpuTimeEnabled()) {
            threads.setThreadCpuTimeEnabled(true);
        }
        long[] ids = threads.getAllThreadIds();
        Set<Long> alive = new HashSet<>();
        for (long id : ids) {
            long nanos = threads.getThreadCpuTime(id);
            if (nanos < 0) {
                continue; // ended since it was listed
            }
            String work = workOfThread.get(id);
            if (work == null) {
                ThreadInfo info = threads.getThreadInfo(id);
                if (info == null) {
                    continue;
                }
                work = workOf(info.getThreadName());
                workOfThread.put(id, work);
            }
            alive.add(id);
            long before = lastNanos.getOrDefault(id, 0L);
            if (nanos > before) {
                totals.merge(work, nanos - before, Long::sum);
            }
            lastNanos.put(id, nanos);
        }
        lastNanos.keySet().retainAll(alive);
        workOfThread.keySet().retainAll(alive);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        register(registry);
        synchronized (this) {
            if (refresher == null) {
                refresher = Executors.newSingleThreadScheduledExecutor(runnable -> {
                    Thread thread = new Thread(runnable, "salesledger-work-cpu");
                    thread.setDaemon(true);
                    return thread;
                });
                refresher.scheduleWithFixedDelay(() -> register(registry), REFRESH_SECONDS, REFRESH_SECONDS,
                        TimeUnit.SECONDS);
            }
        }
    }

    private void register(MeterRegistry registry) {
        Set<String> works = new java.util.TreeSet<>(FIXED_WORKS);
        works.addAll(seconds().keySet());
        for (String work : works) {
            boolean added;
            synchronized (this) {
                added = registered.add(work);
            }
            if (added) {
                FunctionCounter.builder(METRIC, this, cpu -> cpu.secondsOf(work))
                        .baseUnit("seconds")
                        .description("CPU time of this JVM's threads doing this work (garbage collection and JIT "
                                + "not included)")
                        .tag("work", work)
                        .register(registry);
            }
        }
    }

    @Override
    public synchronized void close() {
        if (refresher != null) {
            refresher.shutdownNow();
        }
    }
}
