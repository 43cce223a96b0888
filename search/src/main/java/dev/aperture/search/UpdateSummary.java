package dev.aperture.search;

import java.util.List;

/**
 * What one {@link ImageIndex#update} did, file by file.
 *
 * @param added     files not indexed before, now indexed
 * @param updated   indexed files whose content changed, re-embedded
 * @param removed   entries removed because their file no longer exists
 * @param unchanged files whose content was already indexed (size and modification time equal, or, when those
 *                  changed, the same SHA-256)
 * @param embedded  images the model embedded: added plus updated, less those whose content was already indexed
 *                  under another path (a copied or moved file reuses that embedding)
 * @param failed    files that could not be indexed, and why; they are left out of the index
 */
public record UpdateSummary(int added, int updated, int removed, int unchanged, int embedded,
                            List<FailedImage> failed) {
    public UpdateSummary {
        failed = List.copyOf(failed);
    }
}
