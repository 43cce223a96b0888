package dev.aperture.models.image;

import javax.imageio.ImageIO;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.stream.ImageInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * What to say when no ImageIO reader takes an image: HEIC/HEIF and AVIF (the formats phones and browsers save,
 * which no pure-Java reader decodes) are named, with the conversion to run; anything else gets the list of formats
 * that are read, each named once.
 */
final class UnreadableFormats {
    /** ISO base media file brands of HEIF still images and sequences (ISO/IEC 23008-12), HEVC-coded or generic. */
    private static final Set<String> HEIF_BRANDS = Set.of("heic", "heix", "hevc", "hevx", "heim", "heis", "hevm",
            "hevs", "mif1", "msf1");
    /** AVIF's brands (AV1 Image File Format, section 7). */
    private static final Set<String> AVIF_BRANDS = Set.of("avif", "avis");

    private UnreadableFormats() {
    }

    /** The message for an image no reader recognised, starting with its name. */
    static String message(ImageInputStream stream, String name) throws IOException {
        String container = isoBmffFormat(stream);
        if (container != null) {
            String extension = container.equals("AVIF") ? "avif" : "heic";
            return name + ": " + container + " images are not supported; convert it to JPEG or PNG first, e.g. "
                    + "`magick photo." + extension + " photo.jpg` (ImageMagick) or `"
                    + (container.equals("AVIF") ? "avifdec photo.avif photo.png" : "heif-convert photo.heic photo.jpg")
                    + "`";
        }
        return name + ": not a recognised image format (supported: " + String.join(", ", readableFormats()) + ")";
    }

    /**
     * The formats ImageIO's installed readers decode, one name per reader, upper case, sorted: each reader lists
     * several spellings ("jpg", "JPG", "jpeg", "JPEG"), of which the longest is the format's usual name.
     */
    static Set<String> readableFormats() {
        Set<String> names = new TreeSet<>();
        Iterator<ImageReaderSpi> readers = IIORegistry.getDefaultInstance()
                .getServiceProviders(ImageReaderSpi.class, true);
        while (readers.hasNext()) {
            String[] formatNames = readers.next().getFormatNames();
            if (formatNames != null && formatNames.length > 0) {
                String longest = java.util.Arrays.stream(formatNames)
                        .max(Comparator.comparingInt(String::length)).orElseThrow();
                names.add(longest.toUpperCase(Locale.ROOT));
            }
        }
        if (names.isEmpty()) {
            for (String format : ImageIO.getReaderFormatNames()) {
                names.add(format.toUpperCase(Locale.ROOT));
            }
        }
        return names;
    }

    /**
     * "HEIC" or "AVIF" when the stream starts with an ISO base media {@code ftyp} box naming one of their brands
     * (as major or compatible brand; AVIF wins when both appear, as an AVIF file lists "mif1" too), else null.
     * Reads at most the first 64 bytes and leaves the stream where it was.
     */
    private static String isoBmffFormat(ImageInputStream stream) throws IOException {
        byte[] head = new byte[64];
        int filled = 0;
        stream.mark();
        try {
            int read;
            while (filled < head.length && (read = stream.read(head, filled, head.length - filled)) > 0) {
                filled += read;
            }
        } finally {
            stream.reset();
        }
        if (filled < 16 || !new String(head, 4, 4, StandardCharsets.ISO_8859_1).equals("ftyp")) {
            return null;
        }
        int boxSize = (head[0] & 0xFF) << 24 | (head[1] & 0xFF) << 16 | (head[2] & 0xFF) << 8 | (head[3] & 0xFF);
        int end = Math.min(filled, boxSize < 16 ? 16 : boxSize);
        boolean heif = false;
        // Major brand at 8, minor version at 12, compatible brands from 16 to the end of the box.
        for (int at = 8; at + 4 <= end; at += at == 8 ? 8 : 4) {
            String brand = new String(head, at, 4, StandardCharsets.ISO_8859_1);
            if (AVIF_BRANDS.contains(brand)) {
                return "AVIF";
            }
            heif |= HEIF_BRANDS.contains(brand);
        }
        return heif ? "HEIC" : null;
    }
}
