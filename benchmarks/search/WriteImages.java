import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Writes the photo folder benchmarks/search/run.sh indexes: {@code java WriteImages.java FOLDER COUNT}. COUNT images,
 * seeded, 180 to 300 pixels a side, three JPEGs (quality 90) to one PNG, spread over nested folders: smooth gradients
 * under noise, so that decoding costs what a photo of that size costs rather than what a flat colour does.
 */
public class WriteImages {
    public static void main(String[] args) throws IOException {
        Path folder = Path.of(args[0]);
        int count = Integer.parseInt(args[1]);
        Random random = new Random(20261202);
        for (int i = 0; i < count; i++) {
            Path subfolder = folder.resolve("set-" + (i % 8)).resolve(i % 3 == 0 ? "b" : "a");
            Files.createDirectories(subfolder);
            BufferedImage image = photoLike(random, 180 + random.nextInt(121), 180 + random.nextInt(121));
            if (i % 4 == 3) {
                ImageIO.write(image, "png", subfolder.resolve("img-" + i + ".png").toFile());
            } else {
                writeJpeg(image, subfolder.resolve("img-" + i + ".jpg"));
            }
        }
    }

    private static BufferedImage photoLike(Random random, int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] from = {random.nextInt(256), random.nextInt(256), random.nextInt(256)};
        int[] to = {random.nextInt(256), random.nextInt(256), random.nextInt(256)};
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double t = (x + y) / (double) (width + height);
                int rgb = 0;
                for (int c = 0; c < 3; c++) {
                    int value = (int) (from[c] + t * (to[c] - from[c])) + random.nextInt(41) - 20;
                    rgb = rgb << 8 | Math.clamp(value, 0, 255);
                }
                image.setRGB(x, y, rgb);
            }
        }
        return image;
    }

    private static void writeJpeg(BufferedImage image, Path file) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(0.9f);
        try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
    }
}
