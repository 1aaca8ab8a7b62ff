package registry.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import registry.support.ChildApp;

/**
 * The SQLite driver's native library is kept in the user's cache directory and loaded from there:
 * a copy the same as the jar's, written once, replaced when it is not the same.
 */
@Tag("sqlite-only")
class SqliteLibraryTest {
    private static final String LIBRARY = "org/sqlite/native/Linux/"
            + ("aarch64".equals(System.getProperty("os.arch")) ? "aarch64" : "x86_64") + "/libsqlitejdbc.so";

    @TempDir
    Path dir;

    private static byte[] inJar() throws Exception {
        try (InputStream in = SqliteLibraryTest.class.getClassLoader().getResourceAsStream(LIBRARY)) {
            assertThat(in).as(LIBRARY).isNotNull();
            return in.readAllBytes();
        }
    }

    private static List<Path> files(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }

    @Test
    void the_copy_is_the_jars_library_in_a_directory_only_its_owner_may_write() throws Exception {
        Path cache = dir.resolve("cache").resolve("registry");

        Path library = SqliteLibrary.kept(cache, LIBRARY).orElseThrow();

        assertThat(library.getParent()).isEqualTo(cache);
        assertThat(library.getFileName().toString()).matches("libsqlitejdbc-[0-9a-f]+\\.so");
        assertThat(Files.readAllBytes(library)).isEqualTo(inJar());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cache))).isEqualTo("rwx------");
        assertThat(files(cache)).containsExactly(library); // no part file left behind
    }

    @Test
    void a_copy_that_is_the_same_is_used_as_it_is() throws Exception {
        Path library = SqliteLibrary.kept(dir, LIBRARY).orElseThrow();
        FileTime old = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(library, old);

        assertThat(SqliteLibrary.kept(dir, LIBRARY)).contains(library);
        assertThat(Files.getLastModifiedTime(library)).isEqualTo(old);
    }

    @Test
    void a_damaged_or_cut_copy_is_replaced_never_used() throws Exception {
        Path library = SqliteLibrary.kept(dir, LIBRARY).orElseThrow();
        byte[] damaged = inJar();
        damaged[damaged.length / 2] ^= 0x5a;
        Files.write(library, damaged);
        assertThat(SqliteLibrary.kept(dir, LIBRARY)).contains(library);
        assertThat(Files.readAllBytes(library)).isEqualTo(inJar());

        Files.write(library, new byte[100]);
        assertThat(SqliteLibrary.kept(dir, LIBRARY)).contains(library);
        assertThat(Files.readAllBytes(library)).isEqualTo(inJar());
    }

    @Test
    void a_new_copy_takes_the_place_of_an_other_drivers() throws Exception {
        Path other = Files.write(dir.resolve("libsqlitejdbc-1234abcd.so"), new byte[] {1, 2, 3});
        Path unrelated = Files.write(dir.resolve("notes.txt"), new byte[] {4});

        Path library = SqliteLibrary.kept(dir, LIBRARY).orElseThrow();

        assertThat(files(dir)).containsExactlyInAnyOrder(library, unrelated).doesNotContain(other);
    }

    @Test
    void a_library_not_in_a_jar_has_no_checksum_to_go_by_and_is_left_to_the_driver() throws Exception {
        assertThat(SqliteLibraryTest.class.getClassLoader().getResource("simplelogger.properties")).hasProtocol("file");

        assertThat(SqliteLibrary.kept(dir, "simplelogger.properties")).isEqualTo(Optional.empty());
        assertThat(files(dir)).isEmpty();
    }

    @Test
    @Tag("slow")
    void a_start_loads_the_library_from_the_cache_and_the_next_start_the_same_copy() throws Exception {
        Path cache = dir.resolve("cache");
        Map<String, String> environment = Map.of("XDG_CACHE_HOME", cache.toString());
        List<Path> kept = null;
        for (String name : List.of("first.db", "second.db")) {
            try (ChildApp app = ChildApp.start("jdbc:sqlite:" + dir.resolve(name), environment)) {
                app.base();
                List<Path> now = files(cache.resolve("registry"));
                assertThat(now).hasSize(1);
                if (kept != null) {
                    assertThat(now).isEqualTo(kept);
                }
                kept = now;
                String maps = Files.readString(Path.of("/proc", Long.toString(app.process().pid()), "maps"));
                assertThat(maps).contains(kept.get(0).toString()).doesNotContain("-libsqlitejdbc.so");
            }
        }
    }
}
