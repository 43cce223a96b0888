package dev.aperture.spark;

import org.apache.spark.sql.Row;

import java.io.Serializable;
import java.util.List;

/**
 * What a transformer computes for a batch of rows: the values of its output columns, one array per row, in order.
 * Sent to the executors with the task, so it holds only column positions and a {@link ModelSpec}, never a model.
 * Throws when any row fails; {@link PartitionTransform} then finds which.
 */
interface RowBatchFunction extends Serializable {

    /** Values of the output columns for each row; each array has {@link #outputWidth()} values. */
    List<Object[]> apply(List<Row> rows);

    /** How many output columns this adds (the error column not counted). */
    int outputWidth();
}
