/**
 * What every family's synthetic models share, for benchmarks and tests only, not user API: the name-seeded weight
 * generator of testdata/clip-b32-synthetic ({@link dev.aperture.models.synthetic.SyntheticWeights}), weights
 * generated on demand as a tensor source ({@link dev.aperture.models.synthetic.SyntheticTensors}) and the writing of
 * a model folder ({@link dev.aperture.models.synthetic.SyntheticFolder}). The families' architectures live beside
 * each family: {@code clip.synthetic}, {@code siglip.synthetic}. Not exported.
 */
package dev.aperture.models.synthetic;
