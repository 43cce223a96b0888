package dev.aperture.models.tokenizer.json;

import dev.aperture.core.FormatException;
import dev.aperture.core.ResourceLimitException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The read budget stops catastrophic backtracking and leaves ordinary patterns on long texts alone. */
class BoundedPatternTest {

    @Test
    @Timeout(5)
    void catastrophicBacktrackingStopsWithAResourceLimitNamingThePattern() {
        // The backreference defeats Java's loop memoization: 2^n steps on n letters a, about 10^12 here.
        BoundedPattern nested = BoundedPattern.regex("(a+)+\\1b", "test.json: normalizer");
        Matcher matcher = nested.matcher("a".repeat(40));
        ResourceLimitException e = assertThrows(ResourceLimitException.class, matcher::find);
        assertTrue(e.getMessage().startsWith("test.json: normalizer: the regex /(a+)+\\1b/"), e.getMessage());
    }

    @Test
    void theBudgetIsPerText() {
        BoundedPattern word = BoundedPattern.regex("\\p{L}+", "test");
        List<String> found = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            Matcher matcher = word.matcher("a photo of a cat");
            while (matcher.find()) {
                found.add(matcher.group());
            }
        }
        assertEquals(5_000, found.size());
    }

    @Test
    void aRegexJavaCannotCompileIsAFormatErrorNamingItsOrigin() {
        FormatException e = assertThrows(FormatException.class,
                () -> BoundedPattern.regex("[\\p{!}]", "tokenizer.json: normalizer"));
        assertTrue(e.getMessage().startsWith("tokenizer.json: normalizer has a regex Java cannot compile"),
                e.getMessage());
    }
}
