/**
 * Where samples come from: {@link org.jepa4j.video.source.VideoSource} lists
 * {@link org.jepa4j.video.source.VideoSample}s (file + label) from a folder scan, an index file
 * ({@code path label} lines) or an explicit list; {@link org.jepa4j.video.source.MediaSniffer} tells media
 * from non-media by content.
 */
package org.jepa4j.video.source;
