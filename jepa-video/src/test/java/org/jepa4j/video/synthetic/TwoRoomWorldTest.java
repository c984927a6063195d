package org.jepa4j.video.synthetic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TwoRoomWorldTest {

    private static final TwoRoomSpec SPEC = TwoRoomSpec.defaults();

    @Test
    void theWallBlocksMotionAwayFromTheDoor() {
        TwoRoomWorld world = new TwoRoomWorld(SPEC, 16);
        double[] p = {20, 50};
        for (int i = 0; i < 10; i++) {
            p = world.step(p, new double[] {10, 0});
        }
        assertEquals(SPEC.wallX0() - SPEC.agentRadius(), p[0], 0.6, "stops at the wall");
        assertEquals(50, p[1], 1e-9);
        assertEquals(0, world.room(p));
    }

    @Test
    void theAgentSlidesAlongTheWallAndPassesThroughTheDoor() {
        TwoRoomWorld world = new TwoRoomWorld(SPEC, 16);
        double[] p = {20, 40};
        // pushing right and up: blocked in x at the wall, slides up to the door, then crosses
        double[] first = world.step(p, new double[] {10, 0});
        first = world.step(first, new double[] {10, 0});
        double[] second = world.step(first, new double[] {7.2, -6.8});
        assertEquals(SPEC.wallX0() - SPEC.agentRadius(), second[0], 0.6, "blocked in x");
        assertTrue(second[1] < first[1] - 6, "slides up along the wall: " + first[1] + " -> " + second[1]);
        for (int i = 0; i < 10 && world.room(p) == 0; i++) {
            p = world.step(p, new double[] {7.2, -6.8});
        }
        assertEquals(1, world.room(p), "crossed through the door: " + p[0] + ", " + p[1]);
        assertTrue(p[1] >= world.doorY() - SPEC.doorHeight() / 2 - SPEC.maxActionReach(),
                "crossed near the opening: " + p[1]);
    }

    @Test
    void actionsAreLimitedToTheLargestStep() {
        TwoRoomWorld world = new TwoRoomWorld(SPEC, 32);
        double[] p = world.step(new double[] {10, 10}, new double[] {30, 40});
        assertEquals(SPEC.maxActionReach(), Math.hypot(p[0] - 10, p[1] - 10), 1e-9);
    }

    @Test
    void framesShowTheAgentWhereItIsAndTheDoorWhereItIs() {
        TwoRoomSpec straight = TwoRoomSpec.defaults();
        TwoRoomWorld world = new TwoRoomWorld(straight, 20);
        byte[] rgb = world.render(new double[] {10.5, 40.5});
        int s = straight.size();
        assertEquals(255, rgb[(40 * s + 10) * 3] & 0xff, "blob peak");
        assertEquals(25, rgb[(5 * s + 50) * 3] & 0xff, "background far from the agent");
        int near = rgb[(40 * s + 16) * 3 + 1] & 0xff;
        int far = rgb[(5 * s + 50) * 3 + 1] & 0xff;
        assertTrue(near > far && far > 0, "the glow falls off with distance: " + near + " > " + far);
        assertEquals(200, rgb[(50 * s + 31) * 3 + 1] & 0xff, "wall below the door");
        assertEquals(25, rgb[(20 * s + 31) * 3 + 1] & 0xff, "door opening");
    }

    @Test
    void theGlowGoesAroundTheWallThroughTheDoor() {
        // door centred at y = 20 (y 12..28); agent left of the wall at (20, 50), far below the door
        TwoRoomSpec around = TwoRoomSpec.aroundWall();
        TwoRoomWorld world = new TwoRoomWorld(around, 20);
        double[] agent = {20, 50};
        byte[] rgb = world.render(agent);
        int s = around.size();
        // two pixels 19.5 px from the agent in a straight line: one in its own room, one behind the wall (the wide
        // glow, blue)
        int own = rgb[(50 * s + 0) * 3 + 2] & 0xff;       // (0.5, 50.5)
        int behind = rgb[(50 * s + 39) * 3 + 2] & 0xff;   // (39.5, 50.5)
        assertTrue(own > behind + 40, "the wall shades the glow: " + own + " vs " + behind);
        // behind the wall the glow is that of the path through the door: (20,50) -> (30,28) -> (34,28) -> pixel
        double path = Math.hypot(10, 22) + 4 + Math.hypot(39.5 - 34, 50.5 - 28);
        assertEquals(path, world.pathDistance(agent, new double[] {39.5, 50.5}), 1e-9);
        assertEquals((int) Math.round(255 * Math.exp(-path / around.wideGlow())), behind);
        int narrow = rgb[(50 * s + 5) * 3 + 1] & 0xff;    // green, (5.5, 50.5): 14.5 px in the open
        assertEquals((int) Math.round(255 * Math.exp(-14.5 / around.glow())), narrow);
        // in the open, the path is the straight line, also through the door
        assertEquals(Math.hypot(10, 5), world.pathDistance(new double[] {27, 20}, new double[] {37, 25}), 1e-9);
        assertEquals(Math.hypot(3, 4), world.pathDistance(agent, new double[] {23, 54}), 1e-9);
        // the straight glow ignores the wall
        TwoRoomWorld straight = new TwoRoomWorld(around.withGlow(around.glow(), false, around.wideGlow()), 20);
        byte[] flat = straight.render(agent);
        assertEquals(flat[(50 * s + 0) * 3 + 2], flat[(50 * s + 39) * 3 + 2], "symmetric without the wall's shade");
    }

    @Test
    void badSettingsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new TwoRoomWorld(SPEC, 60));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TwoRoomSpec(64, 30, 34, 5, 16, 48, 3, 3, 2.5, 4, 0, false, 0));
        assertTrue(e.getMessage().contains("impassable"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new TwoRoomWorld(SPEC, 32).step(new double[2],
                new double[3]));
    }

    @Test
    void tasksAreDrawnFromTheSeedWithSameAndCrossRoomLabels() {
        List<PlanningTask> a = PlanningTask.sample(SPEC, 20, 5);
        List<PlanningTask> b = PlanningTask.sample(SPEC, 20, 5);
        List<PlanningTask> c = PlanningTask.sample(SPEC, 20, 6);
        for (int i = 0; i < a.size(); i++) {
            PlanningTask t = a.get(i);
            assertArrayEquals(t.start(), b.get(i).start());
            assertArrayEquals(t.goal(), b.get(i).goal());
            TwoRoomWorld w = t.world(SPEC);
            assertEquals(i % 2 == 1, t.crossRoom());
            assertEquals(t.crossRoom(), w.room(t.start()) != w.room(t.goal()));
            assertEquals(t.crossRoom(), PlanningTask.lineBlocked(SPEC, t.doorY(), t.start(), t.goal()));
            assertTrue(Math.hypot(t.start()[0] - t.goal()[0], t.start()[1] - t.goal()[1]) >= PlanningTask.MIN_DISTANCE);
            assertTrue(!w.blocked(t.start()[0], t.start()[1]) && !w.blocked(t.goal()[0], t.goal()[1]));
        }
        assertNotEquals(a.get(0).start()[0], c.get(0).start()[0]);
    }

    @Test
    void aStraightLineThroughTheDoorIsNotBlocked() {
        assertTrue(!PlanningTask.lineBlocked(SPEC, 32, new double[] {10, 32}, new double[] {50, 32}));
        assertTrue(PlanningTask.lineBlocked(SPEC, 32, new double[] {10, 10}, new double[] {50, 10}));
        // the diagonal through the arena's centre passes the door centred at 32, not one centred at 16
        assertTrue(!PlanningTask.lineBlocked(SPEC, 32, new double[] {10, 10}, new double[] {54, 54}));
        assertTrue(PlanningTask.lineBlocked(SPEC, 16, new double[] {10, 10}, new double[] {54, 54}));
    }

    @Test
    void collectionWritesTheEpisodeFormatAndSomeEpisodesCrossTheDoor(@TempDir Path dir) throws Exception {
        TwoRoomEpisodes.Spec spec = new TwoRoomEpisodes.Spec(SPEC, 8, 6, 3);
        TwoRoomEpisodes.write(dir, spec);
        List<String> index = Files.readAllLines(dir.resolve("episodes.txt"));
        assertEquals(9, index.size());
        Path ep = dir.resolve("ep_000003");
        List<String> actions = Files.readAllLines(ep.resolve("actions.csv"));
        List<String> states = Files.readAllLines(ep.resolve("states.csv"));
        assertEquals("dx,dy", actions.get(0));
        assertEquals(5 + 1, actions.size());
        assertEquals("x,y", states.get(0));
        assertEquals(6 + 1, states.size());
        BufferedImage frame = ImageIO.read(ep.resolve("frames/000005.png").toFile());
        assertEquals(64, frame.getWidth());
        assertTrue(Files.readString(ep.resolve("episode.json")).contains("\"door_y\""));
        // states follow the actions through the simulator
        TwoRoomEpisodes.Episode e = TwoRoomEpisodes.simulate(spec, 3);
        String[] s1 = states.get(2).split(",");
        assertEquals(e.states()[1][0] / 64, Double.parseDouble(s1[0]), 1e-5);
        double[] a0 = e.actions()[0];
        assertTrue(Math.hypot(a0[0], a0[1]) <= SPEC.maxActionReach() + 1e-9);
        int crossing = 0;
        TwoRoomEpisodes.Spec many = new TwoRoomEpisodes.Spec(SPEC, 200, 12, 1);
        for (int i = 0; i < 200; i++) {
            crossing += TwoRoomEpisodes.simulate(many, i).crossesDoor(SPEC) ? 1 : 0;
        }
        assertTrue(crossing >= 20 && crossing <= 120, "crossing episodes: " + crossing + " of 200");
    }

    @Test
    void wallSlidesStartAgainstTheWallAndCrossTheDoorMoreOften() {
        TwoRoomEpisodes.Spec plain = new TwoRoomEpisodes.Spec(SPEC, 400, 12, 1);
        TwoRoomEpisodes.Spec slides = new TwoRoomEpisodes.Spec(SPEC, 400, 12, 1, true);
        int plainCrossing = 0;
        int slideCrossing = 0;
        for (int i = 0; i < 400; i++) {
            TwoRoomEpisodes.Episode p = TwoRoomEpisodes.simulate(plain, i);
            TwoRoomEpisodes.Episode w = TwoRoomEpisodes.simulate(slides, i);
            plainCrossing += p.crossesDoor(SPEC) ? 1 : 0;
            slideCrossing += w.crossesDoor(SPEC) ? 1 : 0;
            if (i % 4 != 1) {
                assertArrayEquals(p.states()[11], w.states()[11], "only a quarter of the episodes change");
            } else {
                double x = w.states()[0][0];
                double face = x < SPEC.wallX0() ? SPEC.wallX0() - SPEC.agentRadius() : SPEC.wallX1() + SPEC.agentRadius();
                TwoRoomWorld world = new TwoRoomWorld(SPEC, w.doorY());
                boolean inDoor = !world.blocked(x + (x < face ? 2 : -2), w.states()[0][1]);
                assertTrue(Math.abs(x - face) <= 0.5 + 1e-9 || inDoor, "starts against the wall: x = " + x);
            }
        }
        assertTrue(slideCrossing > plainCrossing + 10, "crossing: " + slideCrossing + " with slides against "
                + plainCrossing + " of 400");
    }
}
