package dev.svcaccounts.bench;

import java.util.List;

/**
 * Whether one per-minute series of the soak is flat, in figures and no threshold: the mean of its first
 * {@code window} minutes against the mean of its last {@code window} minutes (5 in a 30-minute run, a third of a
 * shorter one), and the least-squares slope over every minute, scaled to an hour. Minutes without a value (NaN: a
 * scrape that failed) are left out of both.
 *
 * @param minutes     minutes with a value
 * @param window      minutes in each of the first and last windows
 * @param first       mean of the first window
 * @param last        mean of the last window
 * @param slopePerHour least-squares slope, value units per hour
 */
record SeriesTrend(int minutes, int window, double first, double last, double slopePerHour, double min,
                   double max) {

    static final int WINDOW_MINUTES = 5;

    /** {@code values}: one a minute, in order (minute 1 first). */
    static SeriesTrend of(List<Double> values) {
        int n = values.size();
        int window = Math.max(1, Math.min(WINDOW_MINUTES, n / 3));
        double first = mean(values.subList(0, Math.min(window, n)));
        double last = mean(values.subList(Math.max(0, n - window), n));
        double sumX = 0;
        double sumY = 0;
        double sumXx = 0;
        double sumXy = 0;
        double min = Double.NaN;
        double max = Double.NaN;
        int counted = 0;
        for (int i = 0; i < n; i++) {
            double y = values.get(i);
            if (Double.isNaN(y)) {
                continue;
            }
            double x = i + 1;
            sumX += x;
            sumY += y;
            sumXx += x * x;
            sumXy += x * y;
            min = Double.isNaN(min) ? y : Math.min(min, y);
            max = Double.isNaN(max) ? y : Math.max(max, y);
            counted++;
        }
        double denominator = counted * sumXx - sumX * sumX;
        double slopePerMinute = counted < 2 || denominator == 0 ? Double.NaN
                : (counted * sumXy - sumX * sumY) / denominator;
        return new SeriesTrend(counted, window, first, last, slopePerMinute * 60, min, max);
    }

    /** Last window's mean minus the first's. */
    double change() {
        return last - first;
    }

    /** {@link #change()} over the first window's mean, in per cent; NaN when that mean is 0. */
    double changePercent() {
        return first == 0 ? Double.NaN : 100 * change() / Math.abs(first);
    }

    private static double mean(List<Double> values) {
        double sum = 0;
        int n = 0;
        for (double v : values) {
            if (!Double.isNaN(v)) {
                sum += v;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }
}
