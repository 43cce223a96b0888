package dev.aperture.models.convert;

import dev.aperture.core.InputException;

import java.util.Locale;

/**
 * Shard sizes written the way transformers' {@code max_shard_size} is ({@code convert_file_size_to_int}): an integer
 * followed by a unit, {@code GiB}/{@code MiB}/{@code KiB} for powers of 1024 and {@code GB}/{@code MB}/{@code KB} for
 * powers of 1000, units in any case. As in transformers, a decimal unit ending in a lowercase {@code b} counts bits
 * ({@code 8Gb} is 1 GB). A plain integer is a byte count.
 */
public final class ShardSize {
    /** transformers' default {@code max_shard_size}: {@code 5GB}, 5·10^9 bytes. */
    public static final long DEFAULT_BYTES = 5_000_000_000L;

    private ShardSize() {
    }

    /**
     * The number of bytes {@code text} names, e.g. {@code 5GB} → 5,000,000,000, {@code 5GiB} → 5,368,709,120,
     * {@code 500MB}, {@code 10KB}, {@code 1048576}.
     *
     * @throws InputException when the text is not an integer with one of those units, or is not positive
     */
    public static long parse(String text) {
        String upper = text.strip().toUpperCase(Locale.ROOT);
        for (Unit unit : Unit.values()) {
            if (upper.endsWith(unit.suffix)) {
                String number = text.strip().substring(0, upper.length() - unit.suffix.length());
                boolean bits = !unit.binary && text.strip().endsWith("b");
                return bytes(text, number, unit.bytes, bits ? 8 : 1);
            }
        }
        return bytes(text, text.strip(), 1, 1);
    }

    private static long bytes(String text, String number, long unitBytes, int divisor) {
        try {
            long count = Long.parseLong(number.strip());
            long bytes = Math.multiplyExact(count, unitBytes) / divisor;
            if (bytes > 0) {
                return bytes;
            }
        } catch (NumberFormatException | ArithmeticException e) {
            // Reported below, with the forms that would have worked.
        }
        throw new InputException("invalid shard size '" + text + "': use a positive whole number of bytes, or one"
                + " with a unit such as 5GB, 500MB, 10KB (powers of 1000) or 5GiB, 500MiB (powers of 1024)");
    }

    /** The units transformers accepts, by their upper-case suffix. */
    private enum Unit {
        GIB("GIB", 1L << 30, true), MIB("MIB", 1L << 20, true), KIB("KIB", 1L << 10, true),
        GB("GB", 1_000_000_000L, false), MB("MB", 1_000_000L, false), KB("KB", 1_000L, false);

        final String suffix;
        final long bytes;
        final boolean binary;

        Unit(String suffix, long bytes, boolean binary) {
            this.suffix = suffix;
            this.bytes = bytes;
            this.binary = binary;
        }
    }
}
