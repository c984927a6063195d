package org.jepa4j.train.world;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jepa4j.core.io.SafeTensors;
import org.jepa4j.core.io.SafeTensorsReader;
import org.jepa4j.core.io.TensorData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On-disk cache of the frozen encoder's layer-normed tokens, one safetensors file per episode
 * ({@code tokens [frames, H*W, E]} float32, with the encoder, frame size and frame count in its metadata), so every
 * frame is encoded once and later epochs cost only the predictor. A file written for another encoder or frame size
 * is encoded again. Episodes read back are kept in memory up to a byte budget (least recently used first out).
 */
public final class FeatureCache {

    private static final Logger LOG = LoggerFactory.getLogger(FeatureCache.class);

    /** Name of the token tensor in each file. */
    static final String TOKENS = "tokens";

    private final Path dir;
    private final long memoryBudget;
    private final Map<String, float[]> inMemory = new LinkedHashMap<>(16, 0.75f, true);
    private long inMemoryBytes;

    /**
     * Opens (creating) a cache folder.
     *
     * @param dir the folder
     * @param memoryBudgetBytes bytes of tokens kept in memory
     * @throws IOException if the folder cannot be created
     */
    public FeatureCache(Path dir, long memoryBudgetBytes) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.memoryBudget = memoryBudgetBytes;
    }

    /**
     * The cache folder.
     *
     * @return the cache folder
     */
    public Path directory() {
        return dir;
    }

    private Path fileOf(Episode e) {
        return dir.resolve(e.name().replaceAll("[^A-Za-z0-9._-]", "_") + ".safetensors");
    }

    private static Map<String, String> key(Episode e, FrameEncoder enc, int size) {
        Map<String, String> k = new LinkedHashMap<>();
        k.put("encoder", enc.description());
        k.put("frame_size", Integer.toString(size));
        k.put("frames", Integer.toString(e.frames()));
        k.put("episode", e.dir().toAbsolutePath().toString());
        return k;
    }

    /**
     * Makes sure an episode's tokens are on disk, encoding its frames if they are not (or were written for another
     * encoder or frame size).
     *
     * @param e the episode
     * @param reader the frame reader
     * @param enc the frame encoder
     * @param batch frames per encoder pass
     * @return true if the episode was encoded now, false if its file was already valid
     * @throws IOException if the file cannot be written
     */
    public boolean ensure(Episode e, FrameReader reader, FrameEncoder enc, int batch) throws IOException {
        Path f = fileOf(e);
        Map<String, String> key = key(e, enc, reader.size());
        if (Files.isRegularFile(f)) {
            try (SafeTensorsReader r = SafeTensors.open(f)) {
                if (key.equals(r.metadata())) {
                    return false;
                }
            } catch (IOException | RuntimeException ex) {
                LOG.warn("Feature cache file {} is unreadable ({}); encoding the episode again", f, ex.toString());
            }
        }
        int size = reader.size();
        int hw = enc.tokensPerFrame();
        int width = enc.width();
        float[] all = new float[Math.multiplyExact(e.frames(), hw * width)];
        try (NDManager m = NDManager.newBaseManager(enc.device())) {
            for (int start = 0; start < e.frames(); start += batch) {
                int n = Math.min(batch, e.frames() - start);
                int[] ids = new int[n];
                for (int i = 0; i < n; i++) {
                    ids[i] = start + i;
                }
                float[] px = new float[n * 3 * size * size];
                reader.read(e, ids, px, 0);
                try (NDManager step = m.newSubManager()) {
                    NDArray tokens = enc.encode(step.create(px, new Shape(n, 3, size, size)), batch); // [n, HW, E]
                    float[] t = tokens.toFloatArray();
                    System.arraycopy(t, 0, all, start * hw * width, t.length);
                }
            }
        }
        SafeTensors.writeData(f, Map.of(TOKENS, TensorData.ofFloats(all, e.frames(), hw, width)), key);
        return true;
    }

    /**
     * The cached tokens of an episode ({@link #ensure} must have run), {@code [frames * H*W * E]} row-major; shared,
     * do not modify.
     *
     * @param e the episode
     * @return the tokens
     * @throws IOException if the file cannot be read
     */
    public synchronized float[] tokens(Episode e) throws IOException {
        float[] t = inMemory.get(e.name());
        if (t != null) {
            return t;
        }
        try (SafeTensorsReader r = SafeTensors.open(fileOf(e))) {
            t = r.readFloats(TOKENS);
        }
        long bytes = 4L * t.length;
        if (bytes <= memoryBudget) {
            inMemory.put(e.name(), t);
            inMemoryBytes += bytes;
            var it = inMemory.entrySet().iterator();
            while (inMemoryBytes > memoryBudget && it.hasNext()) {
                var old = it.next();
                if (old.getValue() != t) {
                    inMemoryBytes -= 4L * old.getValue().length;
                    it.remove();
                }
            }
        }
        return t;
    }
}
