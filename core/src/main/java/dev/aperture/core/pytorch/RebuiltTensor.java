package dev.aperture.core.pytorch;

/**
 * A tensor as {@code torch._utils._rebuild_tensor_v2} describes it: a window onto a storage, elements
 * {@code storageOffset + sum(index[i] * strides[i])}. Nothing here is validated yet ({@link TensorLayout} does
 * that against the storage's real size).
 */
record RebuiltTensor(StorageRef storage, long storageOffset, long[] shape, long[] strides) {
}
