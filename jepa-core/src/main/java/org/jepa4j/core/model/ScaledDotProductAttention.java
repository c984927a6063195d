package org.jepa4j.core.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import org.jepa4j.core.tensor.Scalars;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code softmax(q k^T / sqrt(headDim)) v} through libtorch's fused {@code scaled_dot_product_attention} (the
 * flash-attention CPU kernel: no [N, N] score tensors kept for the backward, strided inputs read in place).
 *
 * <p>DJL exposes no binding for that operator, but it runs TorchScript modules with autograd. This class writes a
 * one-method TorchScript archive in memory (its source is the single call below), loads it once per JVM and calls
 * it. Where that is impossible (another engine, a libtorch without the operator, or the system property
 * {@code jepa4j.attention=matmul}), the same function is computed as matmul, softmax, matmul.
 */
final class ScaledDotProductAttention {

    /** System property choosing the kernel: {@code sdpa} (default) or {@code matmul}. */
    static final String PROPERTY = "jepa4j.attention";

    private static final Logger LOG = LoggerFactory.getLogger(ScaledDotProductAttention.class);

    private static final String SOURCE = "class Sdpa(Module):\n"
            + "  __parameters__ = []\n"
            + "  __buffers__ = []\n"
            + "  training : bool\n"
            + "  def forward(self: __torch__.Sdpa, q: Tensor, k: Tensor, v: Tensor) -> Tensor:\n"
            + "    return torch.scaled_dot_product_attention(q, k, v)\n";

    private static volatile PtSymbolBlock module;
    private static volatile boolean resolved;

    private ScaledDotProductAttention() {}

    /**
     * Attends queries to keys; the scale is {@code 1 / sqrt(headDim)}.
     *
     * @param q queries {@code [B, H, Nq, hd]} (last axis with stride 1; other strides free)
     * @param k keys {@code [B, H, Nk, hd]}
     * @param v values {@code [B, H, Nk, hd]}
     * @return {@code [B, H, Nq, hd]}, owned by the manager of {@code q}; with the fused kernel its memory is laid
     *     out as {@code [B, Nq, H, hd]}, so {@code transpose(1, 2)} followed by a reshape is free
     */
    static NDArray apply(NDArray q, NDArray k, NDArray v) {
        PtSymbolBlock m = module();
        if (m != null && q instanceof PtNDArray && k instanceof PtNDArray && v instanceof PtNDArray) {
            // isTrain = true: leave the caller's grad mode alone (false would force no-grad)
            return IValueUtils.forward(m, new NDList(q, k, v), true).singletonOrThrow();
        }
        float scale = (float) (1.0 / Math.sqrt(q.getShape().get(3)));
        return q.mul(Scalars.like(q, scale)).matMul(k.transpose(0, 1, 3, 2)).softmax(3).matMul(v); // [B, H, Nq, hd]
    }

    /** Returns whether the fused kernel is in use (false: matmul fallback). */
    static boolean isFused() {
        return module() != null;
    }

    private static PtSymbolBlock module() {
        if (!resolved) {
            synchronized (ScaledDotProductAttention.class) {
                if (!resolved) {
                    module = load();
                    resolved = true;
                }
            }
        }
        return module;
    }

    private static PtSymbolBlock load() {
        if ("matmul".equalsIgnoreCase(System.getProperty(PROPERTY, "sdpa"))) {
            return null;
        }
        try {
            if (!"PyTorch".equals(Engine.getDefaultEngineName())) {
                return null;
            }
            // a manager of its own, never closed: the module lives as long as the JVM
            NDManager owner = Engine.getEngine("PyTorch").newBaseManager();
            return JniUtils.loadModule((PtNDManager) owner, new ByteArrayInputStream(archive()), true, false);
        } catch (RuntimeException | IOException | LinkageError e) {
            LOG.warn("Fused scaled_dot_product_attention unavailable, using matmul-softmax-matmul: {}", e.toString());
            return null;
        }
    }

    /** A TorchScript archive: the module's pickled state, its source, no constants, format version 3. */
    private static byte[] archive() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            store(zip, "sdpa/data.pkl", modulePickle());
            store(zip, "sdpa/code/__torch__.py", SOURCE.getBytes(StandardCharsets.UTF_8));
            store(zip, "sdpa/constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'}); // protocol 2, (), stop
            store(zip, "sdpa/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        }
        return bytes.toByteArray();
    }

    /** Pickle (protocol 2) of an object of class {@code __torch__.Sdpa} with {@code training = True}. */
    private static byte[] modulePickle() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x80); // PROTO 2
        out.write(2);
        out.writeBytes("c__torch__\nSdpa\n".getBytes(StandardCharsets.US_ASCII)); // GLOBAL
        out.write(')'); // EMPTY_TUPLE
        out.write(0x81); // NEWOBJ
        out.write('}'); // EMPTY_DICT
        out.write('('); // MARK
        byte[] name = "training".getBytes(StandardCharsets.US_ASCII);
        out.write('X'); // BINUNICODE, 4-byte little-endian length
        out.write(name.length);
        out.write(0);
        out.write(0);
        out.write(0);
        out.writeBytes(name);
        out.write(0x88); // NEWTRUE
        out.write('u'); // SETITEMS
        out.write('b'); // BUILD
        out.write('.'); // STOP
        return out.toByteArray();
    }

    private static void store(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(data.length);
        entry.setCompressedSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        entry.setCrc(crc.getValue());
        zip.putNextEntry(entry);
        zip.write(data);
        zip.closeEntry();
    }
}
