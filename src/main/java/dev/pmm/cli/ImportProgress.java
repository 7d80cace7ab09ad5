package dev.pmm.cli;

import java.io.PrintStream;
import java.util.function.LongConsumer;

/** A progress bar on stderr, drawn only when stderr is a terminal (System.console() != null). */
final class ImportProgress implements LongConsumer {
  private static final int WIDTH = 30;

  private final PrintStream err;
  private final long total;
  private final boolean enabled;
  private boolean drawn;

  ImportProgress(PrintStream err, long total) {
    this.err = err;
    this.total = Math.max(1, total);
    this.enabled = System.console() != null && err == System.err;
  }

  @Override
  public void accept(long done) {
    if (!enabled) {
      return;
    }
    int filled = (int) Math.min(WIDTH, done * WIDTH / total);
    err.print("\rimporting [" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] " + done + "/" + total);
    err.flush();
    drawn = true;
  }

  void done() {
    if (drawn) {
      err.println();
      drawn = false;
    }
  }
}
