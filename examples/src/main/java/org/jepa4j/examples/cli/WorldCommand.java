package org.jepa4j.examples.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code jepa4j world}: action-conditioned world models (V-JEPA 2-AC). Each subcommand is its own class:
 * {@link WorldPredictCommand} ({@code world predict}), {@link WorldTrainCommand} ({@code world train}),
 * {@link WorldCollectCommand} ({@code world collect}), {@link WorldPlanCommand} ({@code world plan}),
 * {@link WorldDemoCommand} ({@code world demo}).
 */
@Command(
        name = "world",
        mixinStandardHelpOptions = true,
        description = {
            "Action-conditioned world models (V-JEPA 2-AC): a predictor of the next frame's frozen-encoder tokens "
                    + "given the action taken, trained on episodes of frames, actions and states."
        },
        subcommands = {
            WorldPredictCommand.class,
            WorldTrainCommand.class,
            WorldCollectCommand.class,
            WorldPlanCommand.class,
            WorldDemoCommand.class
        })
public final class WorldCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a world subcommand is required (try world "
                + "--help)");
    }
}
