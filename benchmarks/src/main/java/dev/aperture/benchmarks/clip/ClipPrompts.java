package dev.aperture.benchmarks.clip;

import java.util.Random;

/** Text-tower inputs for the benchmarks: token-id rows shaped like tokenized prompts. */
final class ClipPrompts {
    private static final int BOS = 49406;
    private static final int EOS = 49407;

    private ClipPrompts() {
    }

    /**
     * {@code count} rows of BOS, random ordinary BPE ids, EOS: what the tokenizer makes of a text of {@code length}
     * tokens. EOS, the largest id, ends every row, so every position is computed and pooling takes the last one.
     */
    static int[][] random(Random random, int count, int length) {
        int[][] prompts = new int[count][length];
        for (int[] prompt : prompts) {
            prompt[0] = BOS;
            for (int i = 1; i < length - 1; i++) {
                prompt[i] = 256 + random.nextInt(BOS - 256);
            }
            prompt[length - 1] = EOS;
        }
        return prompts;
    }
}
