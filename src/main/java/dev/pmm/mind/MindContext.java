package dev.pmm.mind;

import java.util.List;
import java.util.Map;

/**
 * Everything a turn or a reflection knows about the mind, built once from the caches and never
 * changed: the request cache of the architecture. Nothing that holds one reads storage again.
 *
 * @param name             the adopted name, or null
 * @param traits           the five traits, 0..1
 * @param openCommitments  open commitments, oldest first
 * @param recent           the last conversation events, oldest first
 * @param recalled         memories recalled for this turn, most similar first
 * @param userText         the user's message this turn answers (null for a reflection)
 */
public record MindContext(String name, Map<String, Double> traits, List<Commitment> openCommitments,
                          double ias, double gas, String stage, long ticks, List<Exchange> recent,
                          List<Recalled> recalled, String userText) {

  public record Commitment(String cid, String text, long openedTick) {}

  /** One conversation event: kind is user_message, assistant_message or reflection. */
  public record Exchange(long eventId, String kind, String text) {}

  public record Recalled(long eventId, String kind, String text, double score) {}
}
