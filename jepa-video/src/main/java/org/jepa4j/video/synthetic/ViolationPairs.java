package org.jepa4j.video.synthetic;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The intuitive-physics benchmark: matched possible/impossible video pairs of {@link PhysicsScene}s, one set per
 * {@link Violation}, written as MP4 files with a pairs file ({@code pairs.csv}: {@code possible,impossible,type,
 * violation_frame,group}; the group is blank for a pair that is its own group).
 *
 * <p>A pair is one scene simulated twice from the same state; in the impossible copy the subject disc breaks a
 * rule at the violation time {@code t_v}, drawn per pair in {@code [frames / 2, frames - framesAfter)} so that at
 * least one whole window follows it, and not many more: after a vanish the impossible video is easier to predict
 * (nothing moves where the disc was), so a long tail of windows after the violation would measure "a moving disc
 * is harder to predict than none" rather than the violation itself. The two videos are pixel-identical until the first frame the violation
 * changes (the violation frame, or for occluded violations the frame the subject comes out, or does not). Wall
 * violations happen at the subject's first bounce off the wall; occluded ones while it is hidden.
 *
 * <p>Balanced permanence: for the {@linkplain Violation#balanced() vanish types} every scene is written as an
 * IntPhys-style quadruplet of two pairs sharing a group id: (A, C) with A the subject present throughout and C present
 * then vanishing at {@code t_v}, and (B, D) with B the same scene without the subject and D absent then appearing at
 * {@code t_v} where and as it is in A. C equals A before {@code t_v} and B from it; D equals B before and A from it.
 * Scored by group (surprise of A + B against C + D), every frame set appears once possible and once impossible, so
 * the windows after the violation cancel and "nothing moving is easier to predict" cannot give the answer. The draws
 * of the random generator are unchanged, so pair (A, C) is the pair an unbalanced benchmark of the same seed has.
 *
 * <p>Balance: the violation types push a pixel-extrapolation baseline in opposite directions (a vanished disc makes
 * the future easier to extrapolate, a teleport harder), so over all types the pixel baseline sits near chance;
 * {@code jepa4j physics --synthetic} reports it next to the model.
 */
public final class ViolationPairs {

    private static final Logger LOG = LoggerFactory.getLogger(ViolationPairs.class);

    /** Name of the pairs file written next to the videos. */
    public static final String PAIRS_FILE = "pairs.csv";

    private ViolationPairs() {}

    /**
     * Settings of a benchmark.
     *
     * @param pairsPerType pairs per violation type
     * @param frames frames per video
     * @param fps frame rate (motion per frame scales with {@code 16 / fps})
     * @param framesAfter frames that must follow the latest violation time (a window's length in frames)
     * @param look how the scenes look
     * @param types the violation types
     * @param seed seed of the scenes
     */
    public record Spec(int pairsPerType, int frames, int fps, int framesAfter, SceneLook look, List<Violation> types,
            long seed) {

        /** Validates the settings. */
        public Spec {
            Objects.requireNonNull(look, "look");
            types = List.copyOf(types);
            if (pairsPerType < 1 || fps < 1 || types.isEmpty()) {
                throw new IllegalArgumentException("pairsPerType, fps and types must be positive, got " + pairsPerType
                        + ", " + fps + ", " + types);
            }
            if (framesAfter < 1 || frames / 2 >= frames - framesAfter) {
                throw new IllegalArgumentException(frames + " frames leave no room for a violation followed by "
                        + framesAfter + " frames (need frames / 2 < frames - framesAfter)");
            }
        }

        /** Returns the earliest violation time, {@code frames / 2}: enough history before it. */
        public int earliest() {
            return frames / 2;
        }

        /**
         * The benchmark's default: 48 frames of 64 px at 16 fps, at least 16 frames after the violation, every type.
         *
         * @param pairsPerType pairs per type
         * @param seed seed of the scenes
         * @return the settings
         */
        public static Spec standard(int pairsPerType, long seed) {
            return new Spec(pairsPerType, 48, 16, 16, SceneLook.standard(64), Violation.all(), seed);
        }
    }

    /**
     * One generated pair, in memory.
     *
     * @param type the violation
     * @param possible frames of the possible video, each packed {@code [S, S, 3]}
     * @param impossible frames of the impossible video
     * @param violationTime the step at which the rule was broken
     * @param firstDifference the first frame at which the videos differ
     */
    public record Pair(Violation type, List<byte[]> possible, List<byte[]> impossible, int violationTime,
            int firstDifference) {}

    /**
     * The pairs of one scene: a single pair, or for a {@linkplain Violation#balanced() balanced} type the quadruplet
     * (A, C) then (B, D).
     *
     * @param pairs one or two pairs, the scene's own pair (A, C) first
     */
    public record Group(List<Pair> pairs) {

        /** Copies the list and checks it is not empty. */
        public Group {
            pairs = List.copyOf(pairs);
            if (pairs.isEmpty()) {
                throw new IllegalArgumentException("a group needs at least one pair");
            }
        }
    }

    /**
     * Generates one pair.
     *
     * @param type the violation
     * @param spec frames, fps, look
     * @param rng randomness (a pair is a function of the rng's state)
     * @return the pair
     * @throws IllegalStateException if no scene fits the type after many draws
     */
    public static Pair make(Violation type, Spec spec, Random rng) {
        return makeGroup(type, spec, rng).pairs().get(0);
    }

    /**
     * Generates the pairs of one scene: for a {@linkplain Violation#balanced() balanced} type the quadruplet (A, C),
     * (B, D) (see the class comment), otherwise the single pair. The draws of {@code rng} are those of
     * {@link #make}.
     *
     * @param type the violation
     * @param spec frames, fps, look
     * @param rng randomness (a group is a function of the rng's state)
     * @return the group
     * @throws IllegalStateException if no scene fits the type after many draws
     */
    public static Group makeGroup(Violation type, Spec spec, Random rng) {
        int tmin = spec.earliest();
        int tmax = spec.frames() - spec.framesAfter();
        for (int attempt = 0; attempt < 500; attempt++) {
            Random r = new Random(rng.nextLong());
            PhysicsScene scene = new PhysicsScene(spec.look(), spec.fps(), 1 + r.nextInt(2), type == Violation.WALL,
                    type.occluded(), r);
            int tv = violationTime(type, scene.copy(), spec.frames(), tmin, tmax, r);
            if (tv < 0) {
                continue;
            }
            List<byte[]> possible = simulate(scene.copy(), spec.frames(), -1, null);
            long violationSeed = r.nextLong();
            List<byte[]> impossible = simulate(scene.copy(), spec.frames(), tv,
                    (s, t) -> s.violate(type, 0, new Random(violationSeed)));
            int d = firstDifference(possible, impossible);
            if (d >= spec.frames() || d > tmax + 4) {
                continue; // the violation never shows, or shows too late for a whole window
            }
            Pair pair = new Pair(type, possible, impossible, tv, d);
            if (!type.balanced()) {
                return new Group(List.of(pair));
            }
            PhysicsScene empty = scene.copy();
            empty.setVisible(0, false);
            List<byte[]> absent = simulate(empty.copy(), spec.frames(), -1, null);
            List<byte[]> appears = simulate(empty.copy(), spec.frames(), tv, (s, t) -> s.setVisible(0, true));
            return new Group(List.of(pair, new Pair(type, absent, appears, tv, firstDifference(absent, appears))));
        }
        throw new IllegalStateException("no scene for violation " + type.typeName() + " in " + spec.frames()
                + " frames after 500 draws");
    }

    private static int violationTime(Violation type, PhysicsScene probe, int frames, int tmin, int tmax, Random r) {
        List<Integer> candidates = new ArrayList<>();
        for (int t = 0; t < frames && t < tmax; t++) {
            if (type == Violation.WALL) {
                if (t >= tmin && probe.bouncedOffWall(0)) {
                    return t - 1; // solidity off from the frame before the bounce
                }
            } else if (type.occluded() && t >= tmin && probe.hidden(0)) {
                candidates.add(t);
            }
            probe.step();
        }
        if (type == Violation.WALL) {
            return -1;
        }
        if (type.occluded()) {
            return candidates.isEmpty() ? -1 : candidates.get(r.nextInt(candidates.size()));
        }
        return tmin + r.nextInt(tmax - tmin);
    }

    private static List<byte[]> simulate(PhysicsScene scene, int frames, int tv, BiConsumer<PhysicsScene, Integer> v) {
        List<byte[]> out = new ArrayList<>(frames);
        for (int t = 0; t < frames; t++) {
            if (t == tv) {
                v.accept(scene, t);
            }
            byte[] rgb = new byte[scene.size() * scene.size() * 3];
            scene.render(rgb);
            out.add(rgb);
            scene.step();
        }
        return out;
    }

    private static int firstDifference(List<byte[]> a, List<byte[]> b) {
        for (int t = 0; t < a.size(); t++) {
            if (!Arrays.equals(a.get(t), b.get(t))) {
                return t;
            }
        }
        return a.size();
    }

    /**
     * Writes the benchmark: {@code <type>/<i>_possible.mp4}, {@code <type>/<i>_impossible.mp4}, for balanced types
     * also {@code <type>/<i>_absent_possible.mp4} (B) and {@code <type>/<i>_appears_impossible.mp4} (D) with group
     * {@code <type>/<i>}, and {@code pairs.csv}.
     *
     * @param folder destination (created if needed)
     * @param spec what to generate
     * @param progress told (scenes written, scenes in all) after each scene
     * @return the pairs file
     * @throws IOException if a file cannot be written
     */
    public static Path write(Path folder, Spec spec, BiConsumer<Integer, Integer> progress) throws IOException {
        Files.createDirectories(folder);
        Random rng = new Random(spec.seed());
        StringBuilder csv = new StringBuilder("possible,impossible,type,violation_frame,group\n");
        int total = spec.pairsPerType() * spec.types().size();
        int done = 0;
        int pairs = 0;
        for (Violation type : spec.types()) {
            Files.createDirectories(folder.resolve(type.typeName()));
            for (int i = 0; i < spec.pairsPerType(); i++) {
                Group group = makeGroup(type, spec, rng);
                String stem = String.format("%04d", i);
                String[][] names = {{"_possible.mp4", "_impossible.mp4"},
                    {"_absent_possible.mp4", "_appears_impossible.mp4"}};
                String id = group.pairs().size() > 1 ? type.typeName() + "/" + stem : "";
                for (int k = 0; k < group.pairs().size(); k++) {
                    Pair pair = group.pairs().get(k);
                    String p = type.typeName() + "/" + stem + names[k][0];
                    String q = type.typeName() + "/" + stem + names[k][1];
                    SyntheticVideos.writeFrames(folder.resolve(p), pair.possible(), spec.look().size(), spec.fps());
                    SyntheticVideos.writeFrames(folder.resolve(q), pair.impossible(), spec.look().size(), spec.fps());
                    csv.append(p).append(',').append(q).append(',').append(type.typeName()).append(',')
                            .append(pair.firstDifference()).append(',').append(id).append('\n');
                    pairs++;
                }
                progress.accept(++done, total);
            }
        }
        Path file = folder.resolve(PAIRS_FILE);
        Files.writeString(file, csv);
        LOG.info("Wrote {} violation pairs ({} scenes, {} types) to {}", pairs, total, spec.types().size(), folder);
        return file;
    }
}
