/**
 * A small synthetic world of moving and bouncing shapes under gravity, rendered to RGB frames and written as
 * real video files: the built-in default data of the command line and the data of tests that must not depend on
 * anything outside the repository.
 *
 * <p>{@link org.jepa4j.video.synthetic.ShapesWorld} simulates and renders one episode;
 * {@link org.jepa4j.video.synthetic.SyntheticVideos} writes a labelled folder of such episodes.
 *
 * <p>The intuitive-physics benchmark: {@link org.jepa4j.video.synthetic.PhysicsScene} (discs under gravity in a
 * closed box, with a solid wall or an occluder, whose rules can be broken on purpose), the
 * {@link org.jepa4j.video.synthetic.Violation}s, {@link org.jepa4j.video.synthetic.SceneLook} (size, discs,
 * background, floor, bar), {@link org.jepa4j.video.synthetic.ViolationPairs} (matched possible/impossible pairs and
 * their pairs file; the permanence types as balanced quadruplets) and {@link org.jepa4j.video.synthetic.PossibleVideos} (possible-only training videos).
 *
 * <p>{@link org.jepa4j.video.synthetic.DiscWorld} writes action-driven episodes (a disc moved by 2-D actions) in the
 * world-model episode format (frames, actions.csv, states.csv).
 */
package org.jepa4j.video.synthetic;
