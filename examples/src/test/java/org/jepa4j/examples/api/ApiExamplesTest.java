package org.jepa4j.examples.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.jepa4j.train.TrainingSummary;
import org.jepa4j.train.features.ExtractionReport;
import org.jepa4j.train.probe.ProbeResult;
import org.jepa4j.video.synthetic.SyntheticVideos;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API examples run on tiny settings. */
class ApiExamplesTest {

    @TempDir
    Path dir;

    @Test
    void pretrainExtractAndProbeExamplesRun() throws Exception {
        Path videos = dir.resolve("videos");
        SyntheticVideos.write(videos, new SyntheticVideos.Spec(8, 24, 64, 16, 2, 3));

        TrainingSummary s = PretrainExample.run(videos, dir.resolve("run"), 2);
        assertEquals(2, s.steps());
        assertTrue(Double.isFinite(s.finalLoss()));
        assertTrue(Files.isDirectory(s.checkpoint()));

        ExtractionReport r = ExtractFeaturesExample.run(Path.of("../jepa-core/src/test/resources/hf/vjepa2-tiny"),
                videos, dir.resolve("features"));
        assertEquals(8, r.samplesWritten());
        assertTrue(r.badFiles().isEmpty());

        ProbeResult p = ProbeExample.run(dir.resolve("features"), 3);
        assertEquals(2, p.numClasses());
        assertTrue(Files.isRegularFile(dir.resolve("features/probe-linear.safetensors")));
    }
}
