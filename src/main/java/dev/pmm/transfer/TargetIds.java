package dev.pmm.transfer;

import java.util.Locale;

/**
 * The ids a source's events get in this server's ledger. Without renumbering they keep their own,
 * which must then run 1, 2, 3, ... without a gap: the server appends after the last id, and its
 * verify reports a gap as a break, which stops appends. With renumbering they are numbered 1..N in
 * source order and each keeps its source id in meta under {@link #SOURCE_ID_KEY}. Either way one
 * import takes at most {@link #MAX_EVENTS} events. Ids arrive strictly increasing and within
 * 1..{@link #MAX_ID}: {@link LedgerSource#row} refuses anything else before they get here.
 */
final class TargetIds {

  /**
   * 2^53 - 1, the largest integer a JSON number keeps exactly in every reader (those that read
   * numbers as IEEE doubles: the page's JavaScript, jq). Ids travel as JSON numbers, and a source id
   * kept in meta is one; a ledger of gapless ids never comes near it (2^53 events).
   */
  static final long MAX_ID = (1L << 53) - 1;

  /** The most events one import takes: 100 times the largest ledger measured here, so that no source can make it run for ever. */
  static final long MAX_EVENTS = 100_000_000L;

  static final String SOURCE_ID_KEY = "source_id";

  private final boolean renumber;
  private final long maxEvents;
  private long events;
  private long previousSourceId;

  TargetIds(boolean renumber) {
    this(renumber, MAX_EVENTS);
  }

  TargetIds(boolean renumber, long maxEvents) {
    this.renumber = renumber;
    this.maxEvents = maxEvents;
  }

  /** The id the next row is stored under; refuses a row this server could not serve. */
  long next(SourceRow row) throws UnservableSource {
    if (events == maxEvents) {
      throw new UnservableSource(row.position() + ": more than " + String.format(Locale.ROOT, "%,d", maxEvents)
          + " events, the most one import takes");
    }
    if (renumber) {
      if (row.meta().containsKey(SOURCE_ID_KEY)) {
        throw new UnservableSource(row.position() + ": meta already has a \"" + SOURCE_ID_KEY
            + "\"; --renumber keeps each event's source id there and will not overwrite one");
      }
    } else if (row.id() != previousSourceId + 1) {
      throw new UnservableSource(row.position() + ": event ids must run 1, 2, 3, ... without gaps: "
          + (events == 0 ? "the first id is " + row.id() : "after id " + previousSourceId + " comes id " + row.id())
          + "; use --renumber to number them from 1");
    }
    previousSourceId = row.id();
    return ++events;
  }

  /**
   * {@code metaText} with {@code "source_id": sourceId} as its first key, the rest of the text kept
   * byte for byte. The text must hold a JSON object without that key (checked by {@link #next}).
   */
  static String metaWithSourceId(String metaText, long sourceId) {
    // Only whitespace may come before the object, so the first brace is its own.
    int open = metaText.indexOf('{');
    String rest = metaText.substring(open + 1);
    String entry = "\"" + SOURCE_ID_KEY + "\": " + sourceId;
    return metaText.substring(0, open + 1) + entry + (rest.strip().equals("}") ? "" : ", ") + rest;
  }

  static String pastMaxId(Object id) {
    return "id " + id + " is past the largest id this server serves, " + MAX_ID
        + " (2^53 - 1, the largest integer a JSON number keeps exactly)";
  }
}
