-- Fills the ceiling app's database with :n items, straight through SQL; the table is the one the
-- ceiling creates at start (CREATE TABLE IF NOT EXISTS), so it finds it ready.
-- Run: sed "s/:n/10000/g" bench/fill-items.sql | sqlite3 ceiling.db
PRAGMA journal_mode = WAL;
PRAGMA synchronous = OFF;
CREATE TABLE IF NOT EXISTS items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE UNIQUE INDEX IF NOT EXISTS items_name_nocase ON items (name COLLATE NOCASE);
BEGIN;
WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < :n)
INSERT INTO items (name, created_at) SELECT printf('item%d', i), strftime('%Y-%m-%dT%H:%M:%fZ', 'now') FROM seq;
COMMIT;
PRAGMA synchronous = FULL;
