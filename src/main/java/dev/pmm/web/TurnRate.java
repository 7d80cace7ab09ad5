package dev.pmm.web;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/** Turns started per key within the last minute, as a sliding window; 0 turns a minute means no limit. */
final class TurnRate {

  private static final long WINDOW_MS = 60_000;

  private final int perMinute;
  private final LongSupplier clockMs;
  private final Map<String, ArrayDeque<Long>> starts = new HashMap<>();

  TurnRate(int perMinute, LongSupplier clockMs) {
    this.perMinute = perMinute;
    this.clockMs = clockMs;
  }

  int perMinute() {
    return perMinute;
  }

  /** Counts a turn for the key, unless the key has had its turns this minute. */
  boolean allow(String key) {
    if (perMinute <= 0) {
      return true;
    }
    long now = clockMs.getAsLong();
    ArrayDeque<Long> recent = starts.computeIfAbsent(key, k -> new ArrayDeque<>());
    while (!recent.isEmpty() && now - recent.peekFirst() >= WINDOW_MS) {
      recent.pollFirst();
    }
    if (recent.size() >= perMinute) {
      return false;
    }
    recent.addLast(now);
    return true;
  }

  void forget(String key) {
    starts.remove(key);
  }
}
