-- A key's allow-list of networks: canonical CIDRs separated by spaces;
-- empty means every address.
ALTER TABLE api_keys ADD COLUMN allowed_ips TEXT NOT NULL DEFAULT '';
