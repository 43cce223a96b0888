package dev.aperture.models.source;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The progress line shows percentage, bytes, rate and time left. */
class TerminalProgressBarTest {

    @Test
    void lineShowsPercentBytesRateAndEta() {
        // 250 MB of 1000 MB, all in this session, in 10 s: 25 MB/s, 750 MB left = 30 s.
        String line = TerminalProgressBar.line("model.safetensors", 250_000_000, 1_000_000_000, 250_000_000,
                10_000_000_000L);

        assertEquals("model.safetensors   25% [######                  ] 250.0/1000.0 MB  25.0 MB/s  ETA 0:30", line);
    }

    @Test
    void unknownSizeShowsOnlyBytesAndRate() {
        String line = TerminalProgressBar.line("config.json", 2_000_000, -1, 2_000_000, 1_000_000_000L);

        assertEquals("config.json  2.0 MB  2.0 MB/s", line);
    }

    @Test
    void finishedFileEndsItsLine() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TerminalProgressBar bar = new TerminalProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8));

        bar.started("vocab.json", 100, 0);
        bar.progressed("vocab.json", 100);
        bar.finished("vocab.json");

        String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.startsWith("\rvocab.json"), out);
        assertTrue(out.contains("100% [########################] 0.0/0.0 MB"), out);
        assertTrue(out.endsWith(System.lineSeparator()), out);
    }
}
