package registry.web;

import registry.record.Kind;
import registry.record.ListQuery;
import registry.record.Records;
import registry.record.Row;
import de.siegmar.fastcsv.writer.CsvWriter;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/**
 * A list's current view (search and order, every page) as CSV: RFC 4180 quoting by FastCSV,
 * written row by row as the database yields them, never built in memory. A cell that a
 * spreadsheet would run as a formula (it starts with = + - @, a tab or a carriage return) is
 * written with a leading apostrophe, as OWASP advises against CSV injection: a title such as
 * {@code =HYPERLINK(...)} typed into a form must not become a live formula in whoever opens the
 * export. No number, time or id starts with one of those.
 */
final class CsvExport {
    /** Tells spreadsheet programs that the file is UTF-8; without it Excel guesses a legacy code page. */
    private static final String BYTE_ORDER_MARK = "\uFEFF";

    private CsvExport() {}

    static <R extends Record & Row> void write(Context ctx, Records<R, ?> records) throws IOException {
        Kind<R, ?> kind = records.kind();
        ListQuery query = records.query(ctx::queryParam);
        ctx.contentType("text/csv; charset=utf-8");
        ctx.header("Content-Disposition", "attachment; filename=\"" + kind.path() + ".csv\"");
        Writer out = new OutputStreamWriter(ctx.outputStream(), StandardCharsets.UTF_8);
        out.write(BYTE_ORDER_MARK);
        CsvWriter csv = CsvWriter.builder().build(out);
        csv.writeRecord(kind.columns());
        try {
            records.export(query, record -> csv.writeRecord(kind.csvRow(record).stream().map(CsvExport::inert).toList()));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        csv.flush();
    }

    static String inert(String cell) {
        if (cell.isEmpty()) {
            return cell;
        }
        return switch (cell.charAt(0)) {
            case '=', '+', '-', '@', '\t', '\r' -> "'" + cell;
            default -> cell;
        };
    }
}
