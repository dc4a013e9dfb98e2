package dev.modelc.diag;

import java.util.Collection;
import java.util.Optional;

/** "did you mean …?": the closest candidate by edit distance, when it is close enough to help. */
public final class Suggestions {
    private Suggestions() {}

    public static Optional<String> closest(String word, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(word, c);
            if (d < bestDistance || (d == bestDistance && best != null && c.compareTo(best) < 0)) {
                best = c;
                bestDistance = d;
            }
        }
        int allowed = Math.max(1, word.length() / 3);
        return best != null && bestDistance <= allowed && bestDistance > 0 ? Optional.of(best) : Optional.empty();
    }

    /** Names longer than this get no suggestion: nobody mistypes them, and the distance is quadratic. */
    private static final int MAX_LENGTH = 64;

    /** Optimal string alignment distance (a swap of neighbours is one edit), with cheap bounds so long strings stay fast. */
    static int distance(String a, String b) {
        if (Math.abs(a.length() - b.length()) > 3 || a.length() > MAX_LENGTH || b.length() > MAX_LENGTH) return 99;
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) d[i][0] = i;
        for (int j = 0; j <= b.length(); j++) d[0][j] = j;
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
