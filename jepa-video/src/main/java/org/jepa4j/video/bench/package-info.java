/**
 * Benchmarks of the video pipeline, run as main classes; figures are printed as ratios against the
 * {@code ffmpeg} command-line tool measured in the same run.
 */
package org.jepa4j.video.bench;
