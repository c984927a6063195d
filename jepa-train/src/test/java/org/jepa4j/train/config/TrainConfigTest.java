package org.jepa4j.train.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainConfigTest {

    @Test
    void vitl16PresetMatchesTheReferenceRecipe() {
        TrainConfig c = TrainConfig.preset("vjepa_vitl16");
        assertEquals(1024, c.model().embedDim());
        assertEquals(24, c.model().depth());
        assertEquals(16, c.model().numHeads());
        assertEquals(16, c.model().predNumHeads());
        assertEquals(2, c.model().numMaskTokens(), "one mask token per mask set");
        assertEquals(6.25e-4, c.optimization().lr());
        assertEquals(2e-4, c.optimization().startLr());
        assertEquals(1e-6, c.optimization().finalLr());
        assertEquals(List.of(0.998, 1.0), c.optimization().ema());
        assertEquals(10.0, c.optimization().clipGrad());
        assertEquals(112500, c.optimization().scheduleSteps(300));
        assertEquals(12000, c.optimization().warmupSteps(300));
        assertEquals(2, c.mask().sets().size());
        assertEquals(8, c.mask().sets().get(0).numBlocks());
        assertEquals(List.of(0.7, 0.7), c.mask().sets().get(1).spatialScale());
        assertEquals(1568, c.data().numTokens());
        assertEquals(Precision.AUTO, c.meta().precision());
    }

    @Test
    void vjepa2PresetMatchesTheReferenceRecipe() {
        TrainConfig c = TrainConfig.preset("vjepa2_vitl16");
        assertEquals("vjepa2", c.model().variant().yamlName());
        assertEquals(org.jepa4j.core.model.PositionKind.ROPE_3D,
                org.jepa4j.train.step.JepaModel.encoderConfig(c).positionKind());
        assertEquals(1024, c.model().embedDim());
        assertEquals(12, c.model().predDepth());
        assertEquals(384, c.model().predEmbedDim());
        assertEquals(12, c.model().predNumHeads());
        assertEquals(10, c.model().numMaskTokens());
        assertTrue(c.model().zeroInitMaskTokens());
        assertEquals(16, c.data().numFrames());
        assertEquals(256, c.data().cropSize());
        assertEquals(4.0, c.data().fps(), "16 frames at 4 fps");
        org.jepa4j.video.decode.ClipSampling sampling = org.jepa4j.train.TrainingData.sampling(c);
        assertEquals(7, sampling.stepFor(29.97), "ceil(29.97) / 4 = 7, as the reference");
        assertEquals(6, sampling.stepFor(25), "25 / 4 = 6");
        assertNull(TrainConfig.preset("vjepa_vitl16").data().fps(), "V-JEPA 1 samples every 4th frame");
        assertEquals(4, org.jepa4j.train.TrainingData.sampling(TrainConfig.preset("vjepa_vitl16")).stepFor(30));
        assertEquals(1e-4, c.optimization().startLr());
        assertEquals(5.25e-4, c.optimization().lr());
        assertEquals("constant", c.optimization().lrSchedule());
        assertEquals(12000, c.optimization().warmupSteps(c.optimization().ipe()), "12k warmup steps");
        assertEquals(0.04, c.optimization().weightDecay());
        assertEquals(0.04, c.optimization().finalWeightDecay());
        assertEquals(List.of(0.99925, 0.99925), c.optimization().ema());
        assertNull(c.optimization().clipGrad(), "V-JEPA 2 does not clip");
        assertEquals(2, c.mask().sets().size());
        assertNull(c.meta().initFrom());
    }

    @Test
    void initFromIsPartOfTheConfig(@TempDir Path dir) throws Exception {
        TrainConfig c = TrainConfig.preset("vjepa_tiny", List.of("meta.init_from=runs/earlier"));
        assertEquals("runs/earlier", c.meta().initFrom());
        Path file = dir.resolve("c.yaml");
        c.write(file);
        assertEquals(c, TrainConfig.load(file));
        assertNull(TrainConfig.preset("vjepa_tiny").withMeta(c.meta().withInitFrom(null)).meta().initFrom());
        assertThrows(ConfigException.class, () -> TrainConfig.preset("vjepa_tiny", List.of("meta.init_from=' '")));
    }

    @Test
    void ijepaPresetMatchesTheReferenceRecipe() {
        TrainConfig c = TrainConfig.preset("ijepa_vith14");
        assertEquals("ijepa", c.model().variant().yamlName());
        assertEquals(1280, c.model().embedDim());
        assertEquals(32, c.model().depth());
        assertEquals(14, c.data().patchSize());
        assertEquals(256, c.data().numTokens());
        assertEquals("multiblock2d", c.mask().type());
        assertEquals(4, c.mask().sets().get(0).numBlocks());
        assertEquals(List.of(0.85, 1.0), c.mask().contextScale());
        assertEquals(1e-3, c.optimization().lr());
        assertEquals(List.of(0.996, 1.0), c.optimization().ema());
        assertNull(c.optimization().clipGrad(), "I-JEPA does not clip");
        assertEquals("smooth_l1", c.loss().type().yamlName());
    }

    @Test
    void tinyPresetIsSmall() {
        TrainConfig c = TrainConfig.preset("vjepa_tiny");
        assertEquals("custom", c.model().modelName());
        assertTrue(c.model().embedDim() <= 192 && c.model().depth() <= 4);
        assertTrue(c.data().numFrames() <= 8 && c.data().cropSize() <= 64);
        assertEquals(256, c.data().numTokens());
    }

    @Test
    void everyPresetRoundTripsThroughYaml(@TempDir Path dir) throws Exception {
        for (String name : TrainConfig.PRESETS) {
            TrainConfig c = TrainConfig.preset(name);
            Path file = dir.resolve(name + ".yaml");
            c.write(file);
            TrainConfig back = TrainConfig.load(file);
            assertEquals(c, back, name);
            assertEquals(c.toYaml(), back.toYaml(), name);
            assertFalse(c.toYaml().matches("(?s).*[&*]id\\d+.*"), name + ": resolved YAML must not use anchors/aliases");
        }
        assertEquals(TrainConfig.defaults(), TrainConfig.fromYaml(TrainConfig.defaults().toYaml(), "x"));
    }

    @Test
    void emptyYamlGivesDefaults() {
        TrainConfig c = TrainConfig.fromYaml("", "empty");
        assertEquals(DataConfig.defaults(), c.data());
        assertEquals(OptimizationConfig.defaults(), c.optimization());
        assertEquals(MaskConfig.defaults(), c.mask());
    }

    @Test
    void badValueNamesKeyPathAndValue() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> TrainConfig.fromYaml("optimization:\n  lr: -1\n", "my.yaml"));
        assertEquals("my.yaml: optimization.lr: must be > 0, got -1", e.getMessage());
        assertEquals("optimization.lr", e.keyPath());
    }

    @Test
    void unknownKeyNamesPathAndClosestKey() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> TrainConfig.fromYaml("optimization:\n  final_lrr: 0.1\n", "f.yaml"));
        assertTrue(e.getMessage().startsWith("f.yaml: optimization.final_lrr: unknown key (did you mean "
                + "'optimization.final_lr'?)"), e.getMessage());
        ConfigException s = assertThrows(ConfigException.class,
                () -> TrainConfig.fromYaml("optimisation:\n  lr: 0.1\n", "f.yaml"));
        assertTrue(s.getMessage().contains("optimisation: unknown section (did you mean 'optimization'?)"),
                s.getMessage());
    }

    @Test
    void errorsInsideMaskListsNameTheIndex() {
        String yaml = "mask:\n  - num_blocks: 8\n  - num_blocks: 0\n";
        ConfigException e = assertThrows(ConfigException.class, () -> TrainConfig.fromYaml(yaml, "m"));
        assertEquals("mask[1].num_blocks", e.keyPath());
        String yaml2 = "mask:\n  type: multiblock3d\n  sets:\n    - spatial_scale: [0.5, 0.2]\n";
        ConfigException e2 = assertThrows(ConfigException.class, () -> TrainConfig.fromYaml(yaml2, "m"));
        assertEquals("mask.sets[0].spatial_scale", e2.keyPath());
        assertTrue(e2.getMessage().contains("min must be <= max"), e2.getMessage());
    }

    @Test
    void typeErrorsAreReported() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> TrainConfig.fromYaml("data:\n  batch_size: eight\n", "t"));
        assertEquals("t: data.batch_size: must be an integer, got 'eight'", e.getMessage());
        ConfigException b = assertThrows(ConfigException.class,
                () -> TrainConfig.fromYaml("meta:\n  precision: bf16\n", "t"));
        assertTrue(b.getMessage().contains("meta.precision: must be one of [auto, fp32, fp16-mixed, tf32], got 'bf16'"));
    }

    @Test
    void precisionDefaultsToAutoAndFp16TargetNeedsMixedPrecision() {
        TrainConfig d = TrainConfig.fromYaml("meta:\n  seed: 1\n", "t");
        assertEquals(Precision.AUTO, d.meta().precision());
        assertFalse(d.meta().fp16Target());
        TrainConfig ok = TrainConfig.fromYaml("meta:\n  precision: fp16-mixed\n  fp16_target: true\n", "t");
        assertTrue(ok.meta().fp16Target());
        assertEquals(ok, TrainConfig.fromYaml(ok.toYaml(), "round trip"));
        ConfigException e = assertThrows(ConfigException.class,
                () -> TrainConfig.fromYaml("meta:\n  precision: fp32\n  fp16_target: true\n", "t"));
        assertEquals("meta.fp16_target", e.keyPath());
        assertTrue(e.getMessage().contains("needs precision fp16-mixed or auto"), e.getMessage());
        for (Precision p : Precision.values()) {
            assertTrue(p.isImplemented(), p.yamlName());
            assertEquals(p, Precision.fromYamlName(p.yamlName()));
        }
        assertEquals(Precision.FP32, TrainConfig.preset("vjepa_tiny").meta().precision(), "CPU preset stays fp32");
    }

    @Test
    void customModelNeedsExplicitSizeAndUnknownNamesGetSuggestions() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> TrainConfig.fromYaml("model:\n  model_name: custom\n  embed_dim: 64\n", "t"));
        assertEquals("model.depth", e.keyPath());
        ConfigException n = assertThrows(ConfigException.class,
                () -> TrainConfig.fromYaml("model:\n  model_name: vit_larg\n", "t"));
        assertTrue(n.getMessage().contains("did you mean 'vit_large'"), n.getMessage());
        ConfigException h = assertThrows(ConfigException.class,
                () -> TrainConfig.fromYaml("model:\n  model_name: vit_base\n  num_heads: 5\n", "t"));
        assertEquals("model.embed_dim", h.keyPath());
    }

    @Test
    void crossSectionChecks() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> TrainConfig.fromYaml("model:\n  variant: ijepa\n", "t"));
        assertEquals("mask.type", e.keyPath());
        ConfigException f = assertThrows(ConfigException.class,
                () -> TrainConfig.fromYaml("data:\n  num_frames: 15\n", "t"));
        assertEquals("data.num_frames", f.keyPath());
    }

    @Test
    void overridesApplyBeforeValidation() {
        TrainConfig c = TrainConfig.preset("vjepa_tiny",
                List.of("optimization.lr=3e-3", "optimization.ema=[0.9, 1.0]", "mask[0].num_blocks=4",
                        "optimization.clip_grad=null", "model.depth=4"));
        assertEquals(3e-3, c.optimization().lr());
        assertEquals(List.of(0.9, 1.0), c.optimization().ema());
        assertEquals(4, c.mask().sets().get(0).numBlocks());
        assertNull(c.optimization().clipGrad());
        assertEquals(4, c.model().depth());
        ConfigException e = assertThrows(ConfigException.class,
                () -> TrainConfig.preset("vjepa_tiny", List.of("optimization.warmup=-2")));
        assertTrue(e.getMessage().contains("optimization.warmup: must be >= 0, got -2"), e.getMessage());
    }

    @Test
    void writtenYamlIsReadable(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("c.yaml");
        TrainConfig.preset("vjepa_vitl16").write(f);
        String text = Files.readString(f);
        assertTrue(text.contains("optimization:"));
        assertTrue(text.contains("lr: 6.25E-4") || text.contains("lr: 0.000625"), text);
    }

    @Test
    void evalSectionCarriesThePhysicsContextAndIsChecked() {
        assertEquals(List.of(), TrainConfig.defaults().eval().physicsContext());
        assertEquals(List.of(10), TrainConfig.preset("physics_long").eval().physicsContext());
        assertEquals(List.of(2), TrainConfig.preset("physics_tiny").eval().physicsContext());
        TrainConfig c = TrainConfig.preset("physics_long", List.of("eval.physics_context=[8, 12]"));
        assertEquals(List.of(8, 12), c.eval().physicsContext());
        assertEquals(c, TrainConfig.fromYaml(c.toYaml(), "round trip"));
        ConfigException tooLong = assertThrows(ConfigException.class,
                () -> TrainConfig.preset("physics_long", List.of("eval.physics_context=[10, 16]")));
        assertEquals("eval.physics_context[1]", tooLong.keyPath());
        assertTrue(tooLong.getMessage().contains("must be below data.num_frames (16) and a multiple of "
                + "data.tubelet_size (2), got 16"), tooLong.getMessage());
        ConfigException odd = assertThrows(ConfigException.class,
                () -> TrainConfig.preset("physics_long", List.of("eval.physics_context=[3]")));
        assertEquals("eval.physics_context[0]", odd.keyPath());
        ConfigException half = assertThrows(ConfigException.class,
                () -> TrainConfig.fromYaml("eval:\n  physics_context: [2.5]\n", "t"));
        assertEquals("eval.physics_context[0]", half.keyPath());
        ConfigException key = assertThrows(ConfigException.class,
                () -> TrainConfig.fromYaml("eval:\n  physics_contexts: [2]\n", "t"));
        assertTrue(key.getMessage().contains("did you mean 'eval.physics_context'"), key.getMessage());
    }

    @Test
    void aFileBuildsOnAPresetWithBase() {
        TrainConfig longRun = TrainConfig.preset("physics_long");
        assertEquals(TrainConfig.preset("physics_tiny", List.of("data.num_frames=16", "model.pred_depth=6",
                "model.pred_embed_dim=192", "model.pred_num_heads=6", "logging.folder=runs/physics_long",
                "eval.physics_context=[10]", "optimization.ipe=3000")), longRun);
        String mine = "base: vjepa_tiny\noptimization:\n  lr: 0.002\nmask:\n  - num_blocks: 2\n";
        TrainConfig c = TrainConfig.fromYaml(mine, "mine.yaml", List.of("model.depth=2"));
        TrainConfig tiny = TrainConfig.preset("vjepa_tiny");
        assertEquals(0.002, c.optimization().lr());
        assertEquals(tiny.optimization().warmup(), c.optimization().warmup()); // merged key by key
        assertEquals(tiny.data(), c.data());
        assertEquals(1, c.mask().sets().size()); // a list replaces the preset's
        assertEquals(2, c.model().depth()); // overrides apply after the base
        assertFalse(c.toYaml().contains("base"), "the resolved file spells every value out");
        ConfigException e = assertThrows(ConfigException.class,
                () -> TrainConfig.fromYaml("base: physics_tinyy\n", "mine.yaml"));
        assertEquals("base", e.keyPath());
        assertTrue(e.getMessage().startsWith("mine.yaml: base: must name a built-in preset, got 'physics_tinyy' "
                + "(did you mean 'physics_tiny'?)"), e.getMessage());
    }
}
