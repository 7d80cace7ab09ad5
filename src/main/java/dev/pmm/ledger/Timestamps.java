package dev.pmm.ledger;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/** Timestamps in the shape of Python's datetime.now(UTC).isoformat(). */
public final class Timestamps {
  private Timestamps() {}

  /** {@code 2025-10-04T12:00:00.123456+00:00}; the fraction is left out when it is zero, as Python does. */
  public static String isoformat(Instant instant) {
    LocalDateTime t = LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    int micros = t.getNano() / 1000;
    StringBuilder sb = new StringBuilder(32);
    pad(sb, t.getYear(), 4).append('-');
    pad(sb, t.getMonthValue(), 2).append('-');
    pad(sb, t.getDayOfMonth(), 2).append('T');
    pad(sb, t.getHour(), 2).append(':');
    pad(sb, t.getMinute(), 2).append(':');
    pad(sb, t.getSecond(), 2);
    if (micros != 0) {
      sb.append('.');
      pad(sb, micros, 6);
    }
    return sb.append("+00:00").toString();
  }

  private static StringBuilder pad(StringBuilder sb, int value, int width) {
    String s = Integer.toString(value);
    for (int i = s.length(); i < width; i++) {
      sb.append('0');
    }
    return sb.append(s);
  }
}
