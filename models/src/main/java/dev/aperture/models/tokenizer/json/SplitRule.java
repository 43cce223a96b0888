package dev.aperture.models.tokenizer.json;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;

/**
 * The "Split" pre-tokenizer: cut a piece of text at the matches of a pattern. The text becomes alternating
 * runs of matches and non-matches (flipped when {@code invert}); the behaviour says what to keep. CLIP uses its
 * word regex with invert = true and REMOVED: the matches are the words, everything between them (whitespace) goes.
 */
public record SplitRule(BoundedPattern pattern, Behavior behavior, boolean invert) implements PreTokenizer.Step {

    /** What happens to the delimiter runs, as in the Rust library's SplitDelimiterBehavior. */
    public enum Behavior { REMOVED, ISOLATED, MERGED_WITH_PREVIOUS, MERGED_WITH_NEXT, CONTIGUOUS }

    /** Hands the non-empty pieces of {@code text} to {@code out}, in order. */
    @Override
    public void split(String text, Consumer<String> out) {
        switch (behavior) {
            case REMOVED, ISOLATED -> stream(text, out);
            case MERGED_WITH_PREVIOUS -> mergeWithPrevious(text, runs(text), out);
            case MERGED_WITH_NEXT -> mergeWithNext(text, runs(text), out);
            case CONTIGUOUS -> contiguous(text, runs(text), out);
        }
    }

    /** REMOVED and ISOLATED straight from the matcher, so a huge text never becomes a huge list of runs. */
    private void stream(String text, Consumer<String> out) {
        boolean keepDelimiters = behavior == Behavior.ISOLATED;
        // Without inversion the matches are the delimiters; with it, the gaps between matches are.
        boolean keepMatches = invert || keepDelimiters;
        boolean keepGaps = !invert || keepDelimiters;
        Matcher matcher = pattern.matcher(text);
        int previousEnd = 0;
        while (matcher.find()) {
            if (matcher.start() == matcher.end()) {
                continue;
            }
            if (keepGaps) {
                add(text, previousEnd, matcher.start(), out);
            }
            if (keepMatches) {
                add(text, matcher.start(), matcher.end(), out);
            }
            previousEnd = matcher.end();
        }
        if (keepGaps) {
            add(text, previousEnd, text.length(), out);
        }
    }

    /** Runs {start, end, isDelimiter} covering the text; a delimiter is a match, or a non-match when inverted. */
    private List<int[]> runs(String text) {
        List<int[]> runs = new ArrayList<>();
        Matcher matcher = pattern.matcher(text);
        int previousEnd = 0;
        while (matcher.find()) {
            if (matcher.start() == matcher.end()) {
                continue;
            }
            if (matcher.start() > previousEnd) {
                runs.add(new int[] {previousEnd, matcher.start(), invert ? 1 : 0});
            }
            runs.add(new int[] {matcher.start(), matcher.end(), invert ? 0 : 1});
            previousEnd = matcher.end();
        }
        if (previousEnd < text.length()) {
            runs.add(new int[] {previousEnd, text.length(), invert ? 1 : 0});
        }
        return runs;
    }

    private static void mergeWithPrevious(String text, List<int[]> runs, Consumer<String> out) {
        List<int[]> merged = new ArrayList<>();
        boolean previousDelimiter = false;
        for (int[] run : runs) {
            if (run[2] == 1 && !previousDelimiter && !merged.isEmpty()) {
                merged.getLast()[1] = run[1];
            } else {
                merged.add(run.clone());
            }
            previousDelimiter = run[2] == 1;
        }
        merged.forEach(run -> add(text, run[0], run[1], out));
    }

    private static void mergeWithNext(String text, List<int[]> runs, Consumer<String> out) {
        List<int[]> merged = new ArrayList<>();
        boolean previousDelimiter = false;
        for (int[] run : runs.reversed()) {
            if (run[2] == 1 && !previousDelimiter && !merged.isEmpty()) {
                merged.getLast()[0] = run[0];
            } else {
                merged.add(run.clone());
            }
            previousDelimiter = run[2] == 1;
        }
        merged.reversed().forEach(run -> add(text, run[0], run[1], out));
    }

    private static void contiguous(String text, List<int[]> runs, Consumer<String> out) {
        List<int[]> merged = new ArrayList<>();
        boolean previousDelimiter = false;
        for (int[] run : runs) {
            boolean delimiter = run[2] == 1;
            if (delimiter == previousDelimiter && !merged.isEmpty()) {
                merged.getLast()[1] = run[1];
            } else {
                merged.add(run.clone());
            }
            previousDelimiter = delimiter;
        }
        merged.forEach(run -> add(text, run[0], run[1], out));
    }

    private static void add(String text, int start, int end, Consumer<String> out) {
        if (end > start) {
            out.accept(text.substring(start, end));
        }
    }
}
