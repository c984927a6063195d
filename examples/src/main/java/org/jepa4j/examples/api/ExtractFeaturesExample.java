package org.jepa4j.examples.api;

import java.io.IOException;
import java.nio.file.Path;
import org.jepa4j.train.features.EncoderLoader;
import org.jepa4j.train.features.ExtractionReport;
import org.jepa4j.train.features.FeatureExtractor;
import org.jepa4j.train.features.FrozenEncoder;
import org.jepa4j.video.source.VideoSource;

/**
 * Extracts frozen features of every video of a folder with the encoder of a Hugging Face V-JEPA 2 (or I-JEPA)
 * model directory: per clip token features {@code [N, D]} and pooled features {@code [D]} plus an index CSV.
 *
 * <p>Run: {@code java -cp examples/target/jepa4j.jar org.jepa4j.examples.api.ExtractFeaturesExample
 * vjepa2-vitl-fpc64-256/ videos/ features/}
 */
public final class ExtractFeaturesExample {

    private ExtractFeaturesExample() {
    }

    /**
     * Extracts the features.
     *
     * @param modelDir a Hugging Face model directory (config.json + model.safetensors)
     * @param videos a folder of videos (labels from sub-folder names go to the index)
     * @param out output folder
     * @return what was written, and which files could not be decoded
     * @throws IOException if a file cannot be read or written
     */
    public static ExtractionReport run(Path modelDir, Path videos, Path out) throws IOException {
        try (FrozenEncoder encoder = FrozenEncoder.load(EncoderLoader.huggingFace(modelDir))) {
            // Defaults: the model's frames per clip (frame step 4), one center crop at its image size, 4 videos a batch.
            FeatureExtractor extractor = FeatureExtractor.builder().setEncoder(encoder).build();
            return extractor.extract(VideoSource.fromFolder(videos), out);
        }
    }

    /**
     * Entry point.
     *
     * @param args model directory, video folder, output folder
     * @throws IOException if a file cannot be read or written
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: ExtractFeaturesExample <hf model dir> <video folder> <out dir>");
            System.exit(2);
        }
        ExtractionReport r = run(Path.of(args[0]), Path.of(args[1]), Path.of(args[2]));
        System.out.printf("%d clips of %d videos, %d unreadable, index %s%n", r.clipsWritten(), r.samplesWritten(),
                r.badFiles().size(), r.index());
    }
}
