package org.jepa4j.train.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsAndPlotsTest {

    @TempDir
    Path dir;

    static StepMetrics row(long step) {
        double loss = 1.0 / Math.sqrt(step);
        StepMetrics m = new StepMetrics(step, (int) (step / 50), loss, List.of(loss * 0.8, loss * 1.2),
                1e-3 * Math.min(1, step / 20.0), 0.04 + step * 1e-4, 0.99 + step * 1e-5, 2.0 / step,
                Math.pow(2, 16 - step % 3), step / 7, 120.5, 3.25, 66.4, Double.NaN, Double.NaN, Double.NaN);
        return step % 25 == 0 ? m.withCollapse(new CollapseStats(64, 96, 0.5 / Math.log(step), 0.1, 40 - step / 10.0)) : m;
    }

    @Test
    void csvAndJsonlRoundTripAndResumeDropsLaterRows() throws IOException {
        for (String ext : List.of("csv", "jsonl")) {
            Path file = dir.resolve("metrics." + ext);
            List<StepMetrics> rows = new ArrayList<>();
            try (MetricsLog log = MetricsLog.open(file, 2, 0)) {
                for (long s = 1; s <= 30; s++) {
                    rows.add(row(s));
                    log.append(row(s));
                }
            }
            assertEquals(rows, MetricsLog.read(file), ext);
            // Resume from a checkpoint at step 20: rows 21..30 of the interrupted run go away.
            try (MetricsLog log = MetricsLog.open(file, 2, 20)) {
                log.append(row(21));
            }
            List<StepMetrics> back = MetricsLog.read(file);
            assertEquals(21, back.size(), ext);
            assertEquals(rows.subList(0, 21), back, ext);
        }
        String header = Files.readAllLines(dir.resolve("metrics.csv")).get(0);
        assertEquals("step,epoch,loss,loss_set0,loss_set1,lr,wd,momentum,grad_norm,loss_scale,overflow_steps,"
                + "step_time_ms,data_time_ms,clips_per_s,feat_std_mean,feat_std_min,rankme", header);
    }

    @Test
    void aCsvOfTheEarlierColumnsIsReadByNameAndConvertedOnResume() throws IOException {
        Path file = dir.resolve("old.csv");
        Files.writeString(file, "step,epoch,loss,loss_set0,lr,wd,momentum,grad_norm,step_time_ms,data_time_ms,"
                + "clips_per_s,feat_std_mean,feat_std_min,rankme\n"
                + "1,0,0.9,0.9,0.001,0.04,0.99,0.5,10.0,1.0,4.0,,,\n"
                + "2,0,0.8,0.8,0.001,0.04,0.99,0.4,10.0,1.0,4.0,0.3,0.1,5.0\n"
                + "3,0,0.7,0.7,0.001,0.04,0.99,0.4,10.0,1.0,4.0,,,\n");
        List<StepMetrics> old = MetricsLog.read(file);
        assertEquals(3, old.size());
        assertEquals(0.8, old.get(1).loss());
        assertEquals(5.0, old.get(1).rankMe());
        assertTrue(Double.isNaN(old.get(0).lossScale()));
        assertEquals(0, old.get(0).overflowSteps());
        try (MetricsLog log = MetricsLog.open(file, 1, 2)) {
            log.append(new StepMetrics(3, 0, 0.75, List.of(0.75), 0.001, 0.04, 0.99, 0.4, 65536, 2, 10, 1, 4,
                    Double.NaN, Double.NaN, Double.NaN));
        }
        List<StepMetrics> back = MetricsLog.read(file);
        assertEquals(old.subList(0, 2), back.subList(0, 2));
        assertEquals(0.75, back.get(2).loss());
        assertEquals(65536.0, back.get(2).lossScale());
        assertEquals(2, back.get(2).overflowSteps());
        assertTrue(Files.readAllLines(file).get(0).contains(",loss_scale,overflow_steps,"));
        assertThrows(IOException.class, () -> MetricsLog.open(file, 2, 3), "another number of mask sets");
    }

    @Test
    void namedLossColumnsAreWrittenReadAndAnEarlierMaskSetFileIsRenamedOnResume() throws IOException {
        List<String> names = List.of("loss_teacher_forcing", "loss_rollout");
        for (String ext : List.of("csv", "jsonl")) {
            Path file = dir.resolve("named." + ext);
            List<StepMetrics> rows = new ArrayList<>();
            try (MetricsLog log = MetricsLog.open(file, names, 0)) {
                for (long s = 1; s <= 5; s++) {
                    rows.add(row(s));
                    log.append(row(s));
                }
            }
            assertEquals(rows, MetricsLog.read(file), ext);
            String first = Files.readAllLines(file).get(0);
            assertTrue(first.contains("loss_teacher_forcing") && first.contains("loss_rollout")
                    && !first.contains("loss_set"), first);
            try (MetricsLog log = MetricsLog.open(file, names, 3)) {
                log.append(row(4));
            }
            assertEquals(rows.subList(0, 4), MetricsLog.read(file), ext);
            assertThrows(IOException.class, () -> MetricsLog.open(file, List.of("loss_a", "loss_b"), 4).close(),
                    "other loss columns");
            // a file of the first world-model version (loss_set0, loss_set1) is converted by position
            Path old = dir.resolve("old-world." + ext);
            try (MetricsLog log = MetricsLog.open(old, 2, 0)) {
                rows.forEach(r -> {
                    try {
                        log.append(r);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
            }
            MetricsLog.open(old, names, 5).close();
            assertEquals(rows, MetricsLog.read(old), ext);
            String converted = Files.readString(old);
            assertFalse(converted.contains("loss_set"), converted);
            assertTrue(converted.contains("loss_rollout"), converted);
        }
        assertThrows(IllegalArgumentException.class, () -> MetricsLog.open(dir.resolve("x.csv"), List.of("lr"), 0));
        assertThrows(IllegalArgumentException.class, () -> MetricsLog.open(dir.resolve("x.csv"),
                List.of("loss,a"), 0));
    }

    @Test
    void lossPartLegendsAreTheCallersNamesOrMaskSetByDefault() {
        assertEquals("mask set 1", new PlotHistory().lossPartLabel(1));
        PlotHistory named = new PlotHistory(List.of("teacher forcing", "rollout"));
        assertEquals("teacher forcing", named.lossPartLabel(0));
        assertEquals("rollout", named.lossPartLabel(1));
        assertEquals("mask set 2", named.lossPartLabel(2));
    }

    @Test
    void plotsAreWrittenAsPngs() throws IOException {
        List<StepMetrics> rows = new ArrayList<>();
        for (long s = 1; s <= 200; s++) {
            rows.add(row(s));
        }
        List<Path> files = TrainingPlots.write(rows, dir.resolve("plots"));
        assertEquals(List.of("loss.png", "schedules.png", "collapse.png"),
                files.stream().map(p -> p.getFileName().toString()).toList());
        for (Path f : files) {
            BufferedImage img = ImageIO.read(f.toFile());
            assertTrue(img.getWidth() >= 800 && img.getHeight() >= 800, f + " " + img.getWidth() + "x" + img.getHeight());
        }
    }

    @Test
    void progressBarShowsLossAndThroughputOrStaysSilent() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ConsoleProgress p = new ConsoleProgress("pretrain", 100, 10, new PrintStream(bytes, true))) {
            assertTrue(p.isActive());
            p.update(42, 0.1234, 17.5);
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("pretrain") && text.contains("42/100") && text.contains("loss 0.1234")
                && text.contains("17.5 clips/s"), text);
        ByteArrayOutputStream other = new ByteArrayOutputStream();
        try (ConsoleProgress p = new ConsoleProgress("cache", 8, 0, new PrintStream(other, true))) {
            p.update(3, "2 encoded, 1 cached | 85.0 frames/s");
        }
        String shown = other.toString(StandardCharsets.UTF_8);
        assertTrue(shown.contains("3/8") && shown.contains("2 encoded, 1 cached | 85.0 frames/s")
                && !shown.contains("loss"), shown);
        try (ConsoleProgress silent = new ConsoleProgress("pretrain", 100, 0, (PrintStream) null)) {
            assertFalse(silent.isActive());
            silent.update(1, 1, 1);
        }
    }
}
