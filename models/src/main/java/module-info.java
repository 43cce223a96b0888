/**
 * Aperture's models: CLIP, SigLIP and BERT on one shared transformer, their tokenizers and image preprocessing,
 * zero-shot classification, model sources (local folders, the Hugging Face hub and its cache) and checkpoint
 * conversion.
 *
 * <p>Exported: what users call ({@code ImageTextModel}, {@code ClipModel}, {@code SiglipModel}, {@code TextEmbedder},
 * the zero-shot classifiers, the tokenizers, image preprocessing, {@code ModelSource}, {@code CheckpointConverter}, options and limits). The synthetic models
 * are for {@code aperture bench --random} and the benchmarks only, hence the qualified export. Not exported: the
 * shared encoder blocks ({@code transformer}), model lifecycle helpers ({@code loading}) and the ONNX reader behind
 * BERT's ONNX import ({@code bert.onnx}).
 *
 * <p>No backend is required: core finds them at run time ({@code BackendProvider}), so any installed one works.
 */
@SuppressWarnings("module")   // cli and benchmarks, targets of the qualified export, are built after models
module dev.aperture.models {
    requires transitive dev.aperture.core;   // exported signatures use its exceptions, Backend, CheckpointLimits
    requires transitive java.desktop;        // ImageInput.of(BufferedImage); ImageIO decoding
    requires com.fasterxml.jackson.core;
    requires com.fasterxml.jackson.databind; // the tree model only: nothing to open
    requires java.net.http;                  // the hub client

    exports dev.aperture.models;
    exports dev.aperture.models.bert;
    exports dev.aperture.models.clip;
    exports dev.aperture.models.convert;
    exports dev.aperture.models.image;
    exports dev.aperture.models.siglip;
    exports dev.aperture.models.source;
    exports dev.aperture.models.tokenizer;
    exports dev.aperture.models.tokenizer.bpe;
    exports dev.aperture.models.tokenizer.sentencepiece;
    exports dev.aperture.models.tokenizer.wordpiece;
    exports dev.aperture.models.zeroshot;

    exports dev.aperture.models.clip.synthetic to dev.aperture.cli, dev.aperture.benchmarks;
    exports dev.aperture.models.siglip.synthetic to dev.aperture.cli, dev.aperture.benchmarks;
}
