-- A month's actual below one unit (psql -v unit=ID): the units of its subtree by recursive CTE,
-- then the sum of their events in March 2026.
WITH RECURSIVE below AS (
  SELECT unit_id FROM units WHERE unit_id = :'unit'
  UNION ALL
  SELECT u.unit_id FROM units u JOIN below b ON u.parent_id = b.unit_id
)
SELECT sum(e.value_micros)
FROM events e JOIN below b ON e.unit_id = b.unit_id
WHERE e.metric = 'tickets' AND e.day BETWEEN '2026-03-01' AND '2026-03-31';
