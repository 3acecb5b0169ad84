package dev.svcaccounts.command.credential;

import java.util.HashMap;
import java.util.Map;

/**
 * A rough, conservative estimate of how many bits of a chosen {@code OPERATOR_TOKEN} an attacker would have to
 * guess: the empirical entropy per character of the token itself, counted only over the characters that do not
 * continue a run or a sequence ({@code aaaa}, {@code abcd}, {@code 4321}) or repeat an earlier stretch of four
 * characters or more ({@code passwordpassword}). Random strings score close to their real entropy (the output of
 * {@code openssl rand -hex 32}: about 240 bits; of {@code -hex 16}: 90 to 130); repeated words and patterns score
 * low. It knows no dictionary: it catches the lazy, not the clever.
 */
final class OperatorTokenStrength {

    /** The start refuses an OPERATOR_TOKEN that scores lower. */
    static final int MIN_BITS = 80;
    private static final int REPEAT_LENGTH = 4;

    private OperatorTokenStrength() {
    }

    static double estimatedBits(String token) {
        int[] codePoints = token.codePoints().toArray();
        int n = codePoints.length;
        if (n == 0) {
            return 0;
        }
        boolean[] predictable = new boolean[n];
        markRunsAndSequences(codePoints, predictable);
        markRepeats(codePoints, predictable);
        int surprising = 0;
        for (boolean p : predictable) {
            surprising += p ? 0 : 1;
        }
        return surprising * bitsPerCharacter(codePoints);
    }

    /** A character that continues a step of -1, 0 or +1 from the two before it is no surprise. */
    private static void markRunsAndSequences(int[] c, boolean[] predictable) {
        for (int i = 2; i < c.length; i++) {
            int step = c[i] - c[i - 1];
            if (Math.abs(step) <= 1 && step == c[i - 1] - c[i - 2]) {
                predictable[i] = true;
            }
        }
    }

    /** A stretch of {@value #REPEAT_LENGTH} or more that occurred before is no surprise after its first character. */
    private static void markRepeats(int[] c, boolean[] predictable) {
        String text = new String(c, 0, c.length);
        for (int i = 1; i + REPEAT_LENGTH <= c.length; i++) {
            String stretch = new String(c, i, REPEAT_LENGTH);
            int earlier = text.indexOf(stretch);
            if (earlier >= 0 && earlier < text.offsetByCodePoints(0, i)) {
                for (int j = i + 1; j < i + REPEAT_LENGTH; j++) {
                    predictable[j] = true;
                }
            }
        }
    }

    /** Shannon entropy of the token's own character frequencies. */
    private static double bitsPerCharacter(int[] c) {
        Map<Integer, Integer> frequencies = new HashMap<>();
        for (int codePoint : c) {
            frequencies.merge(codePoint, 1, Integer::sum);
        }
        double bits = 0;
        for (int count : frequencies.values()) {
            double p = (double) count / c.length;
            bits -= p * Math.log(p) / Math.log(2);
        }
        return bits;
    }
}
