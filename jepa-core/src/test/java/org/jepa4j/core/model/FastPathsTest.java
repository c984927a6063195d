package org.jepa4j.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

/** The fused attention kernel and the cached RoPE tables compute what the plain formulas compute. */
class FastPathsTest {

    @Test
    void fusedAttentionMatchesMatmulSoftmaxMatmulWithGradients() {
        assertTrue(ScaledDotProductAttention.isFused(), "fused scaled_dot_product_attention did not load");
        try (NDManager m = NDManager.newBaseManager()) {
            m.getEngine().setRandomSeed(5);
            // q, k, v as strided views of one [B, N, 3, H, hd] tensor, as Attention passes them
            NDArray qkv = m.randomNormal(new Shape(2, 7, 3, 3, 8));
            qkv.setRequiresGradient(true);
            NDArray g = m.randomNormal(new Shape(2, 3, 7, 8));
            float[][] out = new float[2][];
            float[][] grad = new float[2][];
            for (int variant = 0; variant < 2; variant++) {
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDList parts = qkv.transpose(2, 0, 3, 1, 4).split(3, 0); // [1, B, H, N, hd] each
                    NDArray q = parts.get(0).reshape(2, 3, 7, 8);
                    NDArray k = parts.get(1).reshape(2, 3, 7, 8);
                    NDArray v = parts.get(2).reshape(2, 3, 7, 8);
                    NDArray y = variant == 0 ? ScaledDotProductAttention.apply(q, k, v)
                            : q.mul((float) (1 / Math.sqrt(8))).matMul(k.transpose(0, 1, 3, 2)).softmax(3).matMul(v);
                    out[variant] = y.toFloatArray();
                    gc.backward(y.mul(g).sum());
                }
                grad[variant] = qkv.getGradient().toFloatArray();
                qkv.getGradient().subi(qkv.getGradient()); // gradients accumulate: reset
            }
            assertArrayEquals(out[1], out[0], 1e-5f);
            assertArrayEquals(grad[1], grad[0], 1e-5f);
        }
    }

    @Test
    void selectedRopeTablesEqualTablesComputedFromIds() {
        TokenGrid grid = new TokenGrid(2, 3, 4);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray ids = m.create(new long[] {23, 0, 5, 17, 12, 1}, new Shape(2, 3));
            try (Rope3D all = Rope3D.forGrid(m, grid, 12, ai.djl.ndarray.types.DataType.FLOAT32);
                    Rope3D direct = Rope3D.forIds(ids, grid, 12)) {
                Rope3D selected = all.select(ids);
                NDArray x = m.randomNormal(new Shape(2, 2, 3, 12)); // [B, heads, K, hd]
                assertEquals(direct.cos().getShape(), selected.cos().getShape());
                assertArrayEquals(direct.rotate(x).toFloatArray(), selected.rotate(x).toFloatArray(), 1e-6f);
                selected.close();
                assertArrayEquals(direct.rotate(x).toFloatArray(), all.select(ids).rotate(x).toFloatArray(), 1e-6f);
            }
        }
    }

    @Test
    void ropeTablesFirstBuiltInsideAScopeOutliveIt() {
        VitConfig cfg = VitConfig.builder().setWidth(24).setDepth(1).setNumHeads(2).optFrames(4).optImageSize(32)
                .optPatchSize(16).optPositionKind(PositionKind.ROPE_3D).build();
        try (NDManager model = NDManager.newBaseManager()) {
            VisionTransformer encoder = new VisionTransformer(cfg, model, 1);
            float[] first;
            try (NDManager step = model.newSubManager()) {
                NDArray video = step.randomNormal(new Shape(1, 3, 4, 48, 48)); // another grid than configured
                try (NDScope scope = new NDScope()) {
                    first = encoder.forward(video).toFloatArray();
                }
                // the cache built inside the closed scope must still be usable
                assertArrayEquals(first, encoder.forward(video).toFloatArray(), 1e-6f);
            }
        }
    }
}
