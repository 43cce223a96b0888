package dev.aperture.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aperture.models.ImageInput;

import java.util.Base64;

/**
 * How a request carries an image (Aperture's extension of OpenAI's {@code input}): as a {@code data:} URL string
 * ({@code "data:image/png;base64,iVBOR..."}), or as an object {@code {"image": ...}} holding a data URL, plain base64,
 * or, only when the server allows it ({@code --allow-image-urls}), an {@code http(s)://} URL it fetches. Where every
 * item is an image ({@code /v1/classify}) a plain base64 string is an image too. Each image is named {@code input[i]}
 * in results and errors.
 */
final class ImageItems {
    private final ImageFetcher fetcher;

    /** @param fetcher fetches image URLs; null when they are off */
    ImageItems(ImageFetcher fetcher) {
        this.fetcher = fetcher;
    }

    /** True for an item that is an image: a data URL string, or an {@code {"image": ...}} object. */
    static boolean isImage(JsonNode item) {
        return (item.isTextual() && item.textValue().startsWith("data:")) || (item.isObject() && item.has("image"));
    }

    /**
     * The image an item carries, named {@code param} ({@code input[3]}).
     *
     * @param plainBase64IsImage whether a plain string is base64 image bytes (it is a text in {@code /v1/embeddings})
     */
    ImageInput decode(JsonNode item, String param, boolean plainBase64IsImage) {
        JsonNode value = item.isObject() ? item.get("image") : item;
        String paramOfValue = item.isObject() ? param + ".image" : param;
        if (value == null || !value.isTextual()) {
            throw ApiException.badRequest(paramOfValue, "'" + paramOfValue + "' must be a string: a data: URL"
                    + (fetcher != null ? ", an http(s) URL" : "") + " or base64 image bytes");
        }
        String text = value.textValue();
        if (text.startsWith("data:")) {
            return ImageInput.of(dataUrlBytes(text, paramOfValue), param);
        }
        if (text.startsWith("http://") || text.startsWith("https://")) {
            if (fetcher == null) {
                throw ApiException.badRequest(paramOfValue, "image URLs are not fetched by this server (start it"
                        + " with --allow-image-urls); send the image as a data: URL or base64");
            }
            return ImageInput.of(fetcher.fetch(text, paramOfValue), param);
        }
        if (!item.isObject() && !plainBase64IsImage) {
            throw ApiException.badRequest(param, "'" + param + "' is not an image");
        }
        return ImageInput.of(base64(text, paramOfValue), param);
    }

    /** The bytes of {@code data:[<media type>][;base64],<data>}; only base64 data URLs carry binary images. */
    private static byte[] dataUrlBytes(String url, String param) {
        int comma = url.indexOf(',');
        if (comma < 0 || !url.substring(0, comma).endsWith(";base64")) {
            throw ApiException.badRequest(param, "'" + param + "' is not a base64 data URL"
                    + " (data:image/png;base64,...)");
        }
        return base64(url.substring(comma + 1), param);
    }

    private static byte[] base64(String encoded, String param) {
        try {
            // Strict, but line breaks (as some encoders wrap base64) are not an error.
            return Base64.getDecoder().decode(encoded.replaceAll("\\s+", ""));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(param, "'" + param + "' is not valid base64: " + e.getMessage());
        }
    }
}
