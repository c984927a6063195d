package org.jepa4j.core.target;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jepa4j.core.tensor.NoGrad;

/**
 * Benchmark (not a test): {@link EmaUpdater#update} against the references' textbook form
 * {@code t.mul_(m).add_((1 - m) * c)} written naively in DJL, on the parameter shapes of a ViT-Tiny
 * (12 blocks, width 192; ~5.5M parameters in 150 arrays) and of a many-small-arrays map. Prints ms per update
 * and the ratio. Run: {@code ./mvnw -q -pl jepa-core -am test-compile} then
 * {@code java -cp "jepa-core/target/test-classes:jepa-core/target/classes:$(cat cp.txt)"
 * org.jepa4j.core.target.EmaBenchmark} with the test class path, or from an IDE.
 */
public final class EmaBenchmark {

    private EmaBenchmark() {
    }

    /**
     * Entry point.
     *
     * @param args unused
     */
    public static void main(String[] args) {
        try (NDManager root = NDManager.newBaseManager()) {
            run("ViT-Tiny (12 x 192)", vit(root.newSubManager(), 12, 192), vit(root.newSubManager(), 12, 192), 20);
            run("600 arrays of 64", small(root.newSubManager(), 600), small(root.newSubManager(), 600), 100);
        }
    }

    private static void run(String label, Map<String, NDArray> target, Map<String, NDArray> online, int iters) {
        double m = 0.996;
        for (int i = 0; i < iters / 10; i++) { // warm-up
            EmaUpdater.update(target, online, m);
            naive(target, online, m);
        }
        // alternate the two forms over rounds and keep each one's best round: the machine is shared
        double naiveMs = Double.MAX_VALUE;
        double fusedMs = Double.MAX_VALUE;
        for (int round = 0; round < 5; round++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < iters; i++) {
                naive(target, online, m);
            }
            long t1 = System.nanoTime();
            for (int i = 0; i < iters; i++) {
                EmaUpdater.update(target, online, m);
            }
            long t2 = System.nanoTime();
            naiveMs = Math.min(naiveMs, (t1 - t0) / 1e6 / iters);
            fusedMs = Math.min(fusedMs, (t2 - t1) / 1e6 / iters);
        }
        System.out.printf("%-22s %4d arrays  naive %.3f ms  EmaUpdater %.3f ms  speed-up x%.2f%n", label,
                target.size(), naiveMs, fusedMs, naiveMs / fusedMs);
    }

    /** The references' form: t.mul_(m).add_((1 - m) * c), with its temporary. */
    private static void naive(Map<String, NDArray> target, Map<String, NDArray> online, double m) {
        try (NoGrad ignored = NoGrad.enter(); NDScope scope = new NDScope()) {
            for (Map.Entry<String, NDArray> e : target.entrySet()) {
                NDArray c = online.get(e.getKey());
                e.getValue().muli((float) m).addi(c.mul((float) (1 - m)));
            }
        }
    }

    private static Map<String, NDArray> vit(NDManager m, int depth, int width) {
        Map<String, NDArray> p = new LinkedHashMap<>();
        p.put("patch_embed.proj.weight", m.randomNormal(new Shape(width, 3, 16, 16)));
        p.put("patch_embed.proj.bias", m.zeros(new Shape(width)));
        for (int b = 0; b < depth; b++) {
            String k = "blocks." + b + ".";
            p.put(k + "norm1.weight", m.ones(new Shape(width)));
            p.put(k + "norm1.bias", m.zeros(new Shape(width)));
            p.put(k + "attn.qkv.weight", m.randomNormal(new Shape(3L * width, width)));
            p.put(k + "attn.qkv.bias", m.zeros(new Shape(3L * width)));
            p.put(k + "attn.proj.weight", m.randomNormal(new Shape(width, width)));
            p.put(k + "attn.proj.bias", m.zeros(new Shape(width)));
            p.put(k + "norm2.weight", m.ones(new Shape(width)));
            p.put(k + "norm2.bias", m.zeros(new Shape(width)));
            p.put(k + "mlp.fc1.weight", m.randomNormal(new Shape(4L * width, width)));
            p.put(k + "mlp.fc1.bias", m.zeros(new Shape(4L * width)));
            p.put(k + "mlp.fc2.weight", m.randomNormal(new Shape(width, 4L * width)));
            p.put(k + "mlp.fc2.bias", m.zeros(new Shape(width)));
        }
        p.put("norm.weight", m.ones(new Shape(width)));
        p.put("norm.bias", m.zeros(new Shape(width)));
        return p;
    }

    private static Map<String, NDArray> small(NDManager m, int n) {
        Map<String, NDArray> p = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            p.put("p" + i, m.randomNormal(new Shape(64)));
        }
        return p;
    }
}
