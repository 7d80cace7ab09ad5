package dev.pmm.model;

/**
 * A reply that did not complete. {@code reason} is a short machine-readable code ("cancelled",
 * "timeout", "connect", "http_429", "http_500", "malformed_chunk", "empty_reply", ...) that ends up
 * in the ledger's turn_failed / turn_aborted events; the message says it for a person.
 */
public class ModelException extends RuntimeException {

  private final String reason;

  public ModelException(String reason, String message) {
    super(message);
    this.reason = reason;
  }

  public ModelException(String reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public String reason() {
    return reason;
  }
}
