package org.jepa4j.examples.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jepa4j.video.synthetic.SyntheticVideos;

/** Runs the command line in-process and captures its output; shared fixtures of the CLI tests. */
final class Cli {

    /** The tiny V-JEPA 2 fixture of jepa-core (VJEPA2ForVideoClassification, 64 px, 4 frames, patch 16). */
    static final Path HF_FIXTURE = Path.of("../jepa-core/src/test/resources/hf/vjepa2-tiny");

    private Cli() {
    }

    /** The outcome of one command. */
    record Result(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- out ---\n" + out + "--- err ---\n" + err;
        }
    }

    /** Runs {@code jepa4j args...}. */
    static Result run(Object... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] a = new String[args.length];
        for (int i = 0; i < args.length; i++) {
            a[i] = args[i].toString();
        }
        int code = Jepa4j.execute(new PrintWriter(out, true), new PrintWriter(err, true), a);
        return new Result(code, out.toString(), err.toString());
    }

    /**
     * Writes {@code n} synthetic videos (24 frames, 64 px, labels left/right) and one broken file
     * ({@code left/broken.mp4}, the first 3000 bytes of a real video: a valid header that FFmpeg cannot open).
     */
    static List<Path> videosWithBrokenFile(Path dir, int n) throws IOException {
        List<Path> files = SyntheticVideos.write(dir, new SyntheticVideos.Spec(n, 24, 64, 16, 2, 7));
        byte[] head = Files.readAllBytes(files.get(0));
        Files.write(dir.resolve("left/broken.mp4"), java.util.Arrays.copyOf(head, 3000));
        return files;
    }

    /** Data rows of a CSV file (header excluded). */
    static int csvRows(Path csv) throws IOException {
        return (int) Files.readAllLines(csv).stream().skip(1).filter(l -> !l.isBlank()).count();
    }
}
