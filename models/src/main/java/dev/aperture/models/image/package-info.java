/**
 * Image preprocessing that reproduces Hugging Face's {@code CLIPImageProcessor} on Pillow exactly:
 * {@link dev.aperture.models.image.ImagePreprocessor} decodes, converts to RGB, resizes (Pillow bicubic), crops and
 * normalizes, configured by preprocessor_config.json ({@link dev.aperture.models.image.ImageProcessorConfig}) and
 * bounded by {@link dev.aperture.models.image.ImageLimits}. Used by {@code clip} (and by the root package's
 * {@code InputLimits}); it knows no model, so the next image tower uses it too.
 */
package dev.aperture.models.image;
