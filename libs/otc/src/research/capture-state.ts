/**
 * SQL of the state of the capture `c` (core_captures) from its manifest: complete (its snapshot completed), gated or
 * failed (a stage stopped it), or in_progress.
 */
export const captureStatusSql = `(SELECT CASE WHEN bool_or(m.stage = 'snapshot' AND m.status = 'completed') THEN 'complete'
            WHEN bool_or(m.status = 'gated') THEN 'gated' WHEN bool_or(m.status = 'failed') THEN 'failed' ELSE 'in_progress' END
       FROM core_manifest m WHERE m.domain = c.domain AND m.period_end = c.period_end AND m.key_1 = c.key_1 AND m.key_2 = c.key_2
        AND m.capture_id = c.capture_id)`;

/** SQL of the worst quality verdict of the capture whose id is `captureId` (an SQL expression). */
export const worstQualitySql = (captureId: string) =>
  `(SELECT CASE max(CASE q.status WHEN 'FAIL' THEN 2 WHEN 'WARN' THEN 1 ELSE 0 END) WHEN 2 THEN 'FAIL' WHEN 1 THEN 'WARN' WHEN 0 THEN 'PASS' END
      FROM core_quality q WHERE q.capture_id = ${captureId})`;
