package registry.history;

import java.time.Instant;

/**
 * One change, as the history keeps it. {@code changes} is JSON: every field's value for a create
 * or delete (a delete also lists the rows removed with it), {@code {"field":[before, after]}} for
 * each field an update changed. {@code importId} names the import that made the change, if one did.
 */
public record Entry(long id, Instant at, String actor, String via, String action, String kind, long recordId, String label,
                    String changes, String importId) {}
