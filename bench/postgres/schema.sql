-- okrd's data as PostgreSQL tables: the org (okrctl org import's CSV), the cascaded plan by
-- month, and the actual events (value in millionths, as okrd stores them).
CREATE TABLE units (
  unit_id text PRIMARY KEY,
  parent_id text,
  kind text NOT NULL,
  name text NOT NULL,
  fte numeric,
  start_date date,
  end_date date
);
CREATE INDEX units_parent ON units (parent_id);

CREATE TABLE plan_months (
  unit_id text NOT NULL,
  month int NOT NULL,
  target numeric NOT NULL,
  PRIMARY KEY (unit_id, month)
);

CREATE TABLE events (
  event_id text PRIMARY KEY,
  unit_id text NOT NULL,
  metric text NOT NULL,
  day date NOT NULL,
  value_micros bigint NOT NULL
);
CREATE INDEX events_unit_day ON events (unit_id, day);
