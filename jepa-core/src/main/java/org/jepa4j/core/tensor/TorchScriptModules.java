package org.jepa4j.core.tensor;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
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
 * Loads a one-class TorchScript module written in memory from its source, so that libtorch operators DJL has no
 * binding for (fused attention, fused AdamW) can be called through DJL's TorchScript support.
 *
 * <p>The archive holds the module's pickled state (an object of the class with {@code training = True}), its
 * source, no constants, format version 3. The module lives as long as the JVM.
 */
public final class TorchScriptModules {

    private static final Logger LOG = LoggerFactory.getLogger(TorchScriptModules.class);

    private TorchScriptModules() {}

    /**
     * Loads a module, or returns null (with one WARN naming {@code what}) where that is impossible: another default
     * engine, or a libtorch that rejects the source.
     *
     * @param className the class defined by {@code source} (e.g. {@code Sdpa} for {@code class Sdpa(Module)})
     * @param source TorchScript source of {@code __torch__.py}
     * @param what what the caller loses without it, for the warning
     * @return the loaded module, or null
     */
    public static PtSymbolBlock loadOrNull(String className, String source, String what) {
        try {
            if (!"PyTorch".equals(Engine.getDefaultEngineName())) {
                return null;
            }
            // a manager of its own, never closed: the module lives as long as the JVM
            NDManager owner = Engine.getEngine("PyTorch").newBaseManager();
            byte[] archive = archive(className, source);
            return JniUtils.loadModule((PtNDManager) owner, new ByteArrayInputStream(archive), true, false);
        } catch (RuntimeException | IOException | LinkageError e) {
            LOG.warn("{} unavailable: {}", what, e.toString());
            return null;
        }
    }

    private static byte[] archive(String className, String source) throws IOException {
        String dir = className.toLowerCase(java.util.Locale.ROOT);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            store(zip, dir + "/data.pkl", modulePickle(className));
            store(zip, dir + "/code/__torch__.py", source.getBytes(StandardCharsets.UTF_8));
            store(zip, dir + "/constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'}); // protocol 2, (), stop
            store(zip, dir + "/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        }
        return bytes.toByteArray();
    }

    /** Pickle (protocol 2) of an object of class {@code __torch__.<className>} with {@code training = True}. */
    private static byte[] modulePickle(String className) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x80); // PROTO 2
        out.write(2);
        out.writeBytes(("c__torch__\n" + className + "\n").getBytes(StandardCharsets.US_ASCII)); // GLOBAL
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
