-- Fills a Registry database (schema applied by 'db upgrade') with :n movies, :n/100 people and
-- credits, straight through SQL for speed. The triggers keep record_counts in step, and the search
-- index takes the new rows at the end, as the app's writer does (changeset 0019). Titles are "Movie <word> <i> tag<k>", where tag<k>
-- is one of 1,000 tags, so a search for a tag matches n/1000 titles, and <i> is unique. Years run
-- 1900-2019 with every 50th movie undated; every 4th movie has a director, every 3rd an actor, so
-- the decade and role facets have something to count. Keys and search texts hold the same
-- lower-case ASCII text, which folding leaves as it is.
-- Run: sed "s/:n/100000/g" bench/fill-movies.sql | sqlite3 registry.db
PRAGMA journal_mode = WAL;
PRAGMA synchronous = OFF;
BEGIN;
WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < :n)
INSERT INTO movies (title, title_key, title_search, year, created_at, updated_at)
SELECT printf('Movie %s %d tag%03d', substr('alphabravodeltagammakappaomega', 1 + (i % 6) * 5, 5), i, i % 1000),
       printf('movie %s %d tag%03d', substr('alphabravodeltagammakappaomega', 1 + (i % 6) * 5, 5), i, i % 1000),
       printf('movie %s %d tag%03d', substr('alphabravodeltagammakappaomega', 1 + (i % 6) * 5, 5), i, i % 1000),
       CASE WHEN i % 50 = 0 THEN NULL ELSE 1900 + i % 120 END,
       strftime('%Y-%m-%dT%H:%M:%fZ', 'now', printf('-%d seconds', :n - i)),
       strftime('%Y-%m-%dT%H:%M:%fZ', 'now', printf('-%d seconds', :n - i))
FROM seq;
WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < :n / 100)
INSERT INTO people (name, name_key, name_search, born, created_at, updated_at)
SELECT printf('Person %d', i), printf('person %d', i), printf('person %d', i), 1880 + i % 120,
       strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
FROM seq;
INSERT INTO credits (movie_id, person_id, role)
SELECT id, 1 + id % (:n / 100), 'director' FROM movies WHERE id % 4 = 0;
INSERT INTO credits (movie_id, person_id, role)
SELECT id, 1 + (id * 7) % (:n / 100), 'actor' FROM movies WHERE id % 3 = 0;
INSERT INTO movies_search (rowid, title_search)
SELECT id, title_search FROM movies WHERE id > (SELECT COALESCE(MAX(id), 0) FROM movies_search_docsize) ORDER BY id;
COMMIT;
PRAGMA synchronous = FULL;
