package org.jepa4j.examples.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jepa4j.core.io.AtomicFiles;
import org.jepa4j.train.TrainingData;
import org.jepa4j.train.config.TrainConfig;
import org.jepa4j.video.mask.MaskGenerator;
import org.jepa4j.video.mask.MaskPictures;
import org.jepa4j.video.mask.MaskStatistics;
import org.jepa4j.core.model.TokenGrid;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code jepa4j masks}: the mask generator of a configuration ({@link TrainingData#maskGenerator}) described by
 * {@link MaskStatistics} (JSON on standard output) and drawn by {@link MaskPictures} (PNG with {@code --out}).
 */
@Command(
        name = "masks",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Mask statistics and pictures of a configuration's mask generator.",
            "",
            "Prints one JSON object: per mask set the mean, sd, min and max of the context and target token counts "
                    + "over --samples masks. With --out, also writes OUT/masks.json and OUT/masks.png (sampled "
                    + "masks: context blue, target orange, dropped grey)."
        },
        footer = {
            "",
            "Examples:",
            "  jepa4j masks --config vjepa_vitl16 --samples 1500",
            "  jepa4j masks --config ijepa_vith14 --out masks/",
            "  jepa4j masks --config my.yaml --set data.crop_size=256 --out masks/"
        })
public final class MasksCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE|PRESET", defaultValue = "vjepa_vitl16",
            description = "YAML config file or preset name (${COMPLETION-CANDIDATES}; default: ${DEFAULT-VALUE}).",
            completionCandidates = PretrainCommand.Presets.class)
    String config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a config key. Repeatable.")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--samples", paramLabel = "N", defaultValue = "1500",
            description = "Masks drawn for the statistics (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0",
            description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", paramLabel = "DIR", description = "Folder for masks.json and masks.png.")
    Path out;

    @Option(names = "--pictures", paramLabel = "N", defaultValue = "4",
            description = "Samples drawn in masks.png (default: ${DEFAULT-VALUE}).")
    int pictures;

    @Override
    public Integer call() throws Exception {
        if (samples < 1 || pictures < 1) {
            throw new ParameterException(spec.commandLine(), "--samples and --pictures must be >= 1");
        }
        ConfigOption.checkOverrides(spec.commandLine(), overrides);
        TrainConfig cfg = ConfigOption.load(config, overrides);
        MaskGenerator generator = TrainingData.maskGenerator(cfg);
        TokenGrid grid = generator.grid();
        String name = cfg.model().variant() + " " + cfg.mask().type();
        MaskStatistics stats = MaskStatistics.compute(name, generator, samples, seed);
        JsonObject json = JsonParser.parseString(stats.toJson()).getAsJsonObject();
        json.addProperty("config", config);
        JsonObject g = new JsonObject();
        g.addProperty("frames", grid.depth());
        g.addProperty("height", grid.height());
        g.addProperty("width", grid.width());
        json.add("grid", g);
        if (out != null) {
            Files.createDirectories(out);
            Path png = out.resolve("masks.png");
            String title = name + " masks (" + config + ")";
            MaskPictures.write(png, title, generator, grid, pictures, seed);
            json.addProperty("picture", png.toAbsolutePath().toString());
        }
        String text = new GsonBuilder().disableHtmlEscaping().setPrettyPrinting().create().toJson(json);
        if (out != null) {
            AtomicFiles.writeString(out.resolve("masks.json"), text + "\n");
        }
        PrintWriter o = spec.commandLine().getOut();
        o.println(text);
        o.flush();
        return 0;
    }
}
