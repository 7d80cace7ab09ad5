package dev.pmm.projection;

/**
 * One expired commitment, as the original's {@code commitments.expired[cid]}.
 *
 * @param cid       the commitment id as first written
 * @param text      the open commitment's text
 * @param expiredAt id of the commitment_expire event (an event id, not a time, as in the original)
 * @param reason    {@code meta.reason} if truthy (any JSON value), else "timeout"
 */
public record ExpiredCommitment(Object cid, Object text, long expiredAt, Object reason) {}
