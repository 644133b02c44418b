-- scripto-server schema, version 5: rotation links a key to the key that
-- replaced it, in both directions. `replaced_by` is set once: a second
-- rotation of the same key is refused, never applied to the successor.
ALTER TABLE api_keys ADD COLUMN replaces TEXT;
ALTER TABLE api_keys ADD COLUMN replaced_by TEXT;
