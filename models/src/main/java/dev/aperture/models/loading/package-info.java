/**
 * What loading and running any model shares: {@link dev.aperture.models.loading.ModelLifecycle} (batches under a
 * read lock, close waits for them) and {@link dev.aperture.models.loading.ModelLoading} (a backend opened from
 * {@link dev.aperture.models.ModelOptions}, closed again if building the model fails), and
 * {@link dev.aperture.models.loading.ConfigFields} (typed config.json reads with the model class's defaults). Used
 * by the model classes ({@code ClipModel}, {@code SiglipModel}, {@code TextEmbedder}); not an API for users.
 */
package dev.aperture.models.loading;
