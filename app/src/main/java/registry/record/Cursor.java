package registry.record;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The API's cursor ({@code next}, then {@code after=}): the view a list answered — search,
 * filters, sort, order, size — and the key of the last record it returned, as URL-safe text. It is
 * the client's to send back, so it is read as any request text is: a sort or filter it names goes
 * through the same allow-lists, and a value of the wrong shape makes it no cursor at all.
 */
final class Cursor {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A cursor read back: the view and where the next page starts. */
    record Read(ListQuery query, Listing.Key key) {}

    private Cursor() {}

    static String write(ListQuery query, Listing.Key key) {
        ObjectNode node = JSON.createObjectNode();
        node.put("q", query.q()).put("sort", query.sort()).put("order", query.order()).put("size", query.size());
        ObjectNode filters = node.putObject("filters");
        query.filters().forEach(filters::put);
        Object value = key.value();
        if (value == null) {
            node.putNull("value");
        } else if (value instanceof Number number) {
            node.put("value", number.longValue());
        } else {
            node.put("value", value.toString());
        }
        node.put("id", key.id());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(node.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor {@code text} for a list of {@code kind}; empty when it is not one this API wrote. */
    static Optional<Read> read(String text, Kind<?, ?> kind, Listing<?> listing) {
        try {
            JsonNode node = JSON.readTree(Base64.getUrlDecoder().decode(text.strip()));
            if (node == null || !node.isObject() || !node.path("id").canConvertToLong() || !node.has("value")) {
                return Optional.empty();
            }
            Map<String, String> parameters = new HashMap<>();
            for (String name : new String[] {"q", "sort", "order", "size"}) {
                parameters.put(name, node.path(name).asText(null));
            }
            node.path("filters").properties().forEach(e -> parameters.put(e.getKey(), e.getValue().asText()));
            ListQuery query = ListQuery.from(parameters::get, kind.sortable(), kind.filters());
            if (!query.sort().equals(parameters.get("sort"))) {
                return Optional.empty();
            }
            return value(node.get("value"), listing.keyType(query.sort()))
                    .map(value -> new Read(query, new Listing.Key(value == NONE ? null : value, node.get("id").asLong())));
        } catch (IllegalArgumentException | java.io.IOException | DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** Stands for a key without a value (a movie without a year), which Optional cannot hold. */
    private static final Object NONE = new Object();

    private static Optional<Object> value(JsonNode value, Class<?> type) {
        if (value.isNull()) {
            return type == Integer.class ? Optional.of(NONE) : Optional.empty();
        }
        if (type == Long.class) {
            return value.canConvertToLong() ? Optional.of(value.asLong()) : Optional.empty();
        }
        if (type == Integer.class) {
            return value.canConvertToInt() ? Optional.of(value.asInt()) : Optional.empty();
        }
        if (!value.isTextual()) {
            return Optional.empty();
        }
        return Optional.of(type == Instant.class ? Instant.parse(value.asText()) : value.asText());
    }
}
