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
    void writesVideosAndAPairsFile() throws IOException {
        ViolationPairs.Spec spec = new ViolationPairs.Spec(1, 24, 12, 8, SceneLook.other(32),
                List.of(Violation.VANISH, Violation.WALL), 4);
        Path csv = ViolationPairs.write(dir, spec, (i, n) -> { });
        List<String> lines = Files.readAllLines(csv);
        assertEquals("possible,impossible,type,violation_frame", lines.get(0));
        assertEquals(3, lines.size());
        assertTrue(lines.get(1).startsWith("vanish/0000_possible.mp4,vanish/0000_impossible.mp4,vanish,"));
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
