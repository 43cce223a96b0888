package dev.aperture.spark;

import dev.aperture.core.ApertureException;
import dev.aperture.core.BackendException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Runs a {@link RowBatchFunction} over one partition, {@code batchSize} rows at a time, and appends its output
 * columns and the error column to each row. Rows stream through: one batch is held at a time.
 *
 * <p>When a batch fails because of its input (a corrupt image, a text over a limit: any {@link ApertureException}
 * but a {@link BackendException}), its rows are run again one by one so the bad ones are found; with
 * {@code failOnError} false those get null outputs and the exception in the error column, and the others their
 * results — the same results as in a batch, since every model embeds batch-independently. With {@code failOnError}
 * the exception fails the task, as does a backend failure in either mode (the row is not at fault, and Spark retries
 * the task).
 */
final class PartitionTransform implements MapPartitionsFunction<Row, Row> {
    private final RowBatchFunction function;
    private final int batchSize;
    private final boolean failOnError;

    PartitionTransform(RowBatchFunction function, int batchSize, boolean failOnError) {
        this.function = function;
        this.batchSize = batchSize;
        this.failOnError = failOnError;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        return new Iterator<>() {
            private Iterator<Row> transformed = Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                while (!transformed.hasNext() && rows.hasNext()) {
                    transformed = transformBatch(nextBatch(rows)).iterator();
                }
                return transformed.hasNext();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return transformed.next();
            }
        };
    }

    private List<Row> nextBatch(Iterator<Row> rows) {
        List<Row> batch = new ArrayList<>(batchSize);
        while (batch.size() < batchSize && rows.hasNext()) {
            batch.add(rows.next());
        }
        return batch;
    }

    private List<Row> transformBatch(List<Row> batch) {
        List<Object[]> outputs;
        try {
            outputs = function.apply(batch);
        } catch (ApertureException failure) {
            if (failOnError || failure instanceof BackendException) {
                throw failure;
            }
            return batch.stream().map(this::transformAlone).toList();
        }
        List<Row> out = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            out.add(appended(batch.get(i), outputs.get(i), null));
        }
        return out;
    }

    private Row transformAlone(Row row) {
        try {
            return appended(row, function.apply(List.of(row)).getFirst(), null);
        } catch (ApertureException failure) {
            if (failure instanceof BackendException) {
                throw failure;
            }
            String error = failure.getClass().getSimpleName() + ": " + failure.getMessage();
            return appended(row, new Object[function.outputWidth()], error);
        }
    }

    /** The row's own values, then the outputs, then the error (null on success). */
    private static Row appended(Row row, Object[] outputs, String error) {
        Object[] values = new Object[row.size() + outputs.length + 1];
        for (int i = 0; i < row.size(); i++) {
            values[i] = row.get(i);
        }
        System.arraycopy(outputs, 0, values, row.size(), outputs.length);
        values[values.length - 1] = error;
        return RowFactory.create(values);
    }
}
