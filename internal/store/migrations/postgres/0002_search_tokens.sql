-- Full-text tokens split the way the query side splits what people type
-- (searchWords in store/dialect.go): punctuation separates words.
-- PostgreSQL's parser alone keeps the sign of a number ("+55", "-7777"),
-- keeps an e-mail address or URL as one lexeme and, under the C locale,
-- glues non-ASCII punctuation to words ("¡hola", "fin…"); so a phone typed
-- as written, a word of an address or "hola" in "¡Hola!" never matched
-- (SQLite's FTS5 unicode61 tokenizer splits them already). The listed
-- characters become spaces first: ASCII punctuation, and the punctuation,
-- quotes, dashes, symbols and spaces common in English, Spanish and
-- Portuguese text (¡ ¿ « » “ ” ‘ ’ ‚ „ … – — · • € £ ° § © ® × ÷, no-break
-- and thin spaces). translate() and to_tsvector(regconfig, text) are
-- immutable, as a generated column needs.
ALTER TABLE messages DROP COLUMN tsv;
ALTER TABLE messages ADD COLUMN tsv tsvector GENERATED ALWAYS AS (
    CASE WHEN kind <> 'event' THEN to_tsvector('simple', translate(text,
        '!"#$%&''()*+,-./:;<=>?@[\]^_`{|}~' || U&'\00A1\00BF\00AB\00BB\201C\201D\2018\2019\201A\201E\2026\2013\2014\00B7\2022\20AC\00A3\00B0\00A7\00A9\00AE\00D7\00F7\00A0\2009\202F', repeat(' ', 58))) ELSE NULL END) STORED;
CREATE INDEX messages_tsv ON messages USING gin (tsv);
ALTER TABLE contacts DROP COLUMN tsv;
ALTER TABLE contacts ADD COLUMN tsv tsvector GENERATED ALWAYS AS (
    to_tsvector('simple', translate(name || ' ' || phone || ' ' || email,
        '!"#$%&''()*+,-./:;<=>?@[\]^_`{|}~' || U&'\00A1\00BF\00AB\00BB\201C\201D\2018\2019\201A\201E\2026\2013\2014\00B7\2022\20AC\00A3\00B0\00A7\00A9\00AE\00D7\00F7\00A0\2009\202F', repeat(' ', 58)))) STORED;
CREATE INDEX contacts_tsv ON contacts USING gin (tsv);
