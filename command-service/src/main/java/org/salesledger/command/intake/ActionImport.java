package org.salesledger.command.intake;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.salesledger.kernel.value.CustomerId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Imports an NDJSON body of envelopes as it streams in. Each line is validated on its own; valid lines are
 * gathered into batches, each batch split by customer (keeping each customer's order) and its customers dealt out to
 * several workers, each storing its share in one transaction (at most {@code customers-per-transaction} customers
 * each), while the next batch is read. A bad line is reported with its number and never stops the rest. Memory
 * holds two batches, whatever the size of the body.
 */
@EnableConfigurationProperties(ImportSettings.class)
@Service
public class ActionImport {

    private static final Logger log = LoggerFactory.getLogger(ActionImport.class);

    private final ActionIntake intake;
    private final ExecutorService workers;
    private final int workerCount;
    private final int customersPerTransaction;
    private final int batchSize;
    private final int maxLineBytes;
    private final int maxErrors;

    ActionImport(ActionIntake intake,
                 ImportSettings settings) {
        int workers = settings.workers();
        this.intake = intake;
        this.workers = Executors.newFixedThreadPool(workers, runnable -> {
            Thread thread = new Thread(runnable, "import-worker");
            thread.setDaemon(true);
            return thread;
        });
        this.workerCount = workers;
        this.customersPerTransaction = settings.customersPerTransaction();
        this.batchSize = settings.batchSize();
        this.maxLineBytes = settings.maxLineBytes();
        this.maxErrors = settings.maxErrors();
    }

    public ImportReport importLines(InputStream body, long maxBodyBytes, IncomingAction.Sender sender)
            throws IOException {
        Tally tally = new Tally(maxErrors);
        LineReader lines = new LineReader(body, maxLineBytes, maxBodyBytes);
        List<Numbered> batch = new ArrayList<>(batchSize);
        Recording recording = Recording.NONE;
        long number = 0;
        try {
            for (String line = lines.next(); line != null; line = lines.next()) {
                number++;
                if (line == LineReader.TOO_LONG) {
                    tally.refused(number, "", "the line is longer than " + maxLineBytes + " bytes");
                } else if (!line.isBlank()) {
                    EnvelopeReader.Result read = EnvelopeReader.read(line, sender);
                    if (read.ok()) {
                        batch.add(new Numbered(number, read.action()));
                        if (batch.size() == batchSize) {
                            // the previous batch must be stored before this one starts: a customer's order is kept
                            recording.await(tally);
                            recording = record(batch);
                            batch = new ArrayList<>(batchSize);
                        }
                    } else {
                        for (FieldError error : read.errors()) {
                            tally.error(number, error);
                        }
                        tally.rejected++;
                    }
                }
            }
        } catch (BodyTooLargeException tooLarge) {
            recording.await(tally);
            record(batch).await(tally);
            throw new ImportStoppedException(tooLarge, tally.report());
        }
        recording.await(tally);
        record(batch).await(tally);
        return tally.report();
    }

    /**
     * Starts storing a batch: split by customer (each customer's order kept), the customers dealt out into one chunk
     * per worker, each chunk stored in one transaction. While it runs, the next batch is read.
     */
    private Recording record(List<Numbered> batch) {
        if (batch.isEmpty()) {
            return Recording.NONE;
        }
        Map<CustomerId, List<Numbered>> byCustomer = new LinkedHashMap<>();
        for (Numbered line : batch) {
            byCustomer.computeIfAbsent(line.action().customerId(), id -> new ArrayList<>()).add(line);
        }
        int chunkCount = Math.max(1, Math.min(workerCount, byCustomer.size()));
        List<List<List<Numbered>>> chunks = new ArrayList<>();
        for (int i = 0; i < chunkCount; i++) {
            chunks.add(new ArrayList<>());
        }
        int next = 0;
        for (List<Numbered> lines : byCustomer.values()) {
            chunks.get(next).add(lines);
            next = (next + 1) % chunkCount;
        }
        List<Map.Entry<List<List<Numbered>>, Future<List<List<IntakeOutcome>>>>> running = new ArrayList<>();
        for (List<List<Numbered>> chunk : chunks) {
            running.add(Map.entry(chunk, workers.submit(() -> recordChunk(chunk))));
        }
        return new Recording(running);
    }

    /**
     * One transaction for the chunk; customersPerTransaction at most in each. Should one fail other than by a
     * conflict (which the intake retries), each of its customers is tried alone, so one cannot sink the others.
     */
    private List<List<IntakeOutcome>> recordChunk(List<List<Numbered>> chunk) {
        List<List<IntakeOutcome>> outcomes = new ArrayList<>(chunk.size());
        for (int from = 0; from < chunk.size(); from += customersPerTransaction) {
            List<List<Numbered>> part = chunk.subList(from, Math.min(chunk.size(), from + customersPerTransaction));
            List<List<IncomingAction>> actions = part.stream()
                    .map(lines -> lines.stream().map(Numbered::action).toList()).toList();
            try {
                outcomes.addAll(intake.recordAll(actions));
            } catch (RuntimeException failed) {
                if (part.size() == 1) {
                    throw failed;
                }
                log.warn("could not store {} customers in one transaction ({}); storing them one by one",
                        part.size(), failed.toString());
                for (List<IncomingAction> customer : actions) {
                    try {
                        outcomes.add(intake.record(customer));
                    } catch (RuntimeException alone) {
                        outcomes.add(notStored(customer, alone));
                    }
                }
            }
        }
        return outcomes;
    }

    private static List<IntakeOutcome> notStored(List<IncomingAction> actions, RuntimeException failed) {
        log.error("could not store {} actions of customer {}", actions.size(), actions.get(0).customerId(), failed);
        return actions.stream().map(action -> IntakeOutcome.refused(action.id(), "",
                "not stored: the server could not write it (" + failed.getClass().getSimpleName()
                        + "); send the line again")).toList();
    }

    /** A batch being stored: its chunks and their results to come. */
    private record Recording(List<Map.Entry<List<List<Numbered>>, Future<List<List<IntakeOutcome>>>>> running) {

        static final Recording NONE = new Recording(List.of());

        void await(Tally tally) {
            for (Map.Entry<List<List<Numbered>>, Future<List<List<IntakeOutcome>>>> entry : running) {
                List<List<Numbered>> chunk = entry.getKey();
                try {
                    List<List<IntakeOutcome>> outcomes = entry.getValue().get();
                    for (int c = 0; c < chunk.size(); c++) {
                        List<Numbered> lines = chunk.get(c);
                        for (int i = 0; i < lines.size(); i++) {
                            tally.count(lines.get(i).number(), outcomes.get(c).get(i));
                        }
                    }
                } catch (ExecutionException failed) {
                    for (List<Numbered> lines : chunk) {
                        notStored(lines.stream().map(Numbered::action).toList(),
                                failed.getCause() instanceof RuntimeException r ? r
                                        : new IllegalStateException(failed.getCause()));
                        for (Numbered line : lines) {
                            tally.refused(line.number(), "", "not stored: the server could not write it ("
                                    + failed.getCause().getClass().getSimpleName() + "); send the line again");
                        }
                    }
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("import interrupted", interrupted);
                }
            }
        }
    }

    @PreDestroy
    void stop() {
        workers.shutdownNow();
    }

    private record Numbered(long number, IncomingAction action) {
    }

    /** Counts of an import in progress. */
    private static final class Tally {
        private final int maxErrors;
        private final List<ImportReport.LineError> errors = new ArrayList<>();
        private long accepted;
        private long duplicates;
        private long rejected;
        private long errorsNotListed;

        Tally(int maxErrors) {
            this.maxErrors = maxErrors;
        }

        void count(long line, IntakeOutcome outcome) {
            switch (outcome.status()) {
                case RECORDED -> accepted++;
                case DUPLICATE -> duplicates++;
                case REFUSED -> {
                    rejected++;
                    error(line, outcome.error());
                }
            }
        }

        void refused(long line, String field, String message) {
            rejected++;
            error(line, new FieldError(field, message));
        }

        void error(long line, FieldError error) {
            if (errors.size() < maxErrors) {
                errors.add(new ImportReport.LineError(line, error.field(), error.message()));
            } else {
                errorsNotListed++;
            }
        }

        ImportReport report() {
            List<ImportReport.LineError> byLine = new ArrayList<>(errors);
            byLine.sort(java.util.Comparator.comparingLong(ImportReport.LineError::line));
            return new ImportReport(accepted, duplicates, rejected, byLine, errorsNotListed);
        }
    }
}
