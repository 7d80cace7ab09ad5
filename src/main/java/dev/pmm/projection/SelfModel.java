package dev.pmm.projection;

import static dev.pmm.ledger.Py.truthy;

import dev.pmm.ledger.Event;
import dev.pmm.ledger.Py;
import dev.pmm.ledger.StateReader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The self-model: identity, Big Five traits and commitments, folded event by event as the
 * original's non-strict {@code build_self_model} does (reference §3.1), plus a few counters the
 * original lacks. Mutable and not thread-safe: one owner applies events and reads it.
 *
 * <p>Two models are equal in state iff their {@link #toState()} maps are equal.
 */
public final class SelfModel {
  public static final int DEFAULT_EXPIRED_LIMIT = 100;
  public static final List<String> TRAITS =
      List.of("openness", "conscientiousness", "extraversion", "agreeableness", "neuroticism");

  private static final long SCHEMA = 1;
  // The keys toState writes: fromState accepts exactly these.
  private static final String[] STATE_KEYS = {"schema", "name", "traits", "open", "expired",
      "expired_limit", "done_evidence", "closed_count", "expired_count", "closes_without_evidence",
      "ticks", "events_folded", "last_event_id"};
  private static final String[] OPEN_KEYS = {"cid", "opened_at", "opened_tick", "snoozed_until",
      "meta"};
  private static final String[] EXPIRED_KEYS = {"cid", "text", "expired_at", "reason"};
  private static final Map<String, String> TRAIT_KEYS = Map.of(
      "o", "openness", "openness", "openness",
      "c", "conscientiousness", "conscientiousness", "conscientiousness",
      "e", "extraversion", "extraversion", "extraversion",
      "a", "agreeableness", "agreeableness", "agreeableness",
      "n", "neuroticism", "neuroticism", "neuroticism");
  private static final int NAME_PREFIX_LENGTH = "name changed to:".length();

  private final int expiredLimit;
  private Object name;
  private final Map<String, Double> traits = new LinkedHashMap<>();
  // Keyed by Py.dictKey(cid) so ids compare as Python dict keys do; insertion-ordered like a
  // Python dict (overwriting keeps the position, delete-and-re-add moves to the end).
  private final Map<Object, OpenCommitment> open = new LinkedHashMap<>();
  private final Map<Object, ExpiredCommitment> expired = new LinkedHashMap<>();
  // Only ("done") evidence is ever consulted, so only its cid keys are kept.
  private final Set<Object> doneEvidence = new LinkedHashSet<>();
  private long closedCount;
  private long expiredCount;
  private long closesWithoutEvidence;
  private long ticks;
  private long eventsFolded;
  private long lastEventId;

  public SelfModel() {
    this(DEFAULT_EXPIRED_LIMIT);
  }

  /** @param expiredLimit how many expired commitments to keep (the newest); may be 0 */
  public SelfModel(int expiredLimit) {
    if (expiredLimit < 0) {
      throw new IllegalArgumentException("expiredLimit must be >= 0, was " + expiredLimit);
    }
    this.expiredLimit = expiredLimit;
    for (String t : TRAITS) {
      traits.put(t, 0.5);
    }
  }

  public static SelfModel foldAll(Iterable<Event> events) {
    SelfModel model = new SelfModel();
    for (Event e : events) {
      model.apply(e);
    }
    return model;
  }

  /** Folds one event; kinds the projection does not know are counted and otherwise ignored. */
  public void apply(Event e) {
    Map<String, Object> meta = e.meta() == null ? Map.of() : e.meta();
    switch (e.kind() == null ? "" : e.kind()) {
      case "identity_change" -> identityChange(meta, e.content());
      case "identity_adopt" -> identityAdopt(meta, e.content());
      case "identity_clear" -> name = null;
      case "trait_update" -> traitUpdate(meta);
      case "commitment_open" -> commitmentOpen(e.id(), meta);
      case "evidence_candidate" -> evidenceCandidate(meta);
      case "commitment_close" -> commitmentClose(meta);
      case "commitment_expire" -> commitmentExpire(e.id(), meta);
      case "commitment_snooze" -> commitmentSnooze(meta);
      case "autonomy_tick" -> ticks++;
      default -> { }
    }
    eventsFolded++;
    lastEventId = e.id();
  }

  // ---------------------------------------------------------------------------------- identity

  private void identityChange(Map<String, Object> meta, String content) {
    Object n = meta.get("name"); // no type check in the original: any truthy JSON value is a name
    if (!truthy(n)) {
      n = nameFromChangeContent(content);
    }
    if (truthy(n)) {
      name = n;
    }
  }

  /** "Name changed to: Bob" (prefix case-insensitive) gives "Bob"; anything else null. */
  private static String nameFromChangeContent(String content) {
    if (content == null) {
      return null;
    }
    String s = Py.strip(content);
    if (s.length() < NAME_PREFIX_LENGTH) {
      return null;
    }
    for (int i = 0; i < NAME_PREFIX_LENGTH; i++) {
      // per char lower-casing equals Python's s.lower().startswith(...) for this ASCII prefix
      if (Character.toLowerCase(s.charAt(i)) != "name changed to:".charAt(i)) {
        return null;
      }
    }
    String rest = Py.strip(s.substring(NAME_PREFIX_LENGTH));
    return rest.isEmpty() ? null : rest;
  }

  private void identityAdopt(Map<String, Object> meta, String content) {
    Object n = meta.get("name"); // meta.name or content or None
    if (!truthy(n)) {
      n = truthy(content) ? content : null;
    }
    if (n instanceof String s) { // a truthy non-string name is ignored, content is not consulted
      String stripped = Py.strip(s);
      name = stripped.isEmpty() ? null : stripped; // QUIRK kept: a blank name clears the name
    }
  }

  // ------------------------------------------------------------------------------------ traits

  private void traitUpdate(Map<String, Object> meta) {
    Object delta = meta.get("delta");
    String trait = traitName(meta.get("trait"));
    if (delta instanceof Map<?, ?> deltas && trait.isEmpty()) {
      for (Map.Entry<?, ?> d : deltas.entrySet()) {
        // the original lower-cases these keys without stripping them (unlike meta.trait)
        String key = TRAIT_KEYS.get(String.valueOf(d.getKey()).toLowerCase(Locale.ROOT));
        if (key != null) {
          nudge(key, Py.floatOrZero(d.getValue()));
        }
      }
    } else {
      String key = TRAIT_KEYS.get(trait); // meta.changes is never read, as in the original
      if (key != null) {
        nudge(key, Py.floatOrZero(delta));
      }
    }
  }

  /** {@code str(trait or "").strip().lower()}. */
  private static String traitName(Object trait) {
    return Py.strip(Py.str(Py.or(trait, ""))).toLowerCase(Locale.ROOT);
  }

  private void nudge(String trait, double delta) {
    traits.put(trait, Py.clamp01(traits.get(trait) + delta));
  }

  // ------------------------------------------------------------------------------- commitments

  /** The dict key of a truthy, hashable cid; null where the original skips (or crashes on) it. */
  private static Object commitmentKey(Object cid) {
    return truthy(cid) ? Py.dictKey(cid) : null;
  }

  private void commitmentOpen(long eventId, Map<String, Object> meta) {
    Object cid = meta.get("cid");
    Object key = commitmentKey(cid);
    Object text = meta.get("text");
    if (key == null || text == null) {
      return;
    }
    OpenCommitment old = open.get(key);
    // a Python dict keeps the key object it was first given; a re-open replaces the whole entry
    open.put(key, new OpenCommitment(old == null ? cid : old.cid(), text, eventId, ticks, null, meta));
  }

  private void evidenceCandidate(Map<String, Object> meta) {
    Object type = meta.get("evidence_type");
    if (truthy(type) && !(type instanceof String)) {
      return; // the original raises here (no .strip() on a non-string) and the fold dies
    }
    String t = truthy(type) ? Py.strip((String) type).toLowerCase(Locale.ROOT) : "done";
    Object key = commitmentKey(meta.get("cid"));
    if (key != null && t.equals("done")) {
      doneEvidence.add(key);
    }
  }

  private void commitmentClose(Map<String, Object> meta) {
    Object key = commitmentKey(meta.get("cid"));
    if (key == null || open.remove(key) == null) {
      return;
    }
    closedCount++;
    // the original only warns (through an on_warn hook nobody passes); we count instead
    if (!doneEvidence.remove(key)) {
      closesWithoutEvidence++;
    }
  }

  private void commitmentExpire(long eventId, Map<String, Object> meta) {
    Object cid = meta.get("cid");
    Object key = commitmentKey(cid);
    OpenCommitment gone = key == null ? null : open.remove(key);
    if (gone == null) {
      return;
    }
    doneEvidence.remove(key);
    expiredCount++;
    Object reason = truthy(meta.get("reason")) ? meta.get("reason") : "timeout";
    ExpiredCommitment old = expired.get(key);
    expired.put(key, new ExpiredCommitment(old == null ? cid : old.cid(), gone.text(), eventId, reason));
    // bounded by configuration rather than ledger length: drop the entries first expired earliest
    Iterator<Object> oldest = expired.keySet().iterator();
    for (int excess = expired.size() - expiredLimit; excess > 0; excess--) {
      oldest.next();
      oldest.remove();
    }
  }

  private void commitmentSnooze(Map<String, Object> meta) {
    Object key = commitmentKey(meta.get("cid"));
    OpenCommitment c = key == null ? null : open.get(key);
    if (c != null) {
      Object until = meta.get("until_tick");
      open.put(key, c.withSnoozedUntil(truthy(until) ? Py.intOrZero(until) : 0));
    }
  }

  // --------------------------------------------------------------------------------- snapshot

  /** The name: a String, or (from identity_change's unchecked meta.name) any JSON value; or null. */
  public Object name() {
    return name;
  }

  /** All five traits in the fixed order of {@link #TRAITS}. */
  public Map<String, Double> traits() {
    return Collections.unmodifiableMap(new LinkedHashMap<>(traits));
  }

  /** Open commitments in Python dict order. */
  public List<OpenCommitment> open() {
    return List.copyOf(open.values());
  }

  /** The newest {@code expiredLimit} expired commitments, oldest first, one per cid. */
  public List<ExpiredCommitment> expired() {
    return List.copyOf(expired.values());
  }

  public int expiredLimit() {
    return expiredLimit;
  }

  /** commitment_close events that closed an open commitment. */
  public long closedCount() {
    return closedCount;
  }

  /** commitment_expire events that expired an open commitment (including ones no longer kept). */
  public long expiredCount() {
    return expiredCount;
  }

  /** Closes of an open commitment with no "done" evidence since it was last closed or expired. */
  public long closesWithoutEvidence() {
    return closesWithoutEvidence;
  }

  /** autonomy_tick events folded. */
  public long ticks() {
    return ticks;
  }

  /** Events folded, of any kind. */
  public long eventsFolded() {
    return eventsFolded;
  }

  /** Id of the last event folded; 0 before any. */
  public long lastEventId() {
    return lastEventId;
  }

  // ------------------------------------------------------------------------------ checkpoints

  /**
   * The whole fold state as plain JSON values (LinkedHashMap with String keys, ArrayList, String,
   * Long, Double, Boolean, null, and meta values as the events carried them). Cid-keyed maps are
   * lists of entries because cids need not be strings. Values inside a meta are shared, not
   * copied: they are immutable by the Event contract.
   */
  public Map<String, Object> toState() {
    Map<String, Object> state = new LinkedHashMap<>();
    state.put("schema", SCHEMA);
    state.put("name", name);
    state.put("traits", new LinkedHashMap<>(traits));
    List<Object> openList = new ArrayList<>(open.size());
    for (OpenCommitment c : open.values()) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("cid", c.cid());
      entry.put("opened_at", c.openedAt());
      entry.put("opened_tick", c.openedTick());
      entry.put("snoozed_until", c.snoozedUntil());
      entry.put("meta", new LinkedHashMap<>(c.meta())); // text is meta.text, so not stored twice
      openList.add(entry);
    }
    state.put("open", openList);
    List<Object> expiredList = new ArrayList<>(expired.size());
    for (ExpiredCommitment c : expired.values()) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("cid", c.cid());
      entry.put("text", c.text());
      entry.put("expired_at", c.expiredAt());
      entry.put("reason", c.reason());
      expiredList.add(entry);
    }
    state.put("expired", expiredList);
    state.put("expired_limit", (long) expiredLimit);
    state.put("done_evidence", new ArrayList<>(doneEvidence));
    state.put("closed_count", closedCount);
    state.put("expired_count", expiredCount);
    state.put("closes_without_evidence", closesWithoutEvidence);
    state.put("ticks", ticks);
    state.put("events_folded", eventsFolded);
    state.put("last_event_id", lastEventId);
    return state;
  }

  /**
   * The model {@link #toState()} described; folding on from it gives what folding the whole ledger
   * would. The state's values are copied, not shared.
   *
   * @throws IllegalArgumentException for an unknown schema or a malformed state, naming the part
   */
  public static SelfModel fromState(Map<String, Object> state) {
    StateReader s = StateReader.of(state, "state");
    // The schema first: a state of another schema is reported as that, not by its first odd key.
    long schema = s.field("schema").integer();
    if (schema != SCHEMA) {
      throw new IllegalArgumentException(
          "unknown projection state schema " + schema + " (this build reads schema " + SCHEMA + ")");
    }
    s.object(STATE_KEYS);
    StateReader limitField = s.field("expired_limit");
    long limit = limitField.count();
    if (limit > Integer.MAX_VALUE) {
      throw limitField.malformed("is too large: " + limit);
    }
    SelfModel m = new SelfModel((int) limit);
    m.name = s.field("name").json();
    StateReader traits = s.field("traits").object(TRAITS.toArray(String[]::new));
    for (String t : TRAITS) {
      StateReader trait = traits.field(t);
      double v = trait.number();
      if (!(v >= 0.0 && v <= 1.0)) {
        throw trait.malformed("is outside [0, 1]: " + v);
      }
      m.traits.put(t, v);
    }
    for (StateReader r : s.field("open").items()) {
      r.object(OPEN_KEYS);
      StateReader cid = r.field("cid");
      StateReader metaField = r.field("meta");
      Map<String, Object> meta = metaField.jsonObject();
      if (meta.get("text") == null) {
        throw metaField.malformed("has no text");
      }
      OpenCommitment c = new OpenCommitment(cid.json(), meta.get("text"),
          r.field("opened_at").integer(), r.field("opened_tick").count(),
          r.field("snoozed_until").orNull(StateReader::integer), meta);
      putNew(m.open, c.cid(), c, cid);
    }
    StateReader expiredField = s.field("expired");
    List<StateReader> expiredList = expiredField.items();
    if (expiredList.size() > limit) {
      throw expiredField.malformed("holds " + expiredList.size() + " entries, over expired_limit");
    }
    for (StateReader r : expiredList) {
      r.object(EXPIRED_KEYS);
      StateReader cid = r.field("cid");
      ExpiredCommitment c = new ExpiredCommitment(cid.json(), r.field("text").json(),
          r.field("expired_at").integer(), r.field("reason").json());
      putNew(m.expired, c.cid(), c, cid);
    }
    for (StateReader evidence : s.field("done_evidence").items()) {
      Object cid = evidence.json();
      Object key = commitmentKey(cid);
      if (key == null || !m.doneEvidence.add(key)) {
        throw evidence.malformed("is not a new commitment id: " + cid);
      }
    }
    m.closedCount = s.field("closed_count").count();
    m.expiredCount = s.field("expired_count").count();
    m.closesWithoutEvidence = s.field("closes_without_evidence").count();
    m.ticks = s.field("ticks").count();
    m.eventsFolded = s.field("events_folded").count();
    m.lastEventId = s.field("last_event_id").integer();
    return m;
  }

  private static <V> void putNew(Map<Object, V> map, Object cid, V value, StateReader at) {
    Object key = commitmentKey(cid);
    if (key == null) {
      throw at.malformed("is not a usable commitment id: " + cid);
    }
    if (map.putIfAbsent(key, value) != null) {
      throw at.malformed("repeats commitment id " + cid);
    }
  }
}
