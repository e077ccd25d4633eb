-- What only some messages carry (quick replies, a pressed button's
-- payload, the message answered, a location, reactions), as one JSON value.
ALTER TABLE messages ADD COLUMN extra TEXT;
