package dev.pmm.metrics;

/**
 * What {@link StageTracker#infer()} sees: the raw stage bucket of the telemetry window's means,
 * and how many telemetry pairs the window held (at most 10).
 */
public record StageReading(String stage, double iasMean, double gasMean, int count) {}
