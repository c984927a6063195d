package org.jepa4j.examples.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.transformer.TransformerEncoderBlock;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jepa4j.core.model.Block;
import org.jepa4j.core.model.Rope3D;
import org.jepa4j.core.model.TokenGrid;

/**
 * Times a stack of transformer blocks, forward + backward, built three ways and run interleaved in one JVM: DJL's
 * stock {@link TransformerEncoderBlock} (same width, heads, MLP width and GELU; no dropout), jepa4j's blocks
 * without positions, and jepa4j's blocks with 3D RoPE. Each step is compared with a 2048^3 fp32 matmul timed right
 * before and right after it, as in {@link EncoderBenchmark}.
 *
 * <p>This is the reference point for {@link EncoderBenchmark}'s ratio: what plain blocks of the same shape reach on
 * the same machine in the same minute, with DJL's own building blocks and with ours.
 *
 * <p>Run: {@code java -cp ... org.jepa4j.examples.bench.BlockStackBenchmark [batch] [tokens] [heads] [depth] [steps]}.
 */
public final class BlockStackBenchmark {

    /**
     * Figures of one variant.
     *
     * @param name the variant
     * @param secondsPerStep median wall time of a forward + backward step
     * @param gflops achieved GFLOP/s at the median time
     * @param ratio median over steps of (step GFLOP/s / mean GFLOP/s of the matmuls around it)
     */
    public record Variant(String name, double secondsPerStep, double gflops, double ratio) {}

    /**
     * Figures of one run.
     *
     * @param description shapes and threads
     * @param gflopPerStep analytic matmul GFLOP of one forward + backward step
     * @param variants stock DJL first, then jepa4j without and with RoPE
     */
    public record Result(String description, double gflopPerStep, List<Variant> variants) {

        @Override
        public String toString() {
            StringBuilder s = new StringBuilder(String.format("%s, %.1f GFLOP/step", description, gflopPerStep));
            double stock = variants.get(0).secondsPerStep();
            for (Variant v : variants) {
                s.append(String.format("%n  %-22s %.3f s/step, %.1f GFLOP/s, ratio to matmul %.2f, speed vs stock %.2fx",
                        v.name(), v.secondsPerStep(), v.gflops(), v.ratio(), stock / v.secondsPerStep()));
            }
            return s.toString();
        }
    }

    private static final String[] NAMES = {"DJL TransformerEncoder", "jepa4j Block", "jepa4j Block + RoPE"};

    private BlockStackBenchmark() {}

    /**
     * Runs the benchmark.
     *
     * @param batch sequences per step
     * @param tokens tokens per sequence
     * @param heads attention heads (width 384, so head width {@code 384 / heads})
     * @param depth blocks in the stack
     * @param steps timed steps per variant (after one warm-up step each)
     * @return the figures
     */
    public static Result run(int batch, int tokens, int heads, int depth, int steps) {
        int width = 384;
        int hidden = 4 * width;
        double gflop = 3.0 * batch * depth * EncoderBenchmark.blockFlops(tokens, width, hidden) / 1e9;
        try (NDManager manager = NDManager.newBaseManager()) {
            SequentialBlock stock = new SequentialBlock();
            for (int i = 0; i < depth; i++) {
                stock.add(new TransformerEncoderBlock(width, heads, hidden, 0f, Activation::gelu));
            }
            stock.setInitializer(new NormalInitializer(0.02f), Parameter.Type.WEIGHT);
            stock.initialize(manager, DataType.FLOAT32, new Shape(batch, tokens, width));
            ParameterStore store = new ParameterStore(manager, false);
            Random random = new Random(1);
            List<Block> ours = new ArrayList<>();
            Map<String, NDArray> parameters = new HashMap<>();
            for (int i = 0; i < depth; i++) {
                Block block = new Block(manager, random, width, heads, hidden, true, 1e-6f);
                block.collectParameters("blocks." + i + ".", parameters);
                ours.add(block);
            }
            parameters.values().forEach(p -> p.setRequiresGradient(true));
            Rope3D rope = Rope3D.forGrid(manager, new TokenGrid(1, 1, tokens), width / heads, DataType.FLOAT32);
            NDArray input = manager.randomNormal(new Shape(batch, tokens, width));
            double[][] times = new double[NAMES.length][steps];
            double[][] ratios = new double[NAMES.length][steps];
            double[] mmAfter = EncoderBenchmark.matmulGflops(manager, 2);
            for (int i = -1; i < steps; i++) {
                for (int v = 0; v < NAMES.length; v++) {
                    double[] mmBefore = mmAfter;
                    double seconds;
                    try (NDManager step = manager.newSubManager()) {
                        NDArray x = input.duplicate(); // [B, N, D]
                        x.attach(step);
                        long t0 = System.nanoTime();
                        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                            NDArray y = x; // [B, N, D]
                            if (v == 0) {
                                y = stock.forward(store, new NDList(x), true).singletonOrThrow();
                            } else {
                                for (Block block : ours) {
                                    y = block.forward(y, v == 2 ? rope : null);
                                }
                            }
                            gc.backward(y.mean());
                        }
                        seconds = (System.nanoTime() - t0) / 1e9;
                    }
                    mmAfter = EncoderBenchmark.matmulGflops(manager, 2);
                    if (i >= 0) {
                        times[v][i] = seconds;
                        ratios[v][i] = gflop / seconds / ((mmBefore[0] + mmAfter[0]) / 2);
                    }
                }
            }
            List<Variant> variants = new ArrayList<>();
            for (int v = 0; v < NAMES.length; v++) {
                double t = EncoderBenchmark.median(times[v]);
                variants.add(new Variant(NAMES[v], t, gflop / t, EncoderBenchmark.median(ratios[v])));
            }
            String what = String.format("%d blocks x (width %d, %d heads, MLP %d), batch %d x %d tokens, %s", depth,
                    width, heads, hidden, batch, tokens, EncoderBenchmark.threads());
            return new Result(what, gflop, variants);
        }
    }

    /**
     * Prints the figures.
     *
     * @param args optional: batch (8), tokens (196), heads (12), depth (12), steps (5)
     */
    public static void main(String[] args) {
        int batch = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        int tokens = args.length > 1 ? Integer.parseInt(args[1]) : 196;
        int heads = args.length > 2 ? Integer.parseInt(args[2]) : 12;
        int depth = args.length > 3 ? Integer.parseInt(args[3]) : 12;
        int steps = args.length > 4 ? Integer.parseInt(args[4]) : 5;
        System.out.println(run(batch, tokens, heads, depth, steps));
    }
}
