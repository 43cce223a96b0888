/**
 * What loading and running any model shares: {@link dev.aperture.models.loading.ModelLifecycle} (batches under a
 * read lock, close waits for them) and {@link dev.aperture.models.loading.ModelLoading} (a backend opened from
 * {@link dev.aperture.models.ModelOptions}, closed again if building the model fails). Used by the model classes
 * ({@code ClipModel}, {@code TextEmbedder}); not an API for users.
 */
package dev.aperture.models.loading;
