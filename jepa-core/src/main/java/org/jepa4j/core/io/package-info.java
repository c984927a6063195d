/**
 * Reading and writing model weights in the safetensors format, and float32/int64 arrays in NumPy's {@code .npy}
 * format ({@link org.jepa4j.core.io.Npy}), and reading PyTorch {@code torch.save} checkpoints
 * ({@link org.jepa4j.core.io.TorchCheckpoint}: zip format, whitelisting unpickler that never executes code), in
 * pure Java.
 *
 * <p>A safetensors file is: an 8-byte little-endian unsigned header length {@code n}; {@code n} bytes of UTF-8
 * JSON mapping each tensor name to {@code {"dtype", "shape", "data_offsets": [begin, end]}} (plus an optional
 * {@code "__metadata__"} object of string to string); then the raw little-endian tensor bytes, offsets being
 * relative to the start of that data section.
 *
 * <ul>
 *   <li>{@link org.jepa4j.core.io.SafeTensors#open(java.nio.file.Path)} validates the whole header up front and
 *       returns a {@link org.jepa4j.core.io.SafeTensorsReader} that reads tensors lazily.
 *   <li>{@link org.jepa4j.core.io.SafeTensors#write(java.nio.file.Path, java.util.Map, java.util.Map)} writes
 *       NDArrays (or {@link org.jepa4j.core.io.TensorData} Java-side tensors) atomically.
 *   <li>{@link org.jepa4j.core.io.AtomicFiles} is the atomic replacement both writers use (temporary file in
 *       the same folder, fsync, atomic rename, folder fsync), public for other writers of the library.
 *   <li>F16 and BF16 tensors are widened to float32 in Java ({@link org.jepa4j.core.io.HalfFloats}) before any
 *       NDArray exists: DJL's PyTorch engine aborts the JVM on BFLOAT16 tensors.
 * </ul>
 *
 * <p>Every malformed file gives a {@link org.jepa4j.core.io.SafeTensorsException} (or
 * {@link org.jepa4j.core.io.TorchCheckpointException}) naming the file and the problem.
 */
package org.jepa4j.core.io;
