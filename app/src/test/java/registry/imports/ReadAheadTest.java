package registry.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Rows parsed and prepared on another thread, given out in file order, a bounded way ahead. */
@Tag("sqlite-only")
class ReadAheadTest {
    /** Counts the rows prepared, and gives each its number in the order prepared. */
    private static final class Counting implements Target.Pass<Integer> {
        final AtomicInteger prepared = new AtomicInteger();

        @Override
        public Integer prepare(Row row) {
            return prepared.incrementAndGet();
        }

        @Override
        public Target.Result apply(Row row, Integer ahead) {
            return Target.Result.CREATED;
        }

        @Override
        public void close() {}
    }

    private static CsvInput csv(String text) {
        CsvInput csv = new CsvInput(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
        csv.next(); // the header, read by the importer before the rows
        return csv;
    }

    private static String rows(int n, int cellLength) {
        StringBuilder text = new StringBuilder("name,note\n");
        for (int i = 1; i <= n; i++) {
            text.append("row ").append(i).append(',').append("x".repeat(cellLength)).append('\n');
        }
        return text.toString();
    }

    private static boolean readerAlive() {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("registry-import-reader") && t.isAlive());
    }

    @Test
    void every_row_comes_out_once_in_file_order_with_what_was_prepared_for_it() {
        Counting pass = new Counting();
        List<String> names = new ArrayList<>();
        try (CsvInput csv = csv(rows(1_000, 3)); ReadAhead<Integer> rows = new ReadAhead<>(csv, List.of("name", "note"), pass)) {
            ReadAhead.Item<Integer> item;
            while ((item = rows.next()) != null) {
                names.add(item.row().text("name"));
                assertThat(item.prepared()).isEqualTo(names.size());
                assertThat(item.row().line()).isEqualTo(names.size() + 1);
            }
            assertThat(rows.next()).as("after the end, still the end").isNull();
            assertThat(rows.bytesRead()).isEqualTo(rows(1_000, 3).length());
        }
        assertThat(names).hasSize(1_000).startsWith("row 1", "row 2").endsWith("row 1000");
    }

    @Test
    void the_reader_stays_a_few_batches_ahead_and_a_budget_of_characters_for_long_rows() throws Exception {
        Counting small = new Counting();
        try (CsvInput csv = csv(rows(10_000, 3)); ReadAhead<Integer> rows = new ReadAhead<>(csv, List.of("name", "note"), small)) {
            rows.next();
            Thread.sleep(300);
            assertThat(small.prepared.get()).as("short rows: four batches of 256 and the one being filled")
                    .isGreaterThan(256).isLessThanOrEqualTo(5 * 256 + 1);
        }
        Counting large = new Counting();
        int cell = 200 * 1024;
        try (CsvInput csv = csv(rows(60, cell)); ReadAhead<Integer> rows = new ReadAhead<>(csv, List.of("name", "note"), large)) {
            rows.next();
            Thread.sleep(300);
            assertThat((long) large.prepared.get() * cell).as("long rows: about the budget of characters ahead, not 5 x 256 rows")
                    .isLessThanOrEqualTo(2L * ReadAhead.BUDGET + 2L * cell);
        }
        assertThat(readerAlive()).isFalse();
    }

    @Test
    void a_file_broken_further_on_gives_the_rows_before_it_then_the_failure() {
        String text = rows(600, 3) + "\"never closed,x\n" + "row after,x\n";
        List<Long> lines = new ArrayList<>();
        try (CsvInput csv = csv(text); ReadAhead<Integer> rows = new ReadAhead<>(csv, List.of("name", "note"), new Counting())) {
            assertThatThrownBy(() -> {
                ReadAhead.Item<Integer> item;
                while ((item = rows.next()) != null) {
                    lines.add(item.row().line());
                }
            }).isInstanceOf(ImportFailure.class).hasMessageContaining("A quoted cell is never closed");
            assertThat(rows.next()).as("the failure is the end").isNull();
        }
        assertThat(lines).hasSize(600).startsWith(2L).endsWith(601L);
    }

    @Test
    void a_row_of_the_wrong_width_comes_out_without_a_row_or_a_preparation() {
        Counting pass = new Counting();
        try (CsvInput csv = csv("name,note\nshort\nfine,x\n"); ReadAhead<Integer> rows = new ReadAhead<>(csv, List.of("name", "note"), pass)) {
            ReadAhead.Item<Integer> bad = rows.next();
            assertThat(bad.row()).isNull();
            assertThat(bad.prepared()).isNull();
            assertThat(bad.record().getFieldCount()).isEqualTo(1);
            assertThat(rows.next().prepared()).isEqualTo(1);
        }
    }

    @Test
    void closing_early_stops_the_reader_even_when_the_closing_thread_is_interrupted() {
        try (CsvInput csv = csv(rows(100_000, 3))) {
            ReadAhead<Integer> rows = new ReadAhead<>(csv, List.of("name", "note"), new Counting());
            assertThat(rows.next()).isNotNull();
            Thread.currentThread().interrupt();
            rows.close();
            assertThat(Thread.interrupted()).as("the interrupt is kept for the caller").isTrue();
            assertThat(readerAlive()).as("closed: the reader has ended before the input is closed").isFalse();
        }
    }
}
