package dev.modelc.diag;

import java.util.Arrays;

/** The text of one source file and where its lines start, so spans can print locations. */
public final class Source {
    private final String displayName;
    private final String text;
    private final int[] lineStarts;
    /** char offset of each code point, or null when the text has no surrogate pairs (the usual case). */
    private final int[] codePointOffsets;

    public Source(String displayName, String text) {
        this.displayName = displayName;
        this.text = text;
        int[] starts = new int[16];
        int n = 0;
        starts[n++] = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                if (n == starts.length) starts = Arrays.copyOf(starts, n * 2);
                starts[n++] = i + 1;
            }
        }
        this.lineStarts = Arrays.copyOf(starts, n);
        this.codePointOffsets = text.codePointCount(0, text.length()) == text.length()
                ? null : text.codePoints().map(cp -> 0).toArray();
        if (codePointOffsets != null) {
            for (int i = 0, off = 0; i < codePointOffsets.length; i++) {
                codePointOffsets[i] = off;
                off += Character.charCount(text.codePointAt(off));
            }
        }
    }

    /** The char offset of a code-point index (ANTLR counts code points; Java strings count chars). */
    public int charOffset(int codePointIndex) {
        if (codePointOffsets == null || codePointIndex < 0) return codePointIndex;
        return codePointIndex >= codePointOffsets.length ? text.length() : codePointOffsets[codePointIndex];
    }

    public String displayName() { return displayName; }

    public String text() { return text; }

    public int lineCount() { return lineStarts.length; }

    /** 1-based line and column of a 0-based offset (columns count UTF-16 units, tabs as one). */
    public int[] lineColumn(int offset) {
        offset = Math.max(0, Math.min(offset, text.length()));
        int i = Arrays.binarySearch(lineStarts, offset);
        int line = i >= 0 ? i : -i - 2;
        return new int[] {line + 1, offset - lineStarts[line] + 1};
    }

    /** The text of a 1-based line, without its line break. */
    public String line(int line) {
        if (line < 1 || line > lineStarts.length) return "";
        int s = lineStarts[line - 1];
        int e = line < lineStarts.length ? lineStarts[line] - 1 : text.length();
        if (e > s && text.charAt(e - 1) == '\r') e--;
        return text.substring(s, Math.max(s, e));
    }

    public int offsetOf(int line, int column) {
        if (line < 1) return 0;
        if (line > lineStarts.length) return text.length();
        return Math.min(text.length(), lineStarts[line - 1] + Math.max(0, column - 1));
    }

    @Override
    public String toString() { return displayName; }
}
