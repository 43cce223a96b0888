package dev.aperture.benchmarks;

/**
 * The shape of a batch of equally long texts, parsed from a JMH parameter such as {@code "32x77"}: {@code batch}
 * texts of {@code tokens} tokens each, the special tokens included.
 */
public record TextShape(int batch, int tokens) {
    public static TextShape parse(String text) {
        String[] parts = text.split("x");
        if (parts.length != 2) {
            throw new IllegalArgumentException("text shape '" + text + "' is not batch x tokens, such as 32x77");
        }
        return new TextShape(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
    }
}
