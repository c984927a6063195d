package org.jepa4j.video.synthetic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ViolationPairsTest {

    @TempDir
    Path dir;

    @Test
    void everyTypeGivesPairsIdenticalUntilTheViolation() {
        ViolationPairs.Spec spec = ViolationPairs.Spec.standard(1, 3);
        Random rng = new Random(11);
        for (Violation type : Violation.all()) {
            for (int i = 0; i < 3; i++) {
                ViolationPairs.Pair pair = ViolationPairs.make(type, spec, rng);
                int d = pair.firstDifference();
                assertTrue(d >= 48 / 2 && d <= 48 - 16 + 4, type + ": first difference " + d);
                assertTrue(d >= pair.violationTime(), type + ": differs before the violation");
                for (int t = 0; t < d; t++) {
                    assertArrayEquals(pair.possible().get(t), pair.impossible().get(t), type + " frame " + t);
                }
                assertFalse(Arrays.equals(pair.possible().get(d), pair.impossible().get(d)));
                assertEquals(48, pair.possible().size());
                assertEquals(48, pair.impossible().size());
            }
        }
    }

    @Test
    void sameSeedSamePairs() {
        ViolationPairs.Spec spec = ViolationPairs.Spec.standard(1, 3);
        ViolationPairs.Pair a = ViolationPairs.make(Violation.TELEPORT, spec, new Random(5));
        ViolationPairs.Pair b = ViolationPairs.make(Violation.TELEPORT, spec, new Random(5));
        assertEquals(a.firstDifference(), b.firstDifference());
        assertArrayEquals(a.impossible().get(47), b.impossible().get(47));
    }

    @Test
    void vanishedDiscIsGoneAndOccludedVanishShowsOnlyLater() {
        ViolationPairs.Spec spec = ViolationPairs.Spec.standard(1, 3);
        ViolationPairs.Pair vanish = ViolationPairs.make(Violation.VANISH, spec, new Random(2));
        assertEquals(vanish.violationTime(), vanish.firstDifference()); // visible: differs at once
        ViolationPairs.Pair hidden = ViolationPairs.make(Violation.VANISH_OCCLUDED, spec, new Random(2));
        assertTrue(hidden.firstDifference() > hidden.violationTime()); // hidden: differs when it should come out
    }

    @Test
    void permanenceQuadrupletsAreIdenticalWhereTheDesignSays() {
        ViolationPairs.Spec spec = ViolationPairs.Spec.standard(1, 3);
        Random rng = new Random(17);
        for (Violation type : List.of(Violation.VANISH, Violation.VANISH_OCCLUDED)) {
            for (int i = 0; i < 3; i++) {
                ViolationPairs.Group g = ViolationPairs.makeGroup(type, spec, rng);
                assertEquals(2, g.pairs().size(), type.toString());
                List<byte[]> a = g.pairs().get(0).possible();
                List<byte[]> c = g.pairs().get(0).impossible();
                List<byte[]> b = g.pairs().get(1).possible();
                List<byte[]> d = g.pairs().get(1).impossible();
                int tv = g.pairs().get(0).violationTime();
                assertEquals(tv, g.pairs().get(1).violationTime());
                assertEquals(g.pairs().get(0).firstDifference(), g.pairs().get(1).firstDifference(), type.toString());
                assertFalse(Arrays.equals(a.get(0), b.get(0)), type + ": B shows the subject at the start");
                for (int t = 0; t < 48; t++) {
                    String at = type + " scene " + i + " frame " + t;
                    assertArrayEquals(t < tv ? a.get(t) : b.get(t), c.get(t), "C " + at);
                    assertArrayEquals(t < tv ? b.get(t) : a.get(t), d.get(t), "D " + at);
                }
            }
        }
        ViolationPairs.Spec s = ViolationPairs.Spec.standard(1, 3);
        for (Violation type : List.of(Violation.TELEPORT, Violation.WALL, Violation.COLOR_OCCLUDED)) {
            assertEquals(1, ViolationPairs.makeGroup(type, s, new Random(4)).pairs().size(), type.toString());
        }
        // the quadruplet's pair (A, C) is the pair make() draws from the same rng state
        ViolationPairs.Pair ac = ViolationPairs.makeGroup(Violation.VANISH, s, new Random(8)).pairs().get(0);
        ViolationPairs.Pair made = ViolationPairs.make(Violation.VANISH, s, new Random(8));
        assertEquals(made.firstDifference(), ac.firstDifference());
        assertArrayEquals(made.impossible().get(47), ac.impossible().get(47));
    }

    @Test
    void writesVideosAndAPairsFile() throws IOException {
        ViolationPairs.Spec spec = new ViolationPairs.Spec(1, 24, 12, 8, SceneLook.other(32),
                List.of(Violation.VANISH, Violation.WALL), 4);
        Path csv = ViolationPairs.write(dir, spec, (i, n) -> { });
        List<String> lines = Files.readAllLines(csv);
        assertEquals("possible,impossible,type,violation_frame,group", lines.get(0));
        assertEquals(4, lines.size()); // vanish: quadruplet (two pairs), wall: one pair
        assertTrue(lines.get(1).startsWith("vanish/0000_possible.mp4,vanish/0000_impossible.mp4,vanish,"));
        assertTrue(lines.get(1).endsWith(",vanish/0000"), lines.get(1));
        assertTrue(lines.get(2).startsWith(
                "vanish/0000_absent_possible.mp4,vanish/0000_appears_impossible.mp4,vanish,"), lines.get(2));
        assertTrue(lines.get(2).endsWith(",vanish/0000"), lines.get(2));
        assertTrue(lines.get(3).startsWith("wall/0000_possible.mp4,wall/0000_impossible.mp4,wall,"));
        assertTrue(lines.get(3).endsWith(","), lines.get(3)); // no group: its own group
        assertTrue(Files.size(dir.resolve("vanish/0000_appears_impossible.mp4")) > 0);
        assertTrue(Files.size(dir.resolve("wall/0000_impossible.mp4")) > 0);
        List<Path> training = PossibleVideos.write(dir.resolve("train"), 2, 10, 16, SceneLook.standard(32), 1,
                (i, n) -> { });
        assertEquals(2, training.size());
        assertTrue(Files.size(training.get(1)) > 0);
    }

    @Test
    void badSettingsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new ViolationPairs.Spec(1, 24, 16, 12,
                SceneLook.standard(64), Violation.all(), 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Violation.parse("float"));
        assertTrue(e.getMessage().contains("antigravity"), e.getMessage());
        assertEquals(Violation.COLOR_OCCLUDED, Violation.parse("color_occluded"));
    }
}
