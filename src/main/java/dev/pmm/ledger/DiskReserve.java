package dev.pmm.ledger;

import dev.pmm.config.ConfigKeys;

import java.nio.file.Path;

/**
 * Keeps the ledger from meeting a full disk: a write is refused when it would leave less than the
 * reserve free, before HSQLDB is asked to write anything. The free space is read now and then (a
 * statfs off the event loop); in between, what the ledger wrote is subtracted by estimate.
 */
public final class DiskReserve {
  private final Path dir;
  private final long reserveBytes;
  private long usable = -1;
  private long writtenAtReading;
  private long written;

  public DiskReserve(Path dir, long reserveBytes) {
    this.dir = dir;
    this.reserveBytes = reserveBytes;
  }

  /**
   * A generous estimate of what HSQLDB writes for rows holding this many characters: its log holds
   * them as SQL text (quotes doubled, non-ASCII escaped), its data file as rows; ASCII takes about
   * two bytes a character in all.
   */
  public static long estimate(long chars, int rows) {
    return 4 * chars + 1024L * rows;
  }

  public boolean enabled() {
    return reserveBytes > 0;
  }

  /** A reading of the free space, taken when {@link #written()} was {@code writtenWhenTaken}. */
  public void reading(long usableBytes, long writtenWhenTaken) {
    usable = usableBytes;
    writtenAtReading = writtenWhenTaken;
  }

  public long written() {
    return written;
  }

  public void wrote(long bytes) {
    written += bytes;
  }

  /** The estimated free bytes now, or -1 before the first reading. */
  public long free() {
    return usable < 0 ? -1 : Math.max(0, usable - (written - writtenAtReading));
  }

  /** Why a write of about {@code bytes} is refused, or null when there is room. */
  public String refusal(long bytes) {
    if (!enabled() || usable < 0 || free() - bytes >= reserveBytes) {
      return null;
    }
    // Clients see this: the directory's name, not where it lives on the server.
    return "the disk holding the data dir \"" + dir.getFileName() + "\" is full: " + mb(free()) + " MB free, under the " + mb(reserveBytes)
        + " MB the ledger keeps in reserve (" + ConfigKeys.LEDGER_DISK_RESERVE_MB + "); writes are refused until space is "
        + "freed on that disk, then they resume by themselves";
  }

  private static String mb(long bytes) {
    return String.format(java.util.Locale.ROOT, "%.1f", bytes / (1024.0 * 1024.0));
  }
}
