-- How many escalations and to-dos are open for the customer. The projection looks for items an action closes only
-- when there are some: most actions close nothing, and were paying for up to five UPDATEs each to find that out.
ALTER TABLE worklist_customer ADD COLUMN open_items INTEGER NOT NULL DEFAULT 0;
UPDATE worklist_customer c
   SET open_items = (SELECT count(*) FROM worklist_escalation e WHERE e.customer_id = c.customer_id AND e.closed_at IS NULL)
                  + (SELECT count(*) FROM worklist_todo t WHERE t.customer_id = c.customer_id AND t.closed_at IS NULL)
 WHERE EXISTS (SELECT 1 FROM worklist_escalation e WHERE e.customer_id = c.customer_id AND e.closed_at IS NULL)
    OR EXISTS (SELECT 1 FROM worklist_todo t WHERE t.customer_id = c.customer_id AND t.closed_at IS NULL);
