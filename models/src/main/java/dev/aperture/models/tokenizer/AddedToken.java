package dev.aperture.models.tokenizer;

/**
 * A token matched verbatim in the text before any BPE (CLIP: "&lt;|startoftext|&gt;", "&lt;|endoftext|&gt;").
 *
 * @param id         its id
 * @param content    the text it matches
 * @param normalized true: matched in the normalized text (so case variants match after lowercasing);
 *                   false: matched in the raw text, before normalization
 * @param lstrip     the match swallows whitespace on its left
 * @param rstrip     the match swallows whitespace on its right
 * @param special    a special token (dropped by {@link ClipTokenizer#decode})
 */
record AddedToken(int id, String content, boolean normalized, boolean lstrip, boolean rstrip, boolean special) {
}
