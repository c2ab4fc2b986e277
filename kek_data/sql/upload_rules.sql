-- The upload rules: every rule once, with its condition, its column and its German message.
-- Read by kek_data.ingest.rules and used by both the full check (kek_data.ingest.validate:
-- upload_typed.bad, upload_errors) and the direct one-pass import (kek_data.ingest.direct:
-- upload_direct_insert aborts on any row a rule hits, set rules decline the file). Adding a rule
-- means adding one block here.
--
-- A row rule ("-- rule: <code>") is a boolean SQL expression over the typed cells of one record
-- (block upload_cells in ingest.sql: year, carrier_id, unit, quantity, menge_kind, site, remark,
-- the *_blank flags, unit_fits, has_extra, is_example) and the bound parameters ($has_<column>,
-- $first_year, $last_year). Empty records never count; NULL counts as "not hit".
-- A set rule ("-- set rule: <code>") is a query over the view upload_rows (line_no, year,
-- carrier_id, site of every non-empty record) returning (line_no, value, detail) per hit.
--
-- "-- column:" names the column the message points at (jahr, energietraeger, menge, einheit,
-- standort, bemerkung, or * for the values beside the header, listed per column);
-- "-- value:" / "-- detail:" are SQL expressions quoted in the message (default: the cell text
-- of the column, no detail). "-- message:" is the German sentence; placeholders: {value} (cut
-- to kek_data.ingest.outcome.MAX_SHOWN characters), {detail}, {first_year}, {last_year},
-- {example_year}, {carrier_hint}, {unit_hint}, {number_problem}, {value_carrier},
-- {detail_carrier}, {allowed_units}, {gwp_example} (see kek_data.ingest.validate._Placeholders).

-- rule: jahr_leer
-- column: jahr
-- message: Der Wert fehlt.
$has_jahr AND jahr_blank

-- rule: jahr_format
-- column: jahr
-- message: „{value}“ ist kein Jahr (vierstellig, z. B. {example_year}).
$has_jahr AND NOT jahr_blank AND year IS NULL

-- rule: jahr_bereich
-- column: jahr
-- message: Das Jahr {value} liegt außerhalb von {first_year} bis {last_year}.
$has_jahr AND (year < $first_year OR year > $last_year)

-- rule: traeger_leer
-- column: energietraeger
-- message: Der Wert fehlt.
$has_traeger AND traeger_blank

-- rule: traeger_unbekannt
-- column: energietraeger
-- message: „{value}“ ist kein bekannter Energieträger.{carrier_hint}
$has_traeger AND NOT traeger_blank AND carrier_id IS NULL

-- rule: menge_leer
-- column: menge
-- message: Der Wert fehlt.
$has_menge AND menge_blank

-- rule: menge_format
-- column: menge
-- message: {number_problem}
$has_menge AND NOT menge_blank AND menge_kind = 0

-- rule: menge_gross
-- column: menge
-- message: „{value}“ ist zu groß.
$has_menge AND menge_kind > 0 AND (quantity IS NULL OR isinf(quantity))

-- rule: menge_negativ
-- column: menge
-- message: Die Menge darf nicht negativ sein („{value}“).
$has_menge AND quantity < 0 AND NOT isinf(quantity)

-- rule: einheit_leer
-- column: einheit
-- message: Der Wert fehlt.
$has_einheit AND einheit_blank

-- rule: einheit_unbekannt
-- column: einheit
-- message: „{value}“ ist keine bekannte Einheit.{unit_hint}
$has_einheit AND NOT einheit_blank AND unit IS NULL

-- rule: einheit_passt_nicht
-- column: einheit
-- value: unit
-- detail: carrier_id
-- message: Die Einheit „{value}“ passt nicht zu {detail_carrier}; erlaubt: {allowed_units}.
$has_einheit AND $has_traeger AND carrier_id IS NOT NULL AND unit IS NOT NULL AND NOT unit_fits
    -- a mass for Sonstige Emissionen gets its own message (kaeltemittel_masse, sonstige_masse)
    AND NOT (carrier_id = 'sonstige' AND unit IN ('kg', 't'))

-- rule: kaeltemittel_masse
-- column: einheit
-- message: Kältemittel bitte als kg CO₂e angeben (nachgefüllte Menge in kg × GWP des Kältemittels, z. B. {gwp_example}) oder als t CO₂e; „{value}“ ist die Masse des Gases, nicht seine Klimawirkung.
$has_einheit AND $has_traeger AND carrier_id = 'sonstige' AND unit IN ('kg', 't')
    AND nfc_normalize(trim(traeger_key, $trim)) IN ('kältemittel', 'kaeltemittel')

-- rule: sonstige_masse
-- column: einheit
-- message: Sonstige Emissionen bitte als kg CO₂e oder t CO₂e angeben: „{value}“ allein ist eine Masse und keine Klimawirkung (bei Kältemitteln: Menge × GWP, z. B. {gwp_example}).
$has_einheit AND $has_traeger AND carrier_id = 'sonstige' AND unit IN ('kg', 't')
    AND nfc_normalize(trim(traeger_key, $trim)) NOT IN ('kältemittel', 'kaeltemittel')

-- rule: hackschnitzel_masse
-- column: einheit
-- message: Hackschnitzel bitte in kWh oder MWh angeben (Wärmemengenzähler oder Heizwert laut Lieferschein): ihr Heizwert hängt vom Wassergehalt ab (etwa 3,4–4,0 kWh/kg), „{value}“ würde mit dem Pelletwert 4,9 kWh/kg umgerechnet.
$has_einheit AND $has_traeger AND carrier_id = 'holz' AND unit IN ('kg', 't')
    AND nfc_normalize(trim(traeger_key, $trim)) IN ('hackschnitzel', 'holzhackschnitzel')

-- rule: standort_lang
-- column: standort
-- detail: replace(format('{:,}', length(site)), ',', '.')
-- message: Der Standort ist {detail} Zeichen lang („{value}“); erlaubt sind höchstens 200.
length(site) > 200

-- rule: bemerkung_lang
-- column: bemerkung
-- detail: replace(format('{:,}', length(remark)), ',', '.')
-- message: Die Bemerkung ist {detail} Zeichen lang („{value}“); erlaubt sind höchstens 10.000.
length(remark) > 10000

-- rule: beispiel
-- column: bemerkung
-- message: Das ist die Beispielzeile der Vorlage; bitte durch eigene Daten ersetzen.
is_example

-- rule: extra
-- column: *
-- message: Wert „{value}“ steht in einer Spalte ohne Überschrift.
has_extra

-- set rule: doppelt
-- column: energietraeger
-- message: Doppelte Zeile: {value_carrier} für dasselbe Jahr und denselben Standort steht schon in Zeile {detail}.
SELECT line_no, carrier_id AS value, CAST(first_line AS VARCHAR) AS detail
FROM (
    SELECT line_no, carrier_id, min(line_no) OVER w AS first_line, count(*) OVER w AS n
    FROM upload_rows
    WHERE hash(year, carrier_id, lower(site)) IN (
        SELECT hash(year, carrier_id, lower(site)) AS k FROM upload_rows
        GROUP BY k HAVING count(*) > 1
    )
    WINDOW w AS (PARTITION BY year, carrier_id, lower(site))
)
WHERE n > 1 AND line_no <> first_line
