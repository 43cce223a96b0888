package dev.aperture.models.tokenizer.json;

/**
 * What the post-processor puts around a single text: CLIP's BOS ... EOS, BERT's [CLS] ... [SEP].
 *
 * @param prefixIds ids before the text
 * @param suffixIds ids after the text
 */
public record PostProcessor(int[] prefixIds, int[] suffixIds) {
    /** A post-processor that adds nothing (tokenizer.json's ByteLevel post-processor). */
    public static final PostProcessor NONE = new PostProcessor(new int[0], new int[0]);

    /** Number of ids it adds to every text. */
    public int addedIdCount() {
        return prefixIds.length + suffixIds.length;
    }

    /** {@code ids[0, length)} between the prefix and the suffix. */
    public int[] wrap(int[] ids, int length) {
        int[] wrapped = new int[prefixIds.length + length + suffixIds.length];
        System.arraycopy(prefixIds, 0, wrapped, 0, prefixIds.length);
        System.arraycopy(ids, 0, wrapped, prefixIds.length, length);
        System.arraycopy(suffixIds, 0, wrapped, prefixIds.length + length, suffixIds.length);
        return wrapped;
    }
}
