package org.jepa4j.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Presets give the reference sizes; invalid combinations fail with messages naming the values. */
class VitConfigTest {

    private static void assertSize(VitConfig c, int width, int depth, int heads, int mlpHidden) {
        assertEquals(width, c.width());
        assertEquals(depth, c.depth());
        assertEquals(heads, c.numHeads());
        assertEquals(mlpHidden, c.mlpHidden());
    }

    @Test
    void presetsHaveReferenceSizes() {
        assertSize(VitConfig.tiny().build(), 192, 12, 3, 768);
        assertSize(VitConfig.small().build(), 384, 12, 6, 1536);
        assertSize(VitConfig.base().build(), 768, 12, 12, 3072);
        assertSize(VitConfig.large().build(), 1024, 24, 16, 4096);
        assertSize(VitConfig.huge().build(), 1280, 32, 16, 5120);
        assertSize(VitConfig.giant().build(), 1408, 40, 16, 6144);
        assertEquals(64, VitConfig.giant().setNumHeads(22).build().headDim());
    }

    @Test
    void defaultsAreVideoSixteenFramesAt224() {
        VitConfig c = VitConfig.small().build();
        assertEquals(new TokenGrid(8, 14, 14), c.grid());
        assertEquals(1568, c.numTokens());
        assertEquals(PositionKind.SINCOS_3D, c.positionKind());
        assertEquals(1e-6f, c.layerNormEps());
        VitConfig image = VitConfig.small().optFrames(1).build();
        assertEquals(PositionKind.SINCOS_2D, image.positionKind());
        assertEquals(196, image.numTokens());
    }

    @Test
    void smallImageParameterCountMatchesTheArchitecture() {
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
            VitConfig c = VitConfig.small().optFrames(1).build();
            long count = new VisionTransformer(c, m, 1).parameters().values().stream()
                    .mapToLong(a -> a.getShape().size()).sum();
            long d = 384;
            long perBlock = 4 * d // two LayerNorms
                    + 3 * d * d + 3 * d + d * d + d // qkv + proj
                    + 2 * 4 * d * d + 4 * d + d; // fc1 + fc2
            assertEquals(3 * 16 * 16 * d + d + 12 * perBlock + 2 * d, count); // 21.59 M
        }
    }

    @Test
    void invalidCombinationsAreRejected() {
        assertMessage(() -> VitConfig.small().setNumHeads(5).build(), "not divisible by numHeads");
        assertMessage(() -> VitConfig.small().optImageSize(100).build(), "not divisible by patchSize");
        assertMessage(() -> VitConfig.small().optFrames(15).build(), "not divisible by tubeletSize");
        assertMessage(() -> VitConfig.small().optFrames(1).optPositionKind(PositionKind.SINCOS_3D).build(),
                "SINCOS_3D");
        assertMessage(() -> VitConfig.builder().setWidth(20).setNumHeads(5).optPositionKind(PositionKind.ROPE_3D)
                .build(), "ROPE_3D");
        assertMessage(() -> VitConfig.small().setDepth(0).build(), "depth");
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable e, String part) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        assertTrue(ex.getMessage().contains(part), ex.getMessage());
    }
}
