import { WORKSPACE_OPTION, workspaceDir, type Command } from '../command.ts'
import { EXIT } from '../exit-codes.ts'
import { SERVER_HELP, SERVER_OPTIONS, serverClient, serverFrom } from '../../intake/intake-options.ts'
import { openIntakeSession } from '../../intake/intake-session.ts'
import { publishQuestionnaire } from '../../intake/publish.ts'
import { readQuestionnaireFile } from '../../intake/questionnaire-file.ts'
import { credentialFor, givenCredential, rememberCredential } from '../../intake/server-credentials.ts'
import { currentCodebook, heldCodebooks } from '../../workspace/current-codebook.ts'

export const publishCommand: Command = {
  name: 'publish',
  summary: 'sign a questionnaire with its recipients and publish it on the intake server',
  help: `Usage: amanat publish <questionnaire> --workspace <dir> --server <url> [options]

Checks the questionnaire definition (a JSON file, or "default" for the default questionnaire)
against the workspace's codebook, signs it with the organisation key together with the set of
age recipients submissions must be sealed to (this workspace's analyst, the analysts added with
"amanat recipients add", and the offline backup key), and publishes it on the intake server.

Publish again after a new version of the questionnaire or after adding or removing a recipient:
invites already sent stay valid, because the signing key whose fingerprint they carry does not
change. Prints the questionnaire id, its version, the number of recipients and the fingerprint.

Options:
  --workspace <dir>    the workspace (or AMANAT_WORKSPACE)
${SERVER_HELP}
  --json               print the result as JSON on stdout
  -h, --help           this help`,
  options: { ...WORKSPACE_OPTION, ...SERVER_OPTIONS, json: { type: 'boolean' } },
  positionals: { min: 1, max: 1 },
  async run(context) {
    const { values, positionals, terminal } = context
    const server = serverFrom(context)
    const given = givenCredential(context)
    const session = await openIntakeSession(workspaceDir(context), terminal)
    try {
      const checked = readQuestionnaireFile(positionals[0] ?? '', await currentCodebook(session.workspace.store), await heldCodebooks(session.workspace.store))
      if (checked.missingTranslations.length > 0) {
        terminal.warn(`${String(checked.missingTranslations.length)} text(s) lack a translation; the page shows the default language there (amanat questionnaire check lists them).`)
      }
      const client = serverClient(context, server, await credentialFor(session, server, given))
      const publication = await publishQuestionnaire(session, client, checked.questionnaire)
      if (given !== null) await rememberCredential(session, server, given)
      if (values.json === true) terminal.out(JSON.stringify({ server, ...publication }))
      else {
        terminal.out(`published: ${publication.questionnaireId} ${publication.version}`)
        terminal.out(`recipients: ${String(publication.recipients.length)}`)
        terminal.out(`signing key fingerprint: ${publication.fingerprint}`)
        terminal.info(`Next: amanat invite --workspace ${session.workspace.dir} --server ${server} --count 10`)
      }
      return EXIT.ok
    } finally {
      await session.close()
    }
  },
}
