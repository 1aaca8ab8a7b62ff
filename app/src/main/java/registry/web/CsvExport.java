package registry.web;

import registry.record.Kind;
import registry.record.ListQuery;
import registry.record.Records;
import registry.record.Row;
import de.siegmar.fastcsv.writer.CsvWriter;
import de.siegmar.fastcsv.writer.QuoteStrategy;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * A list's current view (search and order, every page) as CSV: RFC 4180 quoting by FastCSV,
 * written row by row as the database yields them, never built in memory. A cell that a
 * spreadsheet would run as a formula (it starts with = + - @, a tab or a carriage return) is
 * written with a leading apostrophe, as OWASP advises against CSV injection: a title such as
 * {@code =HYPERLINK(...)} typed into a form must not become a live formula in whoever opens the
 * export. No number, time or id starts with one of those.
 *
 * <p>A spreadsheet may also split a cell where the file has none: one whose list separator is
 * {@code ;} (most of Europe) opens {@code x;=cmd|' /C calc'!A0} as two cells, the second a
 * formula. So a cell holding {@code ;}, or a separator-like character (, ; | tab or a line break,
 * then perhaps spaces) followed by = + - @, is quoted whole; quoting changes no value a CSV
 * reader gets back.
 */
public final class CsvExport {
    /** Tells spreadsheet programs that the file is UTF-8; without it Excel guesses a legacy code page. */
    private static final String BYTE_ORDER_MARK = "\uFEFF";

    private CsvExport() {}

    static <R extends Record & Row> void write(Context ctx, Records<R, ?> records) throws IOException {
        Kind<R, ?> kind = records.kind();
        ListQuery query = records.query(ctx::queryParam);
        write(ctx, kind.path() + ".csv", kind.exportColumns(), row -> records.export(query, record -> row.accept(kind.csvRow(record))));
    }

    /** Rows as a CSV download named {@code filename}: {@code rows} hands each row to the sink it is given, as it reads them. */
    public static void write(Context ctx, String filename, List<String> header, Consumer<Consumer<List<String>>> rows) throws IOException {
        ctx.contentType("text/csv; charset=utf-8");
        ctx.header("Content-Disposition", "attachment; filename=\"" + filename + "\"");
        CsvWriter csv = writer(ctx.outputStream());
        csv.writeRecord(header);
        try {
            rows.accept(row -> csv.writeRecord(row.stream().map(CsvExport::inert).toList()));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        csv.flush();
    }

    /**
     * A CSV writer on {@code out} as every CSV of ours is written: UTF-8 after a byte-order mark,
     * quoted against spreadsheet splitting; cells go through {@link #inert} first.
     */
    public static CsvWriter writer(OutputStream out) throws IOException {
        Writer text = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        text.write(BYTE_ORDER_MARK);
        return CsvWriter.builder().quoteStrategy(SPLIT_PROOF).build(text);
    }

    /** A separator a spreadsheet might split at, followed by what would start a formula there. */
    private static final Pattern SEPARATOR_THEN_FORMULA = Pattern.compile("[,;|\\t\\r\\n]\\s*[=+\\-@]");

    /** Quotes, beyond what RFC 4180 needs (FastCSV adds that itself), each cell a spreadsheet could split into a formula. */
    static final QuoteStrategy SPLIT_PROOF = new QuoteStrategy() {
        @Override
        public boolean quoteValue(int lineNo, int fieldIdx, String value) {
            return mightSplit(value);
        }
    };

    static boolean mightSplit(String cell) {
        return cell.indexOf(';') >= 0 || SEPARATOR_THEN_FORMULA.matcher(cell).find();
    }

    /**
     * The cell as a spreadsheet may open it: a leading ' before what would start a formula. A cell
     * that starts with apostrophes and then such a character gets one more all the same, so that
     * {@link #original}, which takes one off, gives back every value as it was.
     */
    public static String inert(String cell) {
        return guarded(cell, 0) ? "'" + cell : cell;
    }

    /** The value a cell written by {@link #inert} holds: one leading ' taken off where it added one. */
    public static String original(String cell) {
        return guarded(cell, 1) ? cell.substring(1) : cell;
    }

    /** Whether {@code cell} is at least {@code apostrophes} apostrophes, then any more, then what starts a formula. */
    private static boolean guarded(String cell, int apostrophes) {
        int k = 0;
        while (k < cell.length() && cell.charAt(k) == '\'') {
            k++;
        }
        return k >= apostrophes && k < cell.length() && FORMULA_START.indexOf(cell.charAt(k)) >= 0;
    }

    /** What a spreadsheet takes for the start of a formula. */
    public static final String FORMULA_START = "=+-@\t\r";
}
