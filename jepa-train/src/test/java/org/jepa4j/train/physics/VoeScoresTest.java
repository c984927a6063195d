package org.jepa4j.train.physics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Grouped (balanced, IntPhys-quadruplet) pairwise scoring against a direct computation. */
class VoeScoresTest {

    private static VideoSurprise video(double... windows) {
        List<WindowSurprise> w = new ArrayList<>();
        for (int i = 0; i < windows.length; i++) {
            w.add(new WindowSurprise(2 * i, new double[] {windows[i]}, windows[i]));
        }
        return new VideoSurprise(w, 4);
    }

    @Test
    void quadrupletIsCorrectWhenTheImpossibleSumIsHigher() {
        // pair (A, C): C (vanish) less surprising than A; pair (B, D): D (appears) much more surprising than B
        double[] possible = {0.5, 0.1};   // A, B
        double[] impossible = {0.3, 0.6}; // C, D
        String[] quad = {"q", "q"};
        assertEquals(1.0, VoeScores.groupedAccuracy(possible, impossible, quad), 0);
        assertEquals(0.5, VoeScores.pairwiseAccuracy(possible, impossible), 0); // pair level: C loses to A
        assertEquals(0.5, VoeScores.groupedAccuracy(possible, impossible, new String[] {"", ""}), 0);
        assertEquals(1, VoeScores.groupCount(quad));
        assertEquals(2, VoeScores.groupCount(new String[] {"", null}));
        assertThrows(IllegalArgumentException.class,
                () -> VoeScores.groupedAccuracy(possible, impossible, new String[] {"q"}));
        assertTrue(Double.isNaN(VoeScores.groupedAccuracy(new double[0], new double[0], new String[0])));
    }

    @Test
    void tiedGroupsAreCountedAndScoredWrong() {
        // group "t": every window cancels (0.4 + 0.2 on both sides); group "u": impossible higher by 1e-3 of the sum
        double[] possible = {0.4, 0.2, 0.5, 0.5};
        double[] impossible = {0.2, 0.4, 0.5, 0.501};
        String[] groups = {"t", "t", "u", "u"};
        assertEquals(1, VoeScores.groupedTies(possible, impossible, groups, 1e-6));
        assertEquals(2, VoeScores.groupedTies(possible, impossible, groups, 1e-2)); // a looser tolerance takes "u"
        assertEquals(0.5, VoeScores.groupedAccuracy(possible, impossible, groups), 0); // the tie counts as wrong
        VoeSummary s = VoeSummary.of(
                List.of(video(0.4), video(0.2), video(0.5), video(0.5)),
                List.of(video(0.2), video(0.4), video(0.5), video(0.501)), groups);
        assertEquals(1, s.ties());
        assertEquals(2, s.groups());
    }

    @Test
    void groupedSummaryEqualsADirectComputation() {
        Random r = new Random(3);
        List<VideoSurprise> p = new ArrayList<>();
        List<VideoSurprise> q = new ArrayList<>();
        List<String> groups = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            p.add(video(r.nextDouble(), r.nextDouble(), r.nextDouble()));
            q.add(video(r.nextDouble(), r.nextDouble(), r.nextDouble()));
            groups.add(i % 3 == 2 ? "" : "g" + (i / 3)); // groups of 2 pairs, every third pair alone
        }
        VoeSummary s = VoeSummary.of(p, q, groups.toArray(String[]::new));
        // direct: walk the groups by hand
        int correct = 0;
        int count = 0;
        int pairCorrect = 0;
        for (int g = 0; g < 20; g++) {
            double sp = p.get(3 * g).mean() + p.get(3 * g + 1).mean();
            double sq = q.get(3 * g).mean() + q.get(3 * g + 1).mean();
            correct += sq > sp ? 1 : 0;
            correct += q.get(3 * g + 2).mean() > p.get(3 * g + 2).mean() ? 1 : 0;
            count += 2;
        }
        for (int i = 0; i < 60; i++) {
            pairCorrect += q.get(i).mean() > p.get(i).mean() ? 1 : 0;
        }
        assertEquals(60, s.pairs());
        assertEquals(40, s.groups());
        assertTrue(s.grouped());
        assertEquals((double) correct / count, s.pairwiseAccuracy(), 1e-12);
        assertEquals(pairCorrect / 60.0, s.pairLevelAccuracy(), 1e-12);
        assertNotEquals(s.pairwiseAccuracy(), s.pairLevelAccuracy()); // the data is such that grouping matters
        // AUROC stays per video (max surprise), groups or not
        assertEquals(VoeSummary.of(p, q).auroc(), s.auroc(), 0);
    }

    @Test
    void ungroupedPairsScoreAsBefore() {
        Random r = new Random(5);
        List<VideoSurprise> p = new ArrayList<>();
        List<VideoSurprise> q = new ArrayList<>();
        double[] pm = new double[30];
        double[] qm = new double[30];
        for (int i = 0; i < 30; i++) {
            p.add(video(r.nextDouble(), r.nextDouble()));
            q.add(video(r.nextDouble(), r.nextDouble()));
            pm[i] = p.get(i).mean();
            qm[i] = q.get(i).mean();
        }
        VoeSummary s = VoeSummary.of(p, q);
        assertFalse(s.grouped());
        assertEquals(30, s.groups());
        assertEquals(VoeScores.pairwiseAccuracy(pm, qm), s.pairwiseAccuracy(), 0);
        assertEquals(s.pairLevelAccuracy(), s.pairwiseAccuracy(), 0);
        // the JSON of an ungrouped evaluation keeps its keys: no groups, no pair-level accuracy
        PhysicsReport report = new PhysicsReport(s, Map.of("vanish", s), new double[] {0.5}, Map.of("vanish",
                new double[] {0.5}), s, Map.of("vanish", s), List.of(2), List.of(), List.of());
        JsonObject j = JsonParser.parseString(report.toJson()).getAsJsonObject();
        assertFalse(j.has("groups"));
        assertFalse(j.has("pair_level_accuracy"));
        assertFalse(j.getAsJsonObject("by_type").getAsJsonObject("vanish").has("pair_level_accuracy"));
        assertEquals(Math.round(s.pairwiseAccuracy() * 10000) / 10000.0, j.get("pairwise_accuracy").getAsDouble(), 0);

        List<VideoSurprise> p2 = new ArrayList<>(p);
        String[] g = new String[30];
        g[0] = "x";
        g[1] = "x";
        VoeSummary grouped = VoeSummary.of(p2, q, g);
        PhysicsReport gr = new PhysicsReport(grouped, Map.of("vanish", grouped), new double[0], Map.of(), grouped,
                Map.of(), List.of(2), List.of(), List.of());
        JsonObject gj = JsonParser.parseString(gr.toJson()).getAsJsonObject();
        assertEquals(29, gj.get("groups").getAsInt());
        assertTrue(gj.getAsJsonObject("by_type").getAsJsonObject("vanish").has("pair_level_accuracy"));
        assertEquals(Path.of("a"), new VideoPair(Path.of("a"), Path.of("b"), "t").possible());
    }
}
