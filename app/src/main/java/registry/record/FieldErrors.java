package registry.record;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Messages by field name, in the order the form declares its fields; the {@code errors} of a 422. */
public final class FieldErrors {
    private final Map<String, List<String>> messages = new LinkedHashMap<>();

    public static FieldErrors of(String field, String message) {
        return new FieldErrors().add(field, message);
    }

    public FieldErrors add(String field, String message) {
        List<String> list = messages.computeIfAbsent(field, f -> new ArrayList<>());
        if (!list.contains(message)) {
            list.add(message);
        }
        return this;
    }

    /** Adds {@code other}'s messages, except for fields that already have one here. */
    public FieldErrors addMissing(FieldErrors other) {
        other.messages.forEach((field, list) -> {
            if (!messages.containsKey(field)) {
                list.forEach(message -> add(field, message));
            }
        });
        return this;
    }

    public boolean isEmpty() {
        return messages.isEmpty();
    }

    public boolean has(String field) {
        return messages.containsKey(field);
    }

    /** The messages of {@code field}, empty when it has none (templates call this). */
    public List<String> of(String field) {
        return messages.getOrDefault(field, List.of());
    }

    public Map<String, List<String>> asMap() {
        return Map.copyOf(messages);
    }

    /** Fields in form order, for the JSON body. */
    public Map<String, List<String>> ordered() {
        return new LinkedHashMap<>(messages);
    }

    @Override
    public String toString() {
        return messages.toString();
    }
}
