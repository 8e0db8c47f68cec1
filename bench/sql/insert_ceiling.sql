-- PostgreSQL's own ceiling for what a signature writes: one row in petitions_signature
-- and one in ledger_ledgerentry, in one transaction, with every index, unique
-- constraint, foreign key and trigger those tables have. Run by bench/run.py with
-- pgbench on a copy of the bench database:
--   -D hromada=<id> -D p0=<first petition id> -D uid0=<first user id>
--   -D residents=<number of users> -D nclients=<pgbench -c> -D n=0
-- Each client numbers its transactions (n persists between them), so every
-- (petition, user) pair is used once: no insert fails on a unique constraint.
\set n :n + 1
\set u :client_id + :nclients * (:n - 1)
\set usr :uid0 + (:u % :residents)
\set pet :p0 + (:u / :residents)
BEGIN;
INSERT INTO petitions_signature (hromada_id, petition_id, user_id, person_key, signer_name, created_at)
  VALUES (:hromada, :pet, :usr, md5(:pet || '-' || :usr) || md5(:usr || '-' || :pet), 'Олена Коваленко', now());
INSERT INTO ledger_ledgerentry (hromada_id, uuid, kind, payload, created_at, canonical, leaf_hash)
  VALUES (:hromada, gen_random_uuid(), 'petition.signed',
          jsonb_build_object('petition', :pet::text, 'signer', md5(:usr::text)), now(),
          '{"created_at":"' || now()::text || '","hromada":"demo","kind":"petition.signed","payload":{"petition":"0b6f6c1e-1f0e-4c49-9d0e-0a4c3f1e2d3c","signer":"' || md5(:usr::text) || '"},"uuid":"' || gen_random_uuid()::text || '","v":1}',
          md5(:usr || 'leaf') || md5(:pet || 'leaf'));
COMMIT;
