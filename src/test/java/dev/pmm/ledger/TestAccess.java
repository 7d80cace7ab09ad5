package dev.pmm.ledger;

/** Lets tests in other packages compute what the ledger computes. */
public final class TestAccess {
  private TestAccess() {}

  public static String sha256(String text) {
    return LedgerVerticle.sha256(text);
  }
}
