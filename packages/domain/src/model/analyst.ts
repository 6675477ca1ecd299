import { z } from 'zod'
import { AnalystId } from '../ids.ts'

/**
 * An analyst profile: a label recorded as the author of every event, for history and for
 * second-analyst review. It is not an account and proves nothing about who typed (DESIGN.md,
 * "Analysts").
 */
export const AnalystProfile = z
  .object({
    id: AnalystId,
    label: z.string().trim().min(1).max(60),
  })
  .strict()
export type AnalystProfile = z.infer<typeof AnalystProfile>
