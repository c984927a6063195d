package org.jepa4j.train.world;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One episode of the world-model dataset, validated: {@code frames} frames (a video file or numbered images),
 * an action per transition and a state per frame.
 *
 * @param name the folder's name relative to the dataset root
 * @param dir the episode folder
 * @param frames number of frames T
 * @param video the video file, or null when the frames are images
 * @param images the frame images in order (empty for a video)
 * @param actions {@code [T-1][A]}: the action taken between frame t and frame t+1
 * @param states {@code [T][S]}: the state at each frame
 * @param actionNames the header of {@code actions.csv}
 * @param stateNames the header of {@code states.csv}
 * @param fps the frame rate of {@code episode.json}, or null
 * @param extra the other fields of {@code episode.json} (as strings), e.g. a toy world's {@code door_y}
 */
public record Episode(
        String name,
        Path dir,
        int frames,
        Path video,
        List<Path> images,
        float[][] actions,
        float[][] states,
        List<String> actionNames,
        List<String> stateNames,
        Double fps,
        Map<String, String> extra) {

    /** Copies the lists and maps. */
    public Episode {
        images = List.copyOf(images);
        actionNames = List.copyOf(actionNames);
        stateNames = List.copyOf(stateNames);
        extra = Map.copyOf(extra);
    }

    /**
     * Action dimension A.
     *
     * @return action dimension A
     */
    public int actionDim() {
        return actionNames.size();
    }

    /**
     * State dimension S.
     *
     * @return state dimension S
     */
    public int stateDim() {
        return stateNames.size();
    }

    /**
     * Number of clips of {@code clipFrames} frames {@code frameStep} apart that fit in this episode.
     *
     * @param clipFrames frames per clip
     * @param frameStep distance between a clip's frames
     * @return start positions available (0 when the episode is too short)
     */
    public int clipCount(int clipFrames, int frameStep) {
        int span = (clipFrames - 1) * frameStep + 1;
        return Math.max(0, frames - span + 1);
    }
}
