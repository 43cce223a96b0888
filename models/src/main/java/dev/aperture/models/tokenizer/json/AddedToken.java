package dev.aperture.models.tokenizer.json;

/**
 * A token matched verbatim in the text before the model runs (CLIP: "&lt;|startoftext|&gt;", "&lt;|endoftext|&gt;";
 * BERT: "[CLS]", "[MASK]", ...).
 *
 * @param id         its id
 * @param content    the text it matches
 * @param normalized true: matched in the normalized text (so case variants match after lowercasing);
 *                   false: matched in the raw text, before normalization
 * @param lstrip     the match swallows whitespace on its left
 * @param rstrip     the match swallows whitespace on its right
 * @param special    a special token (dropped by the CLIP tokenizer's decode)
 */
public record AddedToken(int id, String content, boolean normalized, boolean lstrip, boolean rstrip, boolean special) {
}
