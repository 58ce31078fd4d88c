-- Issue 8.3: a document number is unique by (issuer, year, serial) on a
-- normalised key, whatever its form: "700/QĐ-UBND", "700/qđ-ubnd",
-- "700/QĐ-UBND " and "700/ QĐ-UBND" are one number. The daemon checks with
-- libunistring's case folding (vhd_docnum_key); this index is the same rule
-- in the database, for every row including those written before: NFC, white
-- space removed, look-alike dashes made '-', Vietnamese capitals lowered by
-- an explicit table (lower() alone depends on the database's locale).
CREATE FUNCTION docnum_key(s text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN lower(translate(regexp_replace(normalize(s, NFC), '[[:space:]  -​ 　﻿]+', '', 'g'),
	'‐‑‒–—―−﹘﹣－ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝĂĐĨŨƠƯẠẢẤẦẨẪẬẮẰẲẴẶẸẺẼẾỀỂỄỆỈỊỌỎỐỒỔỖỘỚỜỞỠỢỤỦỨỪỬỮỰỲỴỶỸ',
	'----------àáâãèéêìíòóôõùúýăđĩũơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ'));

ALTER TABLE decisions DROP CONSTRAINT decisions_issuer_year_number_key;
-- the same name, which the daemon maps to the field 'number'
CREATE UNIQUE INDEX decisions_issuer_year_number_key ON decisions (docnum_key(issuer), year, number);
