/**
 * Zero-shot image classification: {@link dev.aperture.models.zeroshot.ZeroShotClassifier} embeds each label's
 * prompts ({@link dev.aperture.models.zeroshot.PromptTemplates}, the CLIP paper's ensembles), compares them with an
 * image's embedding and returns softmax-ed {@link dev.aperture.models.zeroshot.Label}s. Built on a
 * {@link dev.aperture.models.clip.ClipModel} today; used by users, the cli's {@code classify} and the benchmarks.
 * BERT's text classifier is {@code bert.ZeroShotTextClassifier}.
 */
package dev.aperture.models.zeroshot;
