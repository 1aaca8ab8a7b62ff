-- Fills a Registry database (schema applied by 'db upgrade') with :n users, straight through SQL for
-- speed; the triggers keep record_counts in step, and the search index takes the new rows at the end,
-- as the app's writer does (changeset 0019). Usernames are user1..user:n;
-- the key and search columns hold the same text, which folding leaves as it is (lower-case ASCII).
-- Run: sed "s/:n/10000/g" bench/fill-users.sql | sqlite3 registry.db
PRAGMA journal_mode = WAL;
PRAGMA synchronous = OFF;
BEGIN;
WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < :n)
INSERT INTO users (username, username_key, username_search, email, email_key, email_search, created_at, updated_at)
SELECT printf('user%d', i), printf('user%d', i), printf('user%d', i),
       printf('user%d@example.org', i), printf('user%d@example.org', i), printf('user%d@example.org', i),
       strftime('%Y-%m-%dT%H:%M:%fZ', 'now', printf('-%d seconds', :n - i)),
       strftime('%Y-%m-%dT%H:%M:%fZ', 'now', printf('-%d seconds', :n - i))
FROM seq;
INSERT INTO users_search (rowid, username_search, email_search)
SELECT id, username_search, email_search FROM users WHERE id > (SELECT COALESCE(MAX(id), 0) FROM users_search_docsize) ORDER BY id;
COMMIT;
PRAGMA synchronous = FULL;
