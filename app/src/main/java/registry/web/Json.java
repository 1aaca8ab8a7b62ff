package registry.web;

import registry.record.FieldErrors;
import registry.record.Forms;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * JSON in and out: records as snake_case members, times as ISO-8601 text, and a request body
 * read as an object whose members are checked one by one, so a member of the wrong type becomes a
 * field error rather than a refusal of the whole body.
 */
public final class Json {
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final ObjectNode body;
    private final FieldErrors typeErrors = new FieldErrors();

    private Json(ObjectNode body) {
        this.body = body;
    }

    /** The request's JSON object: 415 unless the body is declared JSON, 400 unless it is one object. */
    public static Json body(Context ctx) {
        String type = ctx.contentType();
        String mediaType = type == null ? "" : type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!mediaType.equals("application/json")) {
            throw new HttpResponseException(HttpStatus.UNSUPPORTED_MEDIA_TYPE.getCode(), "Send the record as Content-Type: application/json");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(ctx.bodyAsBytes());
        } catch (JsonProcessingException e) {
            throw new BadRequestResponse("The body is not valid JSON: " + whatIsWrong(e));
        } catch (IOException e) {
            throw new BadRequestResponse("The body could not be read");
        }
        if (node == null || !node.isObject()) {
            throw new BadRequestResponse("The body must be a JSON object");
        }
        return new Json((ObjectNode) node);
    }

    /** Words in Jackson's messages that name its own classes, settings and limits rather than the body. */
    private static final Pattern INTERNALS = Pattern.compile("`|Feature|Constraints|jackson|REDACTED|Source|java\\.|START_|END_",
            Pattern.CASE_INSENSITIVE);
    /** A parenthesised aside, one level of parentheses deep inside it at most. */
    private static final Pattern ASIDE = Pattern.compile("\\s*\\((?:[^()]|\\([^()]*\\))*\\)");

    /**
     * What is wrong with a body that is not JSON, for whoever sent it: the parser's own words where
     * they speak of the body ("Unexpected character ('}' (code 125))"), without the asides that name
     * its classes and settings ("from `StreamReadConstraints.getMaxNestingDepth()`", "bound as
     * `com.fasterxml…JsonNode`"), and where the body goes wrong.
     */
    static String whatIsWrong(JsonProcessingException e) {
        String said;
        if (e instanceof StreamConstraintsException) {
            said = "it is nested too deeply, or a number or text in it is too long";
        } else if (e instanceof JsonEOFException) {
            said = "it ends before the JSON value does";
        } else if (e instanceof MismatchedInputException) {
            said = "there is more after the JSON value";
        } else {
            said = plain(String.valueOf(e.getOriginalMessage()));
        }
        JsonLocation at = e.getLocation();
        return at == null || at.getLineNr() < 1 ? said : said + " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
    }

    /** The first line of a parser message, up to the first part (between colons) that names the parser's internals. */
    private static String plain(String message) {
        String line = message.lines().findFirst().orElse("");
        StringBuilder kept = new StringBuilder();
        Matcher aside = ASIDE.matcher(line);
        while (aside.find()) {
            aside.appendReplacement(kept, INTERNALS.matcher(aside.group()).find() ? "" : Matcher.quoteReplacement(aside.group()));
        }
        aside.appendTail(kept);
        StringBuilder plain = new StringBuilder();
        for (String part : kept.toString().split(": ")) {
            if (INTERNALS.matcher(part).find()) {
                break;
            }
            plain.append(plain.length() == 0 ? "" : ": ").append(part.strip());
        }
        return plain.length() == 0 ? "it cannot be read as JSON" : plain.toString();
    }

    /**
     * A field error for each member not among {@code allowed}, naming it: a misspelt or invented
     * member would otherwise be dropped without a word ({@code additionalProperties: false} in the
     * OpenAPI document says the same).
     */
    public Json only(java.util.Collection<String> allowed, String what) {
        body.fieldNames().forEachRemaining(name -> {
            if (!allowed.contains(name)) {
                typeErrors.add(name, name + " is not a member of " + what + "; it takes " + String.join(", ", allowed));
            }
        });
        return this;
    }

    /** A string member, cleaned like form input; null when absent or null. */
    public String text(String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            typeErrors.add(field, "must be a string");
            return null;
        }
        return Forms.clean(node.textValue());
    }

    /** A whole-number member; null when absent or null. */
    public Long whole(String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            typeErrors.add(field, "must be a whole number");
            return null;
        }
        return node.longValue();
    }

    /** A whole-number member as the text a form field would hold; "" when absent or null. */
    public String wholeAsText(String field) {
        Long value = whole(field);
        return value == null ? "" : value.toString();
    }

    /** The errors of the members read so far: a wrong type, or a member not allowed ({@link #only}). */
    public FieldErrors memberErrors() {
        return new FieldErrors().addMissing(typeErrors);
    }

    /** The form's constraint messages, with a wrong type reported in place of "required". */
    public FieldErrors validate(Record form) {
        return new FieldErrors().addMissing(typeErrors).addMissing(Forms.validate(form));
    }
}
