package registry.imports;

import de.siegmar.fastcsv.writer.CsvWriter;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.NotFoundResponse;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import registry.db.Database;
import registry.history.Actor;
import registry.web.Access;
import registry.web.CsvExport;
import registry.web.Flash;
import registry.web.Pages;

/**
 * The import pages of each kind (SPEC "Import"): a form to upload a CSV file, a preview that says
 * what the file would do (nothing changed yet), applying it once, and its rejected rows as CSV to
 * fix and upload again. The file waits in the database between preview and apply ({@link Uploads}).
 */
public final class ImportPages {
    private final Importer importer;
    private final Uploads uploads;
    private final Database database;
    private final Pages pages;
    private final Flash flash;
    private final long maxBytes;
    /** What each kind is called on the pages, by path: "Movies", and "Credits". */
    private final Map<String, String> titles;

    public ImportPages(Importer importer, Database database, Pages pages, Flash flash, long maxBytes, Map<String, String> titles) {
        this.importer = importer;
        this.uploads = new Uploads(database);
        this.database = database;
        this.pages = pages;
        this.flash = flash;
        this.maxBytes = maxBytes;
        this.titles = titles;
    }

    /** Each target's routes, before the kind's own ({@code /movies/import} is not the movie "import"). */
    public void routes(RoutesConfig routes) {
        for (Target target : importer.targets()) {
            String base = "/" + target.kind() + "/import";
            routes.get(base, ctx -> form(ctx, target));
            routes.post(base, ctx -> check(ctx, target));
            routes.post(base + "/{import}", ctx -> apply(ctx, target));
            routes.get(base + "/{import}/rejected.csv", ctx -> rejected(ctx, target));
        }
    }

    private Map<String, Object> model(Target target, Object... pairs) {
        Map<String, Object> model = new HashMap<>();
        model.put("path", target.kind());
        model.put("title", titles.get(target.kind()));
        model.put("columns", target.columns());
        model.put("limit", maxBytes % (1024 * 1024) == 0 ? maxBytes / (1024 * 1024) + " MiB"
                : maxBytes % 1024 == 0 ? maxBytes / 1024 + " KiB" : maxBytes + " bytes");
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] != null) {
                model.put((String) pairs[i], pairs[i + 1]);
            }
        }
        return model;
    }

    private void form(Context ctx, Target target) {
        pages.render(ctx, "imports/form", model(target));
    }

    /** Checks the uploaded file as a dry run, keeps it and shows what applying it would do. */
    private void check(Context ctx, Target target) {
        UploadedFile file = ctx.uploadedFile("file");
        if (file == null || file.filename().isBlank()) {
            pages.render(ctx, 422, "imports/form", model(target, "message", "Choose a CSV file to upload."));
            return;
        }
        Actor actor = Access.actor(ctx);
        try (Spool upload = Spool.of(file.content(), maxBytes); Rejects rejects = new Rejects()) {
            Report report = importer.run(target, upload.open(), ImportApi.asImport(actor), true, rejects);
            String id = Importer.newId();
            uploads.store(id, target.kind(), actor.name(), file.filename(), upload, report, rejects.spool());
            preview(ctx, 200, target, id, file.filename(), report);
        }
    }

    private void preview(Context ctx, int status, Target target, String id, String filename, Report report) {
        pages.render(ctx, status, "imports/preview", model(target, "id", id, "filename", filename, "report", report));
    }

    /** Applies a checked upload, once: 303 to the list; 422 with the preview again when a row has become invalid since. */
    private void apply(Context ctx, Target target) {
        String id = ctx.pathParam("import");
        Actor actor = Access.actor(ctx);
        Uploads.Upload upload = uploads.waiting(id, target.kind(), actor.name())
                .orElseThrow(() -> new NotFoundResponse("No import waits at this address: it was applied already, or is more than an hour old"));
        Report report;
        try {
            report = database.write(h -> {
                if (!Uploads.claim(h, id, target.kind(), actor.name())) {
                    return null;
                }
                Report done = importer.runOn(h, target, Uploads.read(h, id, Uploads.UPLOAD), new Run(id, ImportApi.asImport(actor)), false,
                        Importer.Listener.NONE);
                Uploads.dropFiles(h, id);
                return done;
            });
        } catch (Importer.Rollback rollback) {
            preview(ctx, 422, target, id, upload.filename(), rollback.report());
            return;
        }
        if (report == null) {
            throw new NotFoundResponse("No import waits at this address: it was applied already, or is more than an hour old");
        }
        flash.set(ctx, report.summary("Imported") + ".");
        ctx.redirect("/" + (target.kind().equals("credits") ? "movies" : target.kind()), HttpStatus.SEE_OTHER);
    }

    private void rejected(Context ctx, Target target) throws IOException {
        String id = ctx.pathParam("import");
        ctx.contentType("text/csv; charset=utf-8");
        ctx.header("Content-Disposition", "attachment; filename=\"" + target.kind() + "-rejected.csv\"");
        if (!uploads.sendRejected(id, target.kind(), Access.actor(ctx).name(), ctx.outputStream())) {
            throw new NotFoundResponse("No import waits at this address: it was applied already, or is more than an hour old");
        }
    }

    /** The rejected rows of a check, as they were, with an added {@code error} column, on disk until stored. */
    private static final class Rejects implements Importer.Listener, AutoCloseable {
        private Path file;
        private CsvWriter csv;
        private List<String> header = List.of();

        @Override
        public void header(List<String> columns) {
            header = columns;
        }

        @Override
        public void rejected(List<String> cells, String error) {
            try {
                if (csv == null) {
                    file = Files.createTempFile("registry-rejected-", ".csv",
                            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                    csv = CsvExport.writer(Files.newOutputStream(file));
                    List<String> head = new ArrayList<>(header);
                    head.add("error");
                    csv.writeRecord(head);
                }
                List<String> row = new ArrayList<>(cells.stream().map(CsvExport::inert).toList());
                row.add(CsvExport.inert(error));
                csv.writeRecord(row);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The rows written, as a spool the store reads; null when there were none. */
        Spool spool() {
            if (csv == null) {
                return null;
            }
            try {
                csv.close();
                csv = null;
                Spool spool = Spool.of(Files.newInputStream(file), Long.MAX_VALUE);
                Files.deleteIfExists(file);
                return spool;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            try {
                if (csv != null) {
                    csv.close();
                }
                if (file != null) {
                    Files.deleteIfExists(file);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
