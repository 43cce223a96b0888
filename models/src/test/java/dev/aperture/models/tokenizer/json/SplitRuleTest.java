package dev.aperture.models.tokenizer.json;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The Split behaviours, on the example of the tokenizers documentation: "-" in "the-final--countdown". */
class SplitRuleTest {
    private static List<String> split(SplitRule.Behavior behavior, boolean invert) {
        List<String> pieces = new ArrayList<>();
        new SplitRule(BoundedPattern.literal("-", "test"), behavior, invert).split("the-final--countdown", pieces::add);
        return pieces;
    }

    @Test
    void removedDropsDelimiters() {
        assertEquals(List.of("the", "final", "countdown"), split(SplitRule.Behavior.REMOVED, false));
    }

    @Test
    void removedWithInvertKeepsOnlyMatches() {
        assertEquals(List.of("-", "-", "-"), split(SplitRule.Behavior.REMOVED, true));
    }

    @Test
    void isolatedKeepsEveryRun() {
        assertEquals(List.of("the", "-", "final", "-", "-", "countdown"), split(SplitRule.Behavior.ISOLATED, false));
    }

    @Test
    void mergedWithPreviousAppendsDelimiterToPiece() {
        assertEquals(List.of("the-", "final-", "-", "countdown"), split(SplitRule.Behavior.MERGED_WITH_PREVIOUS, false));
    }

    @Test
    void mergedWithNextPrependsDelimiterToPiece() {
        assertEquals(List.of("the", "-final", "-", "-countdown"), split(SplitRule.Behavior.MERGED_WITH_NEXT, false));
    }

    @Test
    void contiguousJoinsAdjacentDelimiters() {
        assertEquals(List.of("the", "-", "final", "--", "countdown"), split(SplitRule.Behavior.CONTIGUOUS, false));
    }
}
