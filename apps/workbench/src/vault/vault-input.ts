import { inputError } from '@amanat/domain'
import { z } from 'zod'
import { tokenHashFrom } from '../intake/invites.ts'
import { VaultEntry } from './vault-entry.ts'

const shape = VaultEntry.shape

/**
 * A vault entry as a person gives it (the workbench's vault panel, `amanat vault set` and
 * `import`): the fields of {@link VaultEntry}, any of them left out when empty, and the invite the
 * person was sent as its link, code, token or token hash, which {@link vaultEntryFrom} keeps as its
 * token hash only.
 */
export const VaultEntryInput = z
  .object({
    names: shape.names.default([]),
    contacts: shape.contacts.default([]),
    address: shape.address.default(null),
    documents: shape.documents.default([]),
    relativeNames: shape.relativeNames.default([]),
    invite: z.string().max(2000).nullable().default(null),
  })
  .strict()
export type VaultEntryInput = z.infer<typeof VaultEntryInput>

/**
 * The entry to keep: `input` with its invite turned into the token hash.
 *
 * @throws AmanatError input `invite.unrecognised` when the invite names no token.
 */
export function vaultEntryFrom(input: VaultEntryInput): VaultEntry {
  const { invite, ...details } = input
  const given = invite === null || invite.trim() === '' ? null : invite
  const inviteTokenHash = given === null ? null : tokenHashFrom(given)
  if (given !== null && inviteTokenHash === null) {
    throw inputError(
      'invite.unrecognised',
      'The invite is not an invite link, an invite code, a token or a token hash.',
    )
  }
  return { ...details, inviteTokenHash }
}
