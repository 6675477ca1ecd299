import { z } from 'zod'
import { AnalystProfile, CodebookRef } from '@amanat/domain'

/**
 * `workspace.json`: what a workspace folder says about itself. It holds no secret: the key
 * derivation's salt and cost, a verifier that tells a wrong passphrase from a damaged file, the
 * public halves of the keys, and where the store is. The secret keys sit beside it in `keys/`,
 * each encrypted (DESIGN.md, "Keys").
 */
export const WORKSPACE_CONFIG_FILE = 'workspace.json'
export const SQLITE_STORE_FILE = 'workspace.db'

export const KdfParamsSchema = z
  .object({
    algorithm: z.literal('scrypt'),
    salt: z.string().min(16),
    N: z.number().int().positive(),
    r: z.number().int().positive(),
    p: z.number().int().positive(),
    testOnly: z.boolean(),
  })
  .strict()

export const WorkspaceConfig = z
  .object({
    format: z.literal(1),
    name: z.string().min(1).max(200),
    store: z.discriminatedUnion('dialect', [
      z.object({ dialect: z.literal('sqlite'), file: z.string().min(1) }).strict(),
      z.object({ dialect: z.literal('postgres'), url: z.string().min(1), schema: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/) }).strict(),
    ]),
    kdf: KdfParamsSchema,
    keyCheck: z.string().min(16),
    keys: z
      .object({
        analystRecipient: z.string().startsWith('age1'),
        backupRecipient: z.string().startsWith('age1'),
        signingPublicKey: z.string().min(1),
        signingFingerprint: z.string().min(1),
        /** age's scrypt work factor used for the identity files (lower only in test workspaces). */
        scryptWorkFactor: z.number().int().min(1).max(30),
      })
      .strict(),
    analyst: AnalystProfile,
    /**
     * The codebook version the workspace was created with. The version in force is the latest one
     * the log adopted (`currentCodebook`; a recode moves it on), docs/decisions/0004.
     */
    codebook: CodebookRef,
    /**
     * True when the workspace was made with test-only settings (weak key derivation). Every
     * command that opens such a workspace warns; real testimonies must never go into one.
     */
    testOnly: z.boolean(),
  })
  .strict()
export type WorkspaceConfig = z.infer<typeof WorkspaceConfig>
