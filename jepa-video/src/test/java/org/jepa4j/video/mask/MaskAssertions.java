package org.jepa4j.video.mask;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Invariants every sampled mask set must satisfy. */
final class MaskAssertions {

    private MaskAssertions() {
    }

    /** Ids sorted, unique, in range; context and target disjoint per row; batch size as asked. */
    static void assertValid(List<MaskSet> sets, int numTokens, int batchSize) {
        for (int k = 0; k < sets.size(); k++) {
            MaskSet set = sets.get(k);
            assertEquals(batchSize, set.batchSize(), "batch size of set " + k);
            assertTrue(set.contextLength() > 0, "set " + k + " has an empty context");
            assertTrue(set.targetLength() > 0, "set " + k + " has an empty target");
            for (int b = 0; b < batchSize; b++) {
                assertSortedInRange(set.context()[b], numTokens, "set " + k + " context row " + b);
                assertSortedInRange(set.target()[b], numTokens, "set " + k + " target row " + b);
                Set<Long> context = new HashSet<>();
                for (long id : set.context()[b]) {
                    context.add(id);
                }
                for (long id : set.target()[b]) {
                    assertFalse(context.contains(id), "set " + k + " row " + b + ": id " + id + " is context and target");
                }
            }
        }
    }

    static void assertSortedInRange(long[] ids, int numTokens, String what) {
        for (int i = 0; i < ids.length; i++) {
            assertTrue(ids[i] >= 0 && ids[i] < numTokens, what + ": id " + ids[i] + " out of [0, " + numTokens + ")");
            if (i > 0) {
                assertTrue(ids[i] > ids[i - 1], what + ": ids not strictly ascending at " + i);
            }
        }
    }
}
