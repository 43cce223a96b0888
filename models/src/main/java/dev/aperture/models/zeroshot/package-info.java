/**
 * Zero-shot image classification: {@link dev.aperture.models.zeroshot.ZeroShotClassifier} embeds each label's
 * prompts ({@link dev.aperture.models.zeroshot.PromptTemplates}, the CLIP paper's ensembles), compares them with an
 * image's embedding and returns {@link dev.aperture.models.zeroshot.Label}s scored as the model was trained
 * ({@link dev.aperture.models.zeroshot.Scoring}: a softmax over the labels for CLIP, a sigmoid per label for
 * SigLIP). Built on any {@link dev.aperture.models.ImageTextModel}; used by users, the cli's {@code classify} and the
 * benchmarks. BERT's text classifier is {@code bert.ZeroShotTextClassifier}.
 */
package dev.aperture.models.zeroshot;
