-- The climate factors behind the weather-corrected second view (kek_data/weather.py), from the
-- database's copy of data/climate_factors.csv. Reference data, the same for every viewer.

-- name: climate_factors
-- [-] per calendar year: heating energy x factor = weather-corrected heating energy.
SELECT year, factor, status, source
FROM climate_factors
ORDER BY year;
