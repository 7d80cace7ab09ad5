package dev.pmm.transfer;

/**
 * A source that is a PMM ledger but that this server would not serve as it is: its ids have a gap
 * or do not start at 1 (unless renumbered), an id is past {@link TargetIds#MAX_ID}, or it holds
 * more events than one import takes. The message names the first such event.
 */
public final class UnservableSource extends NotALedger {
  public UnservableSource(String message) {
    super(message);
  }
}
