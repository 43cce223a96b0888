package dev.aperture.spark;

import dev.aperture.core.InputException;
import dev.aperture.models.ImageInput;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.io.IOException;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

/**
 * Where a row's image comes from: encoded bytes in a binary column (the {@code content} of Spark's
 * {@code binaryFile} source), or a path or URI in a string column, read through Hadoop's file systems (local
 * {@code file:} paths, HDFS, S3 with its connector: any the executors are configured for).
 *
 * @param inputIndex the input column's position
 * @param isPath     true for a string column of paths, false for binary content
 * @param nameIndex  a {@code path} string column's position, naming binary images in errors; -1 when there is none
 */
record ImageColumn(int inputIndex, boolean isPath, int nameIndex) implements Serializable {

    /** Hadoop's configuration, read once per JVM from the class path (core-site.xml), as Spark's executors do. */
    private static final class Hadoop {
        static final Configuration CONFIGURATION = new Configuration();
    }

    /** The image column {@code inputCol} of {@code schema}. */
    static ImageColumn of(StructType schema, String inputCol) {
        checkType(schema.apply(inputCol));
        boolean hasPath = Arrays.asList(schema.fieldNames()).contains("path")
                && schema.apply("path").dataType().equals(DataTypes.StringType);
        boolean isPath = schema.apply(inputCol).dataType().equals(DataTypes.StringType);
        return new ImageColumn(schema.fieldIndex(inputCol), isPath, hasPath ? schema.fieldIndex("path") : -1);
    }

    /** Binary content or a string path; anything else is refused when the schema is checked. */
    static void checkType(StructField input) {
        DataType type = input.dataType();
        if (!type.equals(DataTypes.BinaryType) && !type.equals(DataTypes.StringType)) {
            throw new IllegalArgumentException("Column " + input.name() + " must hold image bytes (binary, as the"
                    + " binaryFile source's content) or paths (string), not " + type.simpleString());
        }
    }

    List<ImageInput> inputs(List<Row> rows) {
        return rows.stream().map(this::input).toList();
    }

    private ImageInput input(Row row) {
        String name = nameIndex >= 0 && !row.isNullAt(nameIndex) ? row.getString(nameIndex) : "an image";
        if (row.isNullAt(inputIndex)) {
            throw new InputException("No image for " + name + ": the input column is null");
        }
        if (isPath) {
            String path = row.getString(inputIndex);
            return ImageInput.of(read(path), path);
        }
        return ImageInput.of((byte[]) row.get(inputIndex), name);
    }

    private static byte[] read(String path) {
        Path file = new Path(path);
        try (FSDataInputStream in = file.getFileSystem(Hadoop.CONFIGURATION).open(file)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new InputException("Cannot read image " + path + ": " + e, e);
        }
    }
}
