package registry.imports;

import static org.assertj.core.api.Assertions.assertThat;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import registry.support.TestServer;

/** What the import tests share: reading a CSV as rows by column, and sending one to the import API. */
final class Csv {
    private Csv() {}

    /** The rows of {@code text} by column name, in file order; a byte-order mark before the header is dropped. */
    static List<Map<String, String>> rows(String text) {
        String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
        List<Map<String, String>> rows = new ArrayList<>();
        List<String> header = null;
        for (CsvRecord record : CsvReader.builder().ofCsvRecord(body)) {
            if (header == null) {
                header = record.getFields();
                continue;
            }
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < header.size(); i++) {
                row.put(header.get(i), record.getField(i));
            }
            rows.add(row);
        }
        return rows;
    }

    /** Records of an export by id, each with only {@code columns}: what an import must bring back. */
    static Map<Long, Map<String, String>> byId(String text, List<String> columns) {
        Map<Long, Map<String, String>> records = new TreeMap<>();
        for (Map<String, String> row : rows(text)) {
            Map<String, String> kept = new LinkedHashMap<>();
            columns.forEach(column -> kept.put(column, row.get(column)));
            assertThat(records.put(Long.parseLong(row.get("id")), kept)).as("id %s twice", row.get("id")).isNull();
        }
        return records;
    }

    /** {@code POST /api/{kind}/import} of {@code body} with a bearer token. */
    static HttpResponse<String> post(TestServer server, String token, String kind, byte[] body, boolean dryRun) {
        return server.send(HttpRequest.newBuilder(server.uri("/api/" + kind + "/import" + (dryRun ? "?dry_run=true" : "")))
                .header("Content-Type", "text/csv; charset=utf-8").header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    /** The counts of an import's answer, as {@code created/updated/unchanged/invalid}. */
    static String counts(HttpResponse<String> response) {
        return response.body().replaceAll("^\\{(\"import_id\":\"[^\"]+\",)?\"created\":(\\d+),\"updated\":(\\d+),\"unchanged\":(\\d+),\"invalid\":(\\d+),.*", "$2/$3/$4/$5");
    }
}
