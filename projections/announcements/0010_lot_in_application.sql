-- «Статус лота в заявке» once the results are published: «Победитель», «Второй победитель»,
-- «Допущен», «Отклонен» (spec 000-B L6390–6392, docs/decisions/0747).
ALTER TABLE application_offers ADD COLUMN result text;
