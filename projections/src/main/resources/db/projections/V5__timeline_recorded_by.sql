-- Who sent each action (contract §7): the user of the bearer token it came with, beside the envelope's actor;
-- null for the actions stored before the command side recorded it.
ALTER TABLE timeline_event ADD COLUMN recorded_by VARCHAR(255);
