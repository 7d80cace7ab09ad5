package dev.pmm.transfer;

/** A file that is not a PMM ledger; the message names the first bad position. */
public final class NotALedger extends Exception {
  public NotALedger(String message) {
    super(message);
  }
}
