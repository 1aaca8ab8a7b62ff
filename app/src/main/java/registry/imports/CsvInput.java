package registry.imports;

import de.siegmar.fastcsv.reader.CloseableIterator;
import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import de.siegmar.fastcsv.reader.FieldMismatchStrategy;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A CSV file read record by record, as FastCSV parses it (RFC 4180 quoting; blank lines skipped),
 * never whole in memory: one record at a time, and a record no longer than {@link #MAX_RECORD}
 * characters. Whatever makes the rest of the file unreadable is an {@link ImportFailure} with its line.
 */
final class CsvInput implements AutoCloseable {
    /** The longest record read: no field of any kind holds more than a few hundred characters. */
    static final int MAX_RECORD = 1 << 20;
    private static final Pattern RECORD_LINE = Pattern.compile("\\(record starting at line (\\d+)\\)");

    private final Utf8Lines bytes;
    private final CsvReader<CsvRecord> reader;
    private final CloseableIterator<CsvRecord> records;
    private long lastLine;

    CsvInput(InputStream in) {
        this.bytes = new Utf8Lines(in);
        this.reader = CsvReader.builder()
                .skipEmptyLines(true)
                .allowUnclosedQuote(false)
                .extraFieldStrategy(FieldMismatchStrategy.IGNORE)
                .missingFieldStrategy(FieldMismatchStrategy.IGNORE)
                .maxBufferSize(MAX_RECORD)
                .detectBomHeader(true)
                .ofCsvRecord(bytes, StandardCharsets.UTF_8);
        this.records = reader.iterator();
    }

    /** The next record, or null at the end of the file. */
    CsvRecord next() {
        try {
            if (!records.hasNext()) {
                return null;
            }
            CsvRecord record = records.next();
            lastLine = record.getStartingLineNumber();
            return record;
        } catch (CsvParseException e) {
            // FastCSV wraps what its reader throws: Utf8Lines's failure, with its exact line, is inside.
            for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                if (cause instanceof ImportFailure failure) {
                    throw failure;
                }
            }
            throw new ImportFailure(line(e), explain(e));
        }
    }

    /** Bytes of the file read so far. */
    long bytesRead() {
        return bytes.bytes();
    }

    private long line(CsvParseException e) {
        Matcher m = RECORD_LINE.matcher(String.valueOf(e.getMessage()));
        return m.find() ? Long.parseLong(m.group(1)) : lastLine + 1;
    }

    private static String explain(CsvParseException e) {
        String message = String.valueOf(e.getMessage());
        if (message.startsWith("Unclosed quoted field")) {
            return "A quoted cell is never closed: a \" opens it and no \" ends it before the end of the file";
        }
        if (message.contains("maximum buffer size")) {
            return "A row is longer than " + MAX_RECORD / 1024 + " KiB (is a quote left open?)";
        }
        if (message.startsWith("Unexpected character after closing quote")) {
            return "A quoted cell goes on after its closing quote; a \" inside a quoted cell is written \"\"";
        }
        return "The file is not CSV: " + RECORD_LINE.matcher(message).replaceAll("").strip();
    }

    @Override
    public void close() {
        try {
            reader.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
