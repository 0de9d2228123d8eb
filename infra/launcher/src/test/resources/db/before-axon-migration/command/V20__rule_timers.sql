-- db-scheduler's table (the layout its PostgreSQL support expects): the persistent deadlines of the time-driven
-- rules, scheduled and fired through Axon's DbSchedulerDeadlineManager. A row is picked by one node at a time
-- (optimistic version / SELECT … FOR UPDATE SKIP LOCKED), so a deadline fires on one node even with several running.
CREATE TABLE scheduled_tasks (
    task_name            TEXT                     NOT NULL,
    task_instance        TEXT                     NOT NULL,
    task_data            BYTEA,
    execution_time       TIMESTAMP WITH TIME ZONE NOT NULL,
    picked               BOOLEAN                  NOT NULL,
    picked_by            TEXT,
    last_success         TIMESTAMP WITH TIME ZONE,
    last_failure         TIMESTAMP WITH TIME ZONE,
    consecutive_failures INT,
    last_heartbeat       TIMESTAMP WITH TIME ZONE,
    version              BIGINT                   NOT NULL,
    priority             SMALLINT,
    PRIMARY KEY (task_name, task_instance)
);
CREATE INDEX execution_time_idx ON scheduled_tasks (execution_time);
CREATE INDEX last_heartbeat_idx ON scheduled_tasks (last_heartbeat);
CREATE INDEX priority_execution_time_idx ON scheduled_tasks (priority DESC, execution_time ASC);

-- Each customer's one pending rule deadline: which deadline (the DeadlineManager's schedule id), when it is due and
-- the plan it belongs to (the id in the deadline's payload). Changed in the transaction that schedules or cancels the
-- deadline, so the two never disagree; the row lock serializes the planners of one customer.
CREATE TABLE rule_timer (
    customer_id VARCHAR(255) NOT NULL PRIMARY KEY,
    schedule_id VARCHAR(255) NOT NULL,
    plan_id     VARCHAR(64)  NOT NULL,
    due_at      TIMESTAMPTZ  NOT NULL
);

-- Re-planning every customer after a change of the time-driven rules: one row per rulebook position that changed
-- them, so that each change is swept once, by one node, and a sweep cut short by a restart goes on.
CREATE TABLE rule_timer_replan (
    rulebook_position BIGINT      NOT NULL PRIMARY KEY,
    started_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    customers         BIGINT      NOT NULL DEFAULT 0,
    finished_at       TIMESTAMPTZ
);
