package dev.pmm.web;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Turns started per client within the last minute, as a sliding window, whichever way the client
 * came (REST, /ws, the bridge; any number of connections); 0 turns a minute means no limit.
 */
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

  /** Drops the clients with no turn in the window, so that the map holds only recent clients. */
  void sweep() {
    long now = clockMs.getAsLong();
    starts.values().removeIf(recent -> recent.isEmpty() || now - recent.peekLast() >= WINDOW_MS);
  }
}
