/**
 * Decoding with FFmpeg (JavaCV): {@link org.jepa4j.video.decode.ClipDecoder} reads chosen frames straight
 * to RGB24 at a working size, {@link org.jepa4j.video.decode.FrameSampler} picks the frame ids of clips
 * ({@link org.jepa4j.video.decode.ClipSampling}), {@link org.jepa4j.video.decode.MediaProbe} checks files.
 */
package org.jepa4j.video.decode;
