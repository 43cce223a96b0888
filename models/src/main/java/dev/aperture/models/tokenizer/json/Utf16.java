package dev.aperture.models.tokenizer.json;

/** UTF-16 hygiene for text that must behave like UTF-8. */
final class Utf16 {
    private Utf16() {
    }

    /**
     * Replaces every unpaired surrogate with U+FFFD, which is what encoding the string as UTF-8 with replacement
     * gives (Java's String.getBytes, Python's errors="replace"); the result has a valid UTF-8 encoding.
     */
    static String replaceLoneSurrogates(String text) {
        int i = 0;
        while (i < text.length() && !Character.isSurrogate(text.charAt(i))) {
            i++;
        }
        if (i == text.length()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length()).append(text, 0, i);
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                out.append(c).append(text.charAt(i + 1));
                i += 2;
            } else {
                out.append(Character.isSurrogate(c) ? '\uFFFD' : c);
                i++;
            }
        }
        return out.toString();
    }
}
