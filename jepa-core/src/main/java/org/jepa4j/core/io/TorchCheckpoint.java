package org.jepa4j.core.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * A checkpoint written by {@code torch.save} in the zip format (the default since PyTorch 1.6), read without Python:
 * a zip holding {@code <prefix>/data.pkl} (the pickled object tree), one {@code <prefix>/data/<key>} record of raw
 * little-endian bytes per storage, and {@code <prefix>/version} (plus {@code <prefix>/byteorder} since PyTorch 2.1).
 *
 * <p>The pickle is decoded by a safe subset of Python's unpickler that never executes code: globals must be on a
 * whitelist (containers, {@code torch._utils._rebuild_tensor_v2} / {@code _rebuild_parameter}, the
 * {@code torch.*Storage} types, and a few harmless value types). Harmless non-tensor objects such as an
 * {@code argparse.Namespace} of training arguments, NumPy scalars, {@code torch.device} or {@code torch.float32}
 * become inert {@link PickleObject} placeholders, so they do not make the file unreadable; more such classes can be
 * allowed with {@link #open(Path, Set)}. Any other global (e.g. {@code os.system}, a pickled {@code nn.Module}, a
 * quantized or sparse tensor) fails with a {@link TorchCheckpointException} naming it.
 *
 * <p>Decoded values: dicts are {@code Map<Object, Object>} (insertion ordered), lists and tuples {@code List<Object>},
 * str {@link String}, int {@link Long}, float {@link Double}, bool {@link Boolean}, None {@code null}, tensors
 * {@link TorchTensor} (metadata only; bytes are read on demand with {@link #read} or {@link #load}).
 *
 * <p>Reference training checkpoints (I-JEPA, V-JEPA, V-JEPA 2) are dicts such as
 * {@code {'encoder': state_dict, 'predictor': ..., 'target_encoder': ..., 'opt': ..., 'epoch': int, 'loss': float}};
 * {@link #keys()} lists the entries and {@link #loadStateDict(String, NDManager)} loads one.
 */
public final class TorchCheckpoint implements AutoCloseable {

    private final Path file;
    private final ZipFile zip;
    private final String prefix;
    private final Object root;

    private TorchCheckpoint(Path file, ZipFile zip, String prefix, Object root) {
        this.file = file;
        this.zip = zip;
        this.prefix = prefix;
        this.root = root;
    }

    /**
     * Opens a checkpoint and decodes its object tree (tensor bytes are read later, on demand).
     *
     * @param file a file written by {@code torch.save}
     * @return the open checkpoint, to be closed
     * @throws TorchCheckpointException if the file is not a readable torch zip archive or its pickle is refused
     * @throws IOException if the file cannot be read
     */
    public static TorchCheckpoint open(Path file) throws IOException {
        return open(file, Set.of());
    }

    /**
     * Opens a checkpoint, also keeping instances of {@code extraOpaqueGlobals} as {@link PickleObject} placeholders.
     *
     * @param file a file written by {@code torch.save}
     * @param extraOpaqueGlobals further harmless classes, as {@code module.name} (e.g.
     *     {@code omegaconf.dictconfig.DictConfig}); names under {@code torch.} are refused since they may be tensors
     * @return the open checkpoint, to be closed
     * @throws TorchCheckpointException if the file is not a readable torch zip archive or its pickle is refused
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException if an extra global is under {@code torch.}
     */
    public static TorchCheckpoint open(Path file, Set<String> extraOpaqueGlobals) throws IOException {
        for (String g : extraOpaqueGlobals) {
            if (g.startsWith("torch.")) {
                throw new IllegalArgumentException("'" + g + "' cannot be made opaque: torch globals may be tensors");
            }
        }
        ZipFile zip = openZip(file);
        try {
            String prefix = findPrefix(file, zip);
            ZipEntry order = zip.getEntry(prefix + "byteorder");
            if (order != null) {
                String text = new String(readEntry(file, zip, order), StandardCharsets.US_ASCII).trim();
                if (!"little".equals(text)) {
                    throw new TorchCheckpointException(file, "byte order '" + text + "' is not supported (little only)");
                }
            }
            byte[] pickle = readEntry(file, zip, zip.getEntry(prefix + "data.pkl"));
            Object root = new TorchUnpickler(file, pickle, extraOpaqueGlobals).load();
            return new TorchCheckpoint(file, zip, prefix, root);
        } catch (IOException | RuntimeException e) {
            zip.close();
            throw e;
        }
    }

    /**
     * The file this checkpoint was opened from.
     *
     * @return the path
     */
    public Path path() {
        return file;
    }

    /**
     * The decoded object tree.
     *
     * @return the top-level value (usually a {@code Map<Object, Object>})
     */
    public Object root() {
        return root;
    }

    /**
     * The top-level keys, when the checkpoint is a dict (e.g. {@code encoder}, {@code target_encoder}, {@code epoch}).
     *
     * @return keys in file order, as strings; empty if the top level is not a dict
     */
    public List<String> keys() {
        List<String> out = new ArrayList<>();
        if (root instanceof Map<?, ?> m) {
            m.keySet().forEach(k -> out.add(String.valueOf(k)));
        }
        return out;
    }

    /**
     * One value of the tree.
     *
     * @param entry a top-level key (e.g. {@code target_encoder}), a {@code /}-separated path into nested dicts and
     *     lists (e.g. {@code classifiers/0}), or {@code null} for the whole tree
     * @return the value
     * @throws IllegalArgumentException if there is no such entry; the message lists the available keys
     */
    public Object get(String entry) {
        if (entry == null) {
            return root;
        }
        if (root instanceof Map<?, ?> m && m.containsKey(entry)) {
            return m.get(entry);
        }
        Object node = root;
        for (String part : entry.split("/")) {
            if (node instanceof Map<?, ?> m && m.containsKey(part)) {
                node = m.get(part);
            } else if (node instanceof List<?> l && part.matches("\\d+") && Integer.parseInt(part) < l.size()) {
                node = l.get(Integer.parseInt(part));
            } else {
                throw new IllegalArgumentException("PyTorch checkpoint " + file + " has no entry '" + entry
                        + "'; available top-level entries: " + keys());
            }
        }
        return node;
    }

    /**
     * The tensors of a state dict entry, without reading their bytes.
     *
     * @param entry the entry (see {@link #get(String)}), or {@code null} for a checkpoint that is a flat state dict
     * @return tensor name to tensor, in file order
     * @throws IllegalArgumentException if the entry is missing or is not a dict of string to tensor (the message
     *     names the first offending key and lists the entries that are state dicts)
     */
    public Map<String, TorchTensor> tensors(String entry) {
        Object node = get(entry);
        String what = entry == null ? "the top level" : "entry '" + entry + "'";
        if (!(node instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException("PyTorch checkpoint " + file + ": " + what + " is "
                    + TorchUnpickler.describe(node) + ", not a state dict; state dicts here: " + stateDictKeys());
        }
        Map<String, TorchTensor> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getKey() instanceof String name) || !(e.getValue() instanceof TorchTensor t)) {
                throw new IllegalArgumentException("PyTorch checkpoint " + file + ": " + what
                        + " is not a state dict (key '" + e.getKey() + "' holds "
                        + TorchUnpickler.describe(e.getValue()) + "); state dicts here: " + stateDictKeys());
            }
            out.put(name, t);
        }
        return out;
    }

    /**
     * Reads one tensor into Java memory, row-major and contiguous (non-contiguous views are gathered element by
     * element). The dtype is the storage's: F16 and BF16 stay 16-bit here ({@link TensorData#toFloats()} widens).
     *
     * @param tensor a tensor of this checkpoint
     * @return its data
     * @throws TorchCheckpointException if the storage record is missing or too short
     * @throws IOException on a read error
     */
    public TensorData read(TorchTensor tensor) throws IOException {
        int width = tensor.dtype().byteSize();
        long count = tensor.numElements();
        long[] shape = tensor.shape();
        long[] stride = tensor.stride();
        long first = tensor.storageOffset();
        long last = first;
        for (int i = 0; i < shape.length; i++) {
            last += Math.max(shape[i] - 1, 0) * stride[i];
        }
        if (count == 0) {
            return new TensorData(tensor.dtype(), shape, ByteBuffer.allocate(0));
        }
        long spanBytes = (last - first + 1) * width;
        long outBytes = count * width;
        if (spanBytes > Integer.MAX_VALUE - 8 || outBytes > Integer.MAX_VALUE - 8) {
            throw new TorchCheckpointException(file, "tensor " + tensor + " is larger than one Java buffer (2 GiB)");
        }
        byte[] span = readSpan(tensor, first * width, (int) spanBytes);
        if (tensor.isContiguous()) {
            return new TensorData(tensor.dtype(), shape, ByteBuffer.wrap(span, 0, (int) outBytes));
        }
        byte[] out = new byte[(int) outBytes];
        long[] index = new long[shape.length];
        long src = 0; // element offset within the span
        for (long n = 0; n < count; n++) {
            System.arraycopy(span, (int) (src * width), out, (int) (n * width), width);
            for (int d = shape.length - 1; d >= 0; d--) { // odometer over the shape, last axis fastest
                index[d]++;
                src += stride[d];
                if (index[d] < shape[d]) {
                    break;
                }
                src -= index[d] * stride[d];
                index[d] = 0;
            }
        }
        return new TensorData(tensor.dtype(), shape, ByteBuffer.wrap(out));
    }

    /**
     * Reads every tensor of a state dict entry into Java memory.
     *
     * @param entry the entry, or {@code null} for a flat state dict
     * @return name to data, in file order
     * @throws IOException on a missing storage record or a read error
     * @throws IllegalArgumentException if the entry is missing or not a state dict
     */
    public Map<String, TensorData> readStateDict(String entry) throws IOException {
        Map<String, TensorData> out = new LinkedHashMap<>();
        for (Map.Entry<String, TorchTensor> e : tensors(entry).entrySet()) {
            out.put(e.getKey(), read(e.getValue()));
        }
        return out;
    }

    /**
     * Loads one tensor as an NDArray; F16 and BF16 become FLOAT32 in Java first (DJL never sees bfloat16).
     *
     * @param tensor a tensor of this checkpoint
     * @param manager owner of the new array
     * @return the array
     * @throws IOException on a read error or a dtype DJL cannot hold (int16)
     */
    public NDArray load(TorchTensor tensor, NDManager manager) throws IOException {
        if (tensor.dtype().loadedAs() == null) {
            throw new TorchCheckpointException(file, tensor + " has dtype " + tensor.dtype()
                    + ", which cannot be loaded as an NDArray (use read)");
        }
        TensorData data = read(tensor);
        return TensorBytes.toNDArray(data.dtype(), data.shape(), data.data(), manager);
    }

    /**
     * Loads a state dict entry as NDArrays, one tensor in Java memory at a time.
     *
     * @param entry the entry (e.g. {@code target_encoder}), or {@code null} for a flat state dict
     * @param manager owner of the new arrays
     * @return name to array (arrays named after their keys), in file order
     * @throws IOException on a missing storage record or a read error
     * @throws IllegalArgumentException if the entry is missing or not a state dict
     */
    public Map<String, NDArray> loadStateDict(String entry, NDManager manager) throws IOException {
        Map<String, TorchTensor> tensors = tensors(entry);
        return TensorBytes.loadAll(tensors.keySet(), name -> {
            NDArray a = load(tensors.get(name), manager);
            a.setName(name);
            return a;
        });
    }

    /** Closes the archive; data already read stays valid. */
    @Override
    public void close() throws IOException {
        zip.close();
    }

    @Override
    public String toString() {
        return "TorchCheckpoint[" + file + ", keys " + keys() + "]";
    }

    private List<String> stateDictKeys() {
        List<String> out = new ArrayList<>();
        if (root instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (e.getValue() instanceof Map<?, ?> sub && !sub.isEmpty()
                        && sub.values().stream().allMatch(v -> v instanceof TorchTensor)) {
                    out.add(String.valueOf(e.getKey()));
                }
            }
        }
        return out;
    }

    private byte[] readSpan(TorchTensor tensor, long skip, int length) throws IOException {
        String name = prefix + "data/" + tensor.storageKey();
        ZipEntry entry = zip.getEntry(name);
        if (entry == null) {
            throw new TorchCheckpointException(file, "missing storage record '" + name + "' for " + tensor);
        }
        long needed = tensor.storageElements() * tensor.dtype().byteSize();
        if (entry.getSize() >= 0 && entry.getSize() < needed) {
            throw new TorchCheckpointException(file, "storage record '" + name + "' holds " + entry.getSize()
                    + " bytes, its tensors need " + needed);
        }
        try (InputStream s = zip.getInputStream(entry)) {
            s.skipNBytes(skip);
            byte[] out = s.readNBytes(length);
            if (out.length != length) {
                throw new TorchCheckpointException(file, "storage record '" + name + "' ends early");
            }
            return out;
        } catch (java.io.EOFException | ZipException e) {
            throw new TorchCheckpointException(file, "storage record '" + name + "' is unreadable: " + e, e);
        }
    }

    private static ZipFile openZip(Path file) throws IOException {
        try {
            return new ZipFile(file.toFile());
        } catch (ZipException e) {
            byte[] head = new byte[2];
            try (InputStream s = Files.newInputStream(file)) {
                head = s.readNBytes(2);
            }
            boolean legacy = head.length == 2 && (head[0] & 0xFF) == 0x80;
            throw new TorchCheckpointException(file, legacy
                    ? "legacy (non-zip) torch.save format, written before PyTorch 1.6 or with "
                            + "_use_new_zipfile_serialization=False: re-save it with a recent PyTorch"
                    : "not a readable zip archive (truncated or not written by torch.save): " + e.getMessage(), e);
        }
    }

    private static String findPrefix(Path file, ZipFile zip) throws TorchCheckpointException {
        List<String> found = new ArrayList<>();
        Enumeration<? extends ZipEntry> entries = zip.entries();
        while (entries.hasMoreElements()) {
            String name = entries.nextElement().getName();
            if (name.endsWith("data.pkl") && (name.equals("data.pkl") || name.endsWith("/data.pkl"))
                    && name.indexOf('/') == name.lastIndexOf('/')) {
                found.add(name.substring(0, name.length() - "data.pkl".length()));
            }
        }
        if (found.size() != 1) {
            throw new TorchCheckpointException(file, found.isEmpty()
                    ? "no data.pkl record: not a torch.save archive (TorchScript archives are not read)"
                    : "several data.pkl records " + found);
        }
        return found.get(0);
    }

    private static byte[] readEntry(Path file, ZipFile zip, ZipEntry entry) throws IOException {
        if (entry.getSize() > Integer.MAX_VALUE - 8) {
            throw new TorchCheckpointException(file, "record '" + entry.getName() + "' is too large");
        }
        try (InputStream s = zip.getInputStream(entry)) {
            return s.readAllBytes();
        } catch (ZipException e) {
            throw new TorchCheckpointException(file, "record '" + entry.getName() + "' is unreadable: " + e, e);
        }
    }
}
