-- Fills a Registry database (schema applied by 'db upgrade') with :n movies, straight through SQL
-- for speed. The triggers keep record_counts and the search indexes in step, as they do
-- for rows the app writes. Titles are "Movie <word> <i> tag<k>", where tag<k> is one of 1,000
-- tags, so a search for a tag matches n/1000 titles, and <i> is unique.
-- Run: sed "s/:n/100000/g" bench/fill-movies.sql | sqlite3 registry.db
PRAGMA journal_mode = WAL;
PRAGMA synchronous = OFF;
BEGIN;
WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < :n),
INSERT INTO movies (title, title_key, year, created_at, updated_at)
SELECT printf('Movie %s %d tag%03d', substr('alphabravodeltagammakappaomega', 1 + (i % 6) * 5, 5), i, i % 1000),
       printf('movie %s %d tag%03d', substr('alphabravodeltagammakappaomega', 1 + (i % 6) * 5, 5), i, i % 1000),
       1900 + i % 120,
       strftime('%Y-%m-%dT%H:%M:%fZ', 'now', printf('-%d seconds', :n - i)),
       strftime('%Y-%m-%dT%H:%M:%fZ', 'now', printf('-%d seconds', :n - i))
FROM seq;
COMMIT;
PRAGMA synchronous = FULL;
