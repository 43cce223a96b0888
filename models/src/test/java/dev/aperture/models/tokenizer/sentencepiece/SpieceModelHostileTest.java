package dev.aperture.models.tokenizer.sentencepiece;

import dev.aperture.core.FormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A broken or hostile spiece.model is a FormatException naming the file: never an OOM, a hang or a crash. */
class SpieceModelHostileTest {

    @Test
    void truncatedModelIsAFormatExceptionNamingTheFile(@TempDir Path dir) throws IOException {
        byte[] model = Files.readAllBytes(SiglipFixture.unigram().dir().resolve("spiece.model"));
        for (int length : new int[] {1, 7, 100, model.length / 2, model.length - 1}) {
            assertRefused(dir, Arrays.copyOf(model, length), "");
        }
    }

    @Test
    void wrongWireTypeIsRefused(@TempDir Path dir) throws IOException {
        // ModelProto.pieces (field 1) written as a varint instead of a message.
        assertRefused(dir, new byte[] {0x08, 0x01}, "wire type");
    }

    @Test
    void lengthClaimingGigabytesIsRefusedBeforeAllocating(@TempDir Path dir) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(0x0A);                        // field 1 (pieces), length-delimited
        writeVarint(bytes, 0xFFFF_FFF0L);          // a 4 GiB piece
        bytes.writeBytes(new byte[16]);
        assertRefused(dir, bytes.toByteArray(), "exceeds");
    }

    @Test
    void pieceTextThatIsNotUtf8IsRefused(@TempDir Path dir) throws IOException {
        byte[] piece = {0x0A, 0x02, (byte) 0xC3, 0x28};  // SentencePiece.piece = C3 28, malformed UTF-8
        byte[] model = new byte[piece.length + 2];
        model[0] = 0x0A;
        model[1] = (byte) piece.length;
        System.arraycopy(piece, 0, model, 2, piece.length);
        assertRefused(dir, model, "UTF-8");
    }

    @Test
    void modelWithoutAnUnknownPieceIsRefused(@TempDir Path dir) throws IOException {
        byte[] model = {0x0A, 0x03, 0x0A, 0x01, 'a'};   // one NORMAL piece "a"
        assertRefused(dir, model, "UNKNOWN");
    }

    @Test
    void randomGarbageIsAFormatException(@TempDir Path dir) throws IOException {
        Random random = new Random(7);
        for (int i = 0; i < 50; i++) {
            byte[] garbage = new byte[1 + random.nextInt(400)];
            random.nextBytes(garbage);
            assertRefused(dir, garbage, "");
        }
    }

    private static void assertRefused(Path dir, byte[] model, String fragment) throws IOException {
        Path file = dir.resolve("spiece.model");
        Files.write(file, model);
        Files.copy(SiglipFixture.unigram().dir().resolve("tokenizer_config.json"),
                dir.resolve("tokenizer_config.json"), StandardCopyOption.REPLACE_EXISTING);
        FormatException e = assertThrows(FormatException.class, () -> SiglipTokenizer.load(dir));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }

    private static void writeVarint(ByteArrayOutputStream out, long value) {
        while ((value & ~0x7FL) != 0) {
            out.write((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
    }
}
