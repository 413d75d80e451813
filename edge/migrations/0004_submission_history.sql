-- The submission history: each accepted submission keeps what it carried (form, answers, touch,
-- engagement, page) as JSON, so a lead shows every touch and every form it filled.
ALTER TABLE submissions ADD COLUMN form TEXT;
ALTER TABLE submissions ADD COLUMN doc TEXT;
CREATE INDEX submissions_by_lead ON submissions (lead_id, created_at);
