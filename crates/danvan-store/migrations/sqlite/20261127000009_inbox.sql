-- Officer inbox: response templates. A template belongs to a unit and is offered to officers
-- working on that unit's subtree, for one category or (category_id NULL) for all of them.
CREATE TABLE response_templates (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    category_id INTEGER REFERENCES categories(id),
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    created_by INTEGER REFERENCES accounts(id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX response_templates_unit ON response_templates(unit_id);
