package dev.pmm.memory;

import dev.pmm.mind.MindContext;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;

/**
 * The newest {@code window} embedded events and their vectors, searched by cosine. Its memory is
 * bounded by the window, never by the ledger's length: adding past the window drops the oldest
 * event (by id, so a backlog embedded late still ranks by age). A search is a scan: a few thousand
 * vectors of a few hundred dimensions take well under a millisecond. Thread-safe.
 */
public final class RecallIndex {

  private record Entry(long eventId, String kind, String text, float[] vector, double norm) {}

  private record Scored(Entry entry, double score) {}

  /** Better first: higher score, then the newer event. */
  private static final Comparator<Scored> BETTER_FIRST =
      Comparator.comparingDouble(Scored::score).reversed()
          .thenComparing(Comparator.comparingLong((Scored s) -> s.entry().eventId()).reversed());

  private final int window;
  private final TreeMap<Long, Entry> entries = new TreeMap<>();

  public RecallIndex(int window) {
    if (window < 1) {
      throw new IllegalArgumentException("window must be at least 1");
    }
    this.window = window;
  }

  /**
   * Adds (or replaces) an event. An event older than every event of a full window is not kept.
   *
   * @return whether it is in the index now
   */
  public synchronized boolean add(long eventId, String kind, String text, float[] vector) {
    if (entries.size() >= window && !entries.containsKey(eventId) && eventId < entries.firstKey()) {
      return false;
    }
    entries.put(eventId, new Entry(eventId, kind, text, vector, Vectors.norm(vector)));
    while (entries.size() > window) {
      entries.pollFirstEntry();
    }
    return true;
  }

  /**
   * The k events most similar to the query, most similar first; equal scores put the newer first.
   * Events in {@code exclude} (e.g. the message being answered) and events whose vector has another
   * dimension are passed over.
   */
  public synchronized List<MindContext.Recalled> topK(float[] query, int k, Set<Long> exclude) {
    if (k < 1 || entries.isEmpty()) {
      return List.of();
    }
    double queryNorm = Vectors.norm(query);
    // A min-heap of the best k so far: its head is the worst of them, replaced by anything better.
    PriorityQueue<Scored> best = new PriorityQueue<>(k + 1, BETTER_FIRST.reversed());
    for (Entry e : entries.values()) {
      if (e.vector().length != query.length || exclude.contains(e.eventId())) {
        continue;
      }
      double score = queryNorm == 0 || e.norm() == 0 ? 0 : Vectors.dot(query, e.vector()) / (queryNorm * e.norm());
      if (best.size() < k) {
        best.add(new Scored(e, score));
      } else {
        Scored worst = best.peek();
        if (score > worst.score() || (score == worst.score() && e.eventId() > worst.entry().eventId())) {
          best.poll();
          best.add(new Scored(e, score));
        }
      }
    }
    List<Scored> ranked = new ArrayList<>(best);
    ranked.sort(BETTER_FIRST);
    List<MindContext.Recalled> out = new ArrayList<>(ranked.size());
    for (Scored s : ranked) {
      Entry e = s.entry();
      out.add(new MindContext.Recalled(e.eventId(), e.kind(), e.text(), s.score()));
    }
    return Collections.unmodifiableList(out);
  }

  public synchronized boolean contains(long eventId) {
    return entries.containsKey(eventId);
  }

  public synchronized int size() {
    return entries.size();
  }

  public int window() {
    return window;
  }

  /** The newest event's id, 0 when empty. */
  public synchronized long newestId() {
    return entries.isEmpty() ? 0 : entries.lastKey();
  }
}
