-- Fills a Registry database (schema applied by 'db upgrade') with :n history entries, straight through
-- SQL for speed, oldest first, one a second up to now. Deterministic mix: kinds users 30 %, people 25 %,
-- movies 25 %, credits 15 %, accounts 5 %; actions create 3/7, update 3/7, delete 1/7 (accounts:
-- "signed in"); 12 editors (editor1..editor12) and cli; via api, page or cli; record ids spread over
-- 1..10,000 (each kind cycles through them all: a user of bench/fill-users.sql has :n × 0.3 / 10,000
-- entries); a small JSON changes. Records themselves are not created: a record's history is readable
-- without it (a deleted record's history stays).
-- Run: sed "s/:n/1000000/g" bench/fill-history.sql | sqlite3 registry.db
PRAGMA journal_mode = WAL;
PRAGMA synchronous = OFF;
BEGIN;
WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < :n),
rows AS (
  SELECT i,
         CASE WHEN i % 20 < 6 THEN 'users' WHEN i % 20 < 11 THEN 'people' WHEN i % 20 < 16 THEN 'movies'
              WHEN i % 20 < 19 THEN 'credits' ELSE 'accounts' END AS kind,
         CASE WHEN i % 7 < 3 THEN 'create' WHEN i % 7 < 6 THEN 'update' ELSE 'delete' END AS action,
         CASE WHEN i % 13 = 0 THEN 'cli' ELSE printf('editor%d', i % 13) END AS actor,
         (i / 20) * 7919 % 10000 + 1 AS record_id
  FROM seq
)
INSERT INTO history (at, actor, via, action, kind, record_id, label, changes)
SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now', printf('-%d seconds', :n - i)),
       actor,
       CASE WHEN actor = 'cli' THEN 'cli' WHEN i % 3 = 0 THEN 'page' ELSE 'api' END,
       CASE WHEN kind = 'accounts' THEN 'signed in' ELSE action END,
       kind, record_id,
       CASE kind WHEN 'users' THEN printf('user%d', record_id) WHEN 'people' THEN printf('Person %d', record_id)
                 WHEN 'movies' THEN printf('Movie %d', record_id)
                 WHEN 'credits' THEN printf('Person %d — actor — Movie %d', i % 10000 + 1, record_id)
                 ELSE actor END,
       CASE WHEN kind = 'accounts' THEN '{}'
            WHEN action = 'update' THEN printf('{"email":["user%d@example.org","user%d@example.net"]}', record_id, record_id)
            WHEN kind = 'users' THEN printf('{"username":"user%d","email":"user%d@example.org"}', record_id, record_id)
            ELSE printf('{"name":"Record %d","note":"filled by bench/fill-history.sql"}', record_id) END
FROM rows;
COMMIT;
PRAGMA synchronous = FULL;
