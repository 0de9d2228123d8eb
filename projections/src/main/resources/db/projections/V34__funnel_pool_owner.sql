-- A customer released to the public pool has no owner until it is claimed (contract §7: a rep's funnel counts only
-- the customers it owns now). Its tally cells are ('rep_none', ''). The rows already written are put right by the
-- rebuild that the funnel's schema version 2 asks for (docs/adr/0026).
ALTER TABLE funnel_customer ALTER COLUMN owner_rep_id DROP NOT NULL;
