-- One metric's company year target (1,200,000) spread to every agent and month: an agent's
-- weight in a month is its FTE times the days of the month it is active (start/end dates),
-- each month's target is split by weight, and the groups, teams and company get the sums of
-- the agents below them. The same shape of work as okrd's cascade of a count metric (the
-- rounding by largest remainder is left out: PostgreSQL gets the simpler job). One
-- transaction, rewritten from scratch each run.
BEGIN;
DELETE FROM plan_months;
WITH RECURSIVE
months AS (
  SELECT m, make_date(2026, m, 1) AS first,
         (make_date(2026, m, 1) + interval '1 month' - interval '1 day')::date AS last
  FROM generate_series(1, 12) AS m
),
weights AS (
  SELECT u.unit_id, mo.m,
         coalesce(u.fte, 1) *
           greatest(0, least(mo.last, coalesce(u.end_date, mo.last)) -
                       greatest(mo.first, coalesce(u.start_date, mo.first)) + 1) AS w
  FROM units u CROSS JOIN months mo
  WHERE u.kind = 'agent'
),
agent_months AS (
  SELECT unit_id, m,
         CASE WHEN sum(w) OVER (PARTITION BY m) = 0 THEN 0
              ELSE 100000 * w / sum(w) OVER (PARTITION BY m) END AS target
  FROM weights
),
ancestry AS (
  SELECT unit_id AS agent, unit_id AS unit FROM units WHERE kind = 'agent'
  UNION ALL
  SELECT a.agent, u.parent_id FROM ancestry a JOIN units u ON u.unit_id = a.unit
  WHERE u.parent_id IS NOT NULL AND u.parent_id <> ''
)
INSERT INTO plan_months (unit_id, month, target)
SELECT an.unit, am.m, sum(am.target)
FROM agent_months am JOIN ancestry an ON an.agent = am.unit_id
GROUP BY an.unit, am.m;
COMMIT;
