package org.salesledger.command.intake;

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
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/**
 * Imports an NDJSON body of envelopes as it streams in. Each line is validated on its own; valid lines are
 * gathered into batches, each batch split by customer (keeping each customer's order) and recorded by several
 * workers at once, one transaction per customer and batch. A bad line is reported with its number and never stops
 * the rest. Memory holds one batch, whatever the size of the body.
 */
@Service
public class ActionImport {

    private static final Logger log = LoggerFactory.getLogger(ActionImport.class);

    private final ActionIntake intake;
    private final ExecutorService workers;
    private final int batchSize;
    private final int maxLineBytes;
    private final int maxErrors;

    ActionImport(ActionIntake intake,
                 @Value("${salesledger.import.workers:4}") int workers,
                 @Value("${salesledger.import.batch-size:1000}") int batchSize,
                 @Value("${salesledger.import.max-line-bytes:1048576}") int maxLineBytes,
                 @Value("${salesledger.import.max-errors:1000}") int maxErrors) {
        this.intake = intake;
        this.workers = Executors.newFixedThreadPool(workers, runnable -> {
            Thread thread = new Thread(runnable, "import-worker");
            thread.setDaemon(true);
            return thread;
        });
        this.batchSize = batchSize;
        this.maxLineBytes = maxLineBytes;
        this.maxErrors = maxErrors;
    }

    public ImportReport importLines(InputStream body, long maxBodyBytes, IncomingAction.Sender sender)
            throws IOException {
        Tally tally = new Tally(maxErrors);
        LineReader lines = new LineReader(body, maxLineBytes, maxBodyBytes);
        List<Numbered> batch = new ArrayList<>(batchSize);
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
                            record(batch, tally);
                            batch.clear();
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
            record(batch, tally);
            throw new ImportStoppedException(tooLarge, tally.report());
        }
        record(batch, tally);
        return tally.report();
    }

    private void record(List<Numbered> batch, Tally tally) {
        if (batch.isEmpty()) {
            return;
        }
        Map<CustomerId, List<Numbered>> byCustomer = new LinkedHashMap<>();
        for (Numbered line : batch) {
            byCustomer.computeIfAbsent(line.action().customerId(), id -> new ArrayList<>()).add(line);
        }
        List<Map.Entry<List<Numbered>, Future<List<IntakeOutcome>>>> running = new ArrayList<>();
        for (List<Numbered> lines : byCustomer.values()) {
            List<IncomingAction> actions = lines.stream().map(Numbered::action).toList();
            running.add(Map.entry(lines, workers.submit(() -> intake.record(actions))));
        }
        for (Map.Entry<List<Numbered>, Future<List<IntakeOutcome>>> entry : running) {
            List<Numbered> lines = entry.getKey();
            try {
                List<IntakeOutcome> outcomes = entry.getValue().get();
                for (int i = 0; i < lines.size(); i++) {
                    tally.count(lines.get(i).number(), outcomes.get(i));
                }
            } catch (ExecutionException failed) {
                log.error("could not store {} actions of customer {}", lines.size(),
                        lines.get(0).action().customerId(), failed.getCause());
                for (Numbered line : lines) {
                    tally.refused(line.number(), "", "not stored: the server could not write it ("
                            + failed.getCause().getClass().getSimpleName() + "); send the line again");
                }
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("import interrupted", interrupted);
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
