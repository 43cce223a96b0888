package dev.aperture.models.zeroshot;

/**
 * How a model turns its image-label logits into scores, as it was trained to: CLIP's contrastive loss makes the
 * labels compete (a softmax over them, scores summing to 1); SigLIP's sigmoid loss makes each label its own yes/no
 * decision (a sigmoid per label, independent: all may be low, or several high).
 */
public enum Scoring {
    /** {@code score_i = exp(logit_i) / Σ_j exp(logit_j)}, over the candidate labels (CLIP). */
    SOFTMAX("softmax"),
    /** {@code score_i = 1 / (1 + exp(−logit_i))}, each label alone (SigLIP). */
    SIGMOID("sigmoid");

    private final String jsonName;

    Scoring(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The name results carry: {@code softmax} or {@code sigmoid}. */
    public String jsonName() {
        return jsonName;
    }

    /** Each logit's score. */
    public double[] scores(double[] logits) {
        double[] scores = new double[logits.length];
        switch (this) {
            case SOFTMAX -> {
                double max = Double.NEGATIVE_INFINITY;
                for (double logit : logits) {
                    max = Math.max(max, logit);
                }
                double sum = 0;
                for (int i = 0; i < logits.length; i++) {
                    scores[i] = Math.exp(logits[i] - max);   // shifted by the max: no overflow
                    sum += scores[i];
                }
                for (int i = 0; i < logits.length; i++) {
                    scores[i] /= sum;
                }
            }
            case SIGMOID -> {
                for (int i = 0; i < logits.length; i++) {
                    scores[i] = 1.0 / (1.0 + Math.exp(-logits[i]));
                }
            }
        }
        return scores;
    }
}
