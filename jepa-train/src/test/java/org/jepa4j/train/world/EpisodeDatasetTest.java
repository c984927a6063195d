package org.jepa4j.train.world;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jepa4j.video.synthetic.DiscWorld;
import org.jepa4j.video.synthetic.SyntheticVideos;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The episode folder format: what it accepts, and one clear error naming the episode for what it does not. */
class EpisodeDatasetTest {

    private static Path disc(Path dir, int episodes, int frames) throws Exception {
        DiscWorld.write(dir, new DiscWorld.Spec(episodes, frames, 32, 5, 4, 7));
        return dir;
    }

    @Test
    void readsImageEpisodesWithPerFrameActionsAndAnIndex(@TempDir Path dir) throws Exception {
        disc(dir, 3, 6);
        // one row per frame: the last is ignored
        Path a = dir.resolve("ep_000001/actions.csv");
        Files.writeString(a, Files.readString(a) + "0.5,0.5\n");
        Files.writeString(dir.resolve("episodes.txt"), "# two of three\nep_000002\nep_000001\n");
        EpisodeDataset d = EpisodeDataset.open(dir, 4, 1, 2);
        assertEquals(List.of("ep_000002", "ep_000001"), d.episodes().stream().map(Episode::name).toList());
        assertEquals(2, d.actionDim());
        assertEquals(5, d.episodes().get(1).actions().length);
        assertEquals(10.0, d.episodes().get(0).fps());
        assertEquals("disc", d.episodes().get(0).extra().get("world"));
        assertEquals(2 * 3, d.clipCount()); // 6 frames, clips of 4: starts 0..2
        assertEquals("ep_000001", d.clip(3).episode().name()); // clip 3 is the first of the second episode
        assertEquals(0, d.clip(3).start());
    }

    @Test
    void clipsSumActionsOverTheFrameStepAndTakeStatesAtSampledFrames(@TempDir Path dir) throws Exception {
        disc(dir, 1, 9);
        EpisodeDataset d = EpisodeDataset.open(dir, 3, 2, 0);
        Episode e = d.episodes().get(0);
        try (FrameReader r = new FrameReader(32); ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager
                .newBaseManager()) {
            FrameEncoder enc = FrameEncoder.untrained(WorldModelLearningTest.ENCODER.toBuilder().optImageSize(32)
                    .build(), 1, null);
            try (enc) {
                ClipBatches b = new ClipBatches(d, r, enc, null, 1, 0, 8);
                ClipBatches.Batch batch = b.batch(new EpisodeDataset.Clip[] {d.clip(1)}, m);
                float[] actions = batch.actions().toFloatArray(); // [1, 2, 2]
                assertEquals(e.actions()[1][0] + e.actions()[2][0], actions[0], 1e-6);
                assertEquals(e.actions()[3][1] + e.actions()[4][1], actions[3], 1e-6);
                float[] states = batch.states().toFloatArray(); // [1, 3, 2]
                assertArrayEquals(e.states()[5], new float[] {states[4], states[5]}, 0f);
                assertEquals(new ai.djl.ndarray.types.Shape(1, 3 * 4, 64), batch.tokens().getShape());
            }
        }
    }

    @Test
    void readsVideoEpisodes(@TempDir Path dir) throws Exception {
        List<Path> videos = SyntheticVideos.write(dir.resolve("videos"), new SyntheticVideos.Spec(1, 10, 32, 8, 1, 3));
        Path ep = Files.createDirectories(dir.resolve("data/run1"));
        Files.copy(videos.get(0), ep.resolve("frames.mp4"));
        StringBuilder a = new StringBuilder("dx\n");
        StringBuilder s = new StringBuilder("x\n");
        for (int i = 0; i < 10; i++) {
            if (i < 9) {
                a.append(i * 0.1).append('\n');
            }
            s.append(i).append('\n');
        }
        Files.writeString(ep.resolve("actions.csv"), a);
        Files.writeString(ep.resolve("states.csv"), s);
        EpisodeDataset d = EpisodeDataset.open(dir.resolve("data"), 4, 1, 1);
        assertEquals(10, d.episodes().get(0).frames());
        assertNotNull(d.episodes().get(0).video());
        try (FrameReader r = new FrameReader(32)) {
            float[] px = new float[2 * 3 * 32 * 32];
            r.read(d.episodes().get(0), new int[] {0, 9}, px, 0);
            assertTrue(Math.abs(px[0]) < 10 && px[px.length - 1] != 0f);
        }
    }

    @Test
    void shortEpisodesAreSkippedAndReported(@TempDir Path dir) throws Exception {
        disc(dir.resolve("a"), 1, 8);
        disc(dir.resolve("b"), 1, 3);
        Files.move(dir.resolve("a/ep_000000"), dir.resolve("long"));
        Files.move(dir.resolve("b/ep_000000"), dir.resolve("short"));
        EpisodeDataset d = EpisodeDataset.open(dir, 4, 1, 0);
        assertEquals(List.of("long"), d.episodes().stream().map(Episode::name).toList());
        assertEquals("3 frames, a clip needs 4", d.skipped().get("short"));
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> EpisodeDataset.open(dir, 9, 1, 0));
        assertTrue(none.getMessage().contains("no episode is long enough"), none.getMessage());
    }

    @Test
    void badEpisodesGetOneErrorNamingTheEpisode(@TempDir Path dir) throws Exception {
        disc(dir, 2, 6);
        Path ep = dir.resolve("ep_000001");
        EpisodeException dim = assertThrows(EpisodeException.class, () -> EpisodeDataset.open(dir, 4, 1, 7));
        assertTrue(dim.getMessage().contains("ep_000000") && dim.getMessage().contains("2 columns [dx, dy]")
                && dim.getMessage().contains("7-D actions"), dim.getMessage());

        Path actions = ep.resolve("actions.csv");
        String good = Files.readString(actions);
        List<String> lines = Files.readAllLines(actions);
        Files.write(actions, lines.subList(0, 3)); // header + 2 rows for 6 frames
        EpisodeException rows = assertThrows(EpisodeException.class, () -> EpisodeDataset.open(dir, 4, 1, 0));
        assertEquals(ep, rows.episode());
        assertTrue(rows.getMessage().contains("actions.csv has 2 rows but the 6 frames need 5"), rows.getMessage());
        Files.writeString(actions, good);

        Path states = ep.resolve("states.csv");
        List<String> s = new java.util.ArrayList<>(Files.readAllLines(states));
        s.set(3, "0.5,NaN");
        Files.write(states, s);
        EpisodeException nan = assertThrows(EpisodeException.class, () -> EpisodeDataset.open(dir, 4, 1, 0));
        assertTrue(nan.getMessage().contains("ep_000001") && nan.getMessage().contains("states.csv line 4, column 'y'")
                && nan.getMessage().contains("NaN"), nan.getMessage());
        s.set(3, "0.5,0.5");
        Files.write(states, s);

        Files.write(ep.resolve("frames/000002.png"), new byte[] {1, 2, 3});
        EpisodeDataset d = EpisodeDataset.open(dir, 4, 1, 0);
        try (FrameReader r = new FrameReader(32)) {
            EpisodeException frame = assertThrows(EpisodeException.class,
                    () -> r.read(d.episodes().get(1), new int[] {1, 2}, new float[2 * 3 * 32 * 32], 0));
            assertTrue(frame.getMessage().contains("ep_000001") && frame.getMessage().contains("000002.png"),
                    frame.getMessage());
        }
        Files.delete(ep.resolve("states.csv"));
        EpisodeException missing = assertThrows(EpisodeException.class, () -> EpisodeDataset.open(dir, 4, 1, 0));
        assertTrue(missing.getMessage().endsWith("no states.csv"), missing.getMessage());
    }
}
