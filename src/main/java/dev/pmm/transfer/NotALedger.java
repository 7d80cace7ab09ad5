package dev.pmm.transfer;

/**
 * A file that is not a PMM ledger; the message names the first bad position. Not final: a ledger
 * this server could not serve as it is ({@link UnservableSource}) is refused the same way, with
 * its own wording.
 */
public class NotALedger extends Exception {
  public NotALedger(String message) {
    super(message);
  }
}
