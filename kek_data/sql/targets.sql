-- Named queries of the target agreements (kek_data/targets.py).

-- name: target_versions
-- Every version of one owner's target of $purpose, in the order of current_targets: latest
-- valid_from first, ties by the newest row (the first row in force on a day is the one that
-- binds on it).
SELECT t.*
FROM targets t
WHERE t.owner = $owner
  AND coalesce(t.purpose, 'ziel') = $purpose
ORDER BY coalesce(t.valid_from, CAST(t.set_at AS DATE)) DESC, t.target_id DESC;

-- name: target_milestones_of
SELECT m.target_id, m.year, m.reduction_pct
FROM target_milestones m JOIN targets t USING (target_id)
WHERE t.owner = $owner AND coalesce(t.purpose, 'ziel') = $purpose
ORDER BY m.target_id, m.year;
