-- Yearly overrides of the working-day calendar (the government's announced schedule).
CREATE TABLE calendar_overrides (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    day DATE NOT NULL UNIQUE,
    -- day_off | working_day | remove_holiday
    kind TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL
);
