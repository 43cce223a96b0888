package dev.aperture.core.pytorch;

import dev.aperture.core.tensor.DType;

/**
 * A storage a tensor reads from, as the pickle's persistent id names it: {@code ('storage', torch.FloatStorage,
 * key, location, numel)}. The bytes are found by key in the checkpoint's container (a zip entry
 * {@code data/<key>}, or a record after the pickles of a legacy file); the location (a device) is ignored, every
 * tensor is read on the host.
 *
 * @param key          the storage's key in the checkpoint
 * @param dtype        the element type its storage class implies
 * @param elementCount the element count the pickle declares
 */
record StorageRef(String key, DType dtype, long elementCount) {
}
